/**
 * The structural limits checked before a page is parsed (src/extract/html/bounds.ts), and what
 * extraction and discovery make of a page beyond them: `too_complex` with the limit named, at
 * once, instead of minutes of parsing, a stack overflow or the wrong reason.
 */
import { describe, expect, it } from 'vitest';
import { discoverArticle, discoverListing } from '../../src/crawl/discover.js';
import { TooComplexError, checkHtmlBounds } from '../../src/extract/html/bounds.js';
import { extractRecord } from '../../src/extractor.js';
import { expectKnown, htmlReport } from '../faults/reports.js';

const page = (body: string) => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>${body}</body></html>`;

describe('checkHtmlBounds', () => {
  it('measures the nesting a browser builds: omitted end tags close where HTML closes them', () => {
    expect(checkHtmlBounds(page('<p>x'.repeat(50_000))).depth).toBe(3);
    expect(checkHtmlBounds(page(`<ul>${'<li>x'.repeat(50_000)}</ul>`)).depth).toBe(4);
    expect(checkHtmlBounds(page(`<table>${'<tr><td>a<td>b'.repeat(50_000)}</table>`)).depth).toBe(5);
    expect(checkHtmlBounds(page('<p>段落<li>条目<table><tr><td>格<td>格</table>'.repeat(20_000))).depth).toBeLessThan(10);
    expect(checkHtmlBounds(page(`<svg>${'<path d="M0 0"/>'.repeat(5_000)}</svg>`)).depth).toBe(4);
    expect(checkHtmlBounds(page('<img src=x><br><hr>'.repeat(10_000))).depth).toBe(3); // html > head > title
    // An end tag closes everything left open inside its element.
    expect(checkHtmlBounds(page(`${'<div><span><b>x</div>'.repeat(10_000)}`)).depth).toBe(5);
  });

  it('refuses deep nesting, too many attributes and too many elements, naming the limit', () => {
    const cases: [string, string][] = [
      [page('<table><tr><td>'.repeat(1_000)), 'maxDepth'],
      [page('<div>'.repeat(400_000)), 'maxDepth'],
      [page('<font><b>'.repeat(600)), 'maxDepth'],
      [page(`<div ${Array.from({ length: 1_000 }, (_, i) => `a${i}=1`).join(' ')}>`), 'maxAttributes'],
      [page('<i></i>'.repeat(600_000)), 'maxElements'],
    ];
    for (const [html, limit] of cases) {
      let err: unknown;
      try {
        checkHtmlBounds(html);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TooComplexError);
      expect((err as TooComplexError).limit).toBe(limit);
      expect((err as TooComplexError).code).toBe('too_complex');
      expect((err as Error).message).toContain(`limit ${limit}`);
    }
  });
});

describe('pages beyond the limits', () => {
  it('extraction of a 100,000-level nested table fails at once as too_complex, not as corrupt after minutes', async () => {
    const t0 = performance.now();
    const rec = await extractRecord(Buffer.from(page('<table><tr><td>'.repeat(100_000))), { uri: 'deep.html' });
    expect(rec.status).toBe('failed');
    expect(rec.issues.map((i) => i.code)).toEqual(['too_complex']);
    expect(rec.issues[0]!.message).toContain('maxDepth');
    expect(performance.now() - t0).toBeLessThan(20_000); // was 89 s; generous for a loaded machine
  });

  it('discovery of an article of 1,000 nested tables throws TooComplexError, not a stack overflow', () => {
    const html = page(`${'<table><tr><td>'.repeat(1_000)}本年新收 予以公开 行政复议${'</td></tr></table>'.repeat(1_000)}`);
    expect(() => discoverArticle(html, 'http://x.test/a.html')).toThrow(TooComplexError);
    expect(() => discoverListing(html, 'http://x.test/index.html')).toThrow(TooComplexError);
  });

  it('a report nested a few hundred levels deep, as Word exports nest, is still read exactly', async () => {
    const known = htmlReport(7501, '示例县深层局', 2023);
    const html = known.bytes.toString('utf8').replace('<body>', `<body>${'<div><span>'.repeat(200)}`).replace('</body>', `${'</span></div>'.repeat(200)}</body>`);
    expect(checkHtmlBounds(html).depth).toBeGreaterThan(400);
    const rec = await extractRecord(Buffer.from(html), { uri: 'deep-word.html' });
    expectKnown({ record: rec } as never, known, 'deep-word.html');
    const info = discoverArticle(html, 'http://x.test/a.html');
    expect(info.hasReportTables).toBe(true);
  });

  it('discovery finds report tables inside a nest of 300 tables (only outermost tables are read)', () => {
    const html = page(`${'<table><tr><td>'.repeat(300)}本年新收 予以公开 行政复议${'</td></tr></table>'.repeat(300)}`);
    expect(discoverArticle(html, 'http://x.test/a.html').hasReportTables).toBe(true);
  });
});
