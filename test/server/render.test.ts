/** Pure parts of the UI: escaping, grid geometry, provenance → highlighted cells, filters, auth primitives. */
import * as cheerio from 'cheerio';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { cell, type Table } from '../../src/extract/grid.js';
import { csrfToken, localPath, parseBasicAuth, safeEqual, sessionValue } from '../../src/server/auth.js';
import { valueSections } from '../../src/server/fields.js';
import { renderGridTable } from '../../src/server/grid-html.js';
import { esc, externalHref, html, pathWith, raw } from '../../src/server/html.js';
import { cellKey, cellMarks, flaggedCells } from '../../src/server/marks.js';
import { recordPageHtml, type RecordView } from '../../src/server/pages/record.js';
import { parseReviewQuery } from '../../src/server/review-query.js';
import { isLoopback, sameOrigin } from '../../src/server/security.js';
import type { NianbaoRecord } from '../../src/validate/schema.js';

const chrome = { csrf: 'tok', queues: true, canSignOut: true };

describe('html', () => {
  it('escapes every interpolated value, in text and attributes', () => {
    const evil = `<script>alert("x")</script>' onmouseover='y`;
    const out = html`<p title="${evil}">${evil}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toBe(`<p title="${esc(evil)}">${esc(evil)}</p>`);
    expect(esc(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('nests safe fragments and arrays without double escaping, drops null/false', () => {
    expect(html`<ul>${['a<b', html`<li>${'c&d'}</li>`, null, false, raw('<hr>')]}</ul>`.value).toBe('<ul>a&lt;b<li>c&amp;d</li><hr></ul>');
  });

  it('never links to a non-http URL', () => {
    expect(externalHref('javascript:alert(1)')).toBeNull();
    expect(externalHref('data:text/html,x')).toBeNull();
    expect(externalHref('https://a.gov.cn/x.pdf')).toBe('https://a.gov.cn/x.pdf');
    expect(pathWith('/review', { status: 'flagged', year: 2020, region: '', issue: undefined })).toBe('/review?status=flagged&year=2020');
  });
});

/** A 2-row header with a rowspan and a colspan, one slot left empty by the source (row 2, col 1). */
function sampleTable(): Table {
  return {
    exact: true,
    blanksVanish: false,
    rows: [
      [cell('项目', 0, 0, { rowSpan: 2 }), cell('申请人', 0, 1, { colSpan: 2 })],
      [cell('自然人', 1, 1), cell('总计', 1, 2)],
      [cell('新收', 2, 0), cell('5', 2, 2)],
      [cell('结转', 3, 0), cell('1', 3, 1), cell('2', 3, 2)],
    ],
  };
}

function recordWith(provenance: NianbaoRecord['provenance'], issues: NianbaoRecord['issues']): NianbaoRecord {
  return {
    schemaVersion: 1,
    source: { uri: 'https://x.gov.cn/r.html', format: 'html', sha256: 'a'.repeat(64) },
    agency: '某局',
    year: 2021,
    template: '2021',
    values: { 'applications.newReceived.total': 5, 'applications.carriedOver.natural': 1, 'applications.carriedOver.total': 2 },
    raw: { 'applications.newReceived.total': '5', 'applications.carriedOver.natural': '1', 'applications.carriedOver.total': '2' },
    provenance,
    issues,
    status: issues.some((i) => i.severity === 'error') ? 'flagged' : 'valid',
  };
}

describe('grid rendering', () => {
  it('places cells by their slots, with spans, and fills a slot the source left empty', () => {
    const $ = cheerio.load(renderGridTable(sampleTable(), { tableIndex: 3, cells: new Map(), values: {} }).value);
    const rows = $('tr').toArray();
    expect(rows).toHaveLength(4);
    const texts = rows.map((r) => $(r).find('td').toArray().map((td) => $(td).text()));
    expect(texts).toEqual([['项目', '申请人'], ['自然人', '总计'], ['新收', '', '5'], ['结转', '1', '2']]);
    expect($('td').eq(0).attr('rowspan')).toBe('2');
    expect($('td').eq(1).attr('colspan')).toBe('2');
    // The gap keeps "5" in column 2, where its provenance says it is.
    expect($('tr').eq(2).find('td').eq(1).hasClass('gap')).toBe(true);
    expect($('td[data-row="2"][data-col="2"]').text()).toBe('5');
    expect($('td[data-table="3"]').length).toBe(9);
  });

  it('escapes cell text', () => {
    const t: Table = { exact: true, blanksVanish: false, rows: [[cell('<img src=x onerror=alert(1)>', 0, 0)]] };
    const out = renderGridTable(t, { tableIndex: 0, cells: new Map(), values: {} }).value;
    expect(out).not.toContain('<img');
  });
});

describe('highlighting: provenance → cells', () => {
  const provenance = {
    'applications.newReceived.total': { table: 3, row: 2, col: 2 },
    'applications.carriedOver.natural': { table: 3, row: 3, col: 1 },
    'applications.carriedOver.total': { table: 3, row: 3, col: 2 },
  };
  const rec = recordWith(provenance, [
    { code: 'identity_failed', severity: 'error', message: 'm', fields: ['applications.newReceived.total', 'applications.carriedOver.total'] },
    { code: 'blank_cells', severity: 'warning', message: 'w', fields: ['applications.carriedOver.natural', 'applications.carriedOver.total'] },
    { code: 'meta_from_hint', severity: 'info', message: 'i' },
  ]);

  it('marks the cells of fields named by error issues flagged, by warnings only warned', () => {
    const marks = cellMarks(rec);
    expect(marks.get(cellKey(3, 2, 2))).toMatchObject({ mark: 'flagged', fields: ['applications.newReceived.total'], issues: ['identity_failed'] });
    expect(marks.get(cellKey(3, 3, 2))).toMatchObject({ mark: 'flagged', issues: ['identity_failed', 'blank_cells'] });
    expect(marks.get(cellKey(3, 3, 1))).toMatchObject({ mark: 'warned' });
    expect([...flaggedCells(rec)].sort()).toEqual(['3:2:2', '3:3:2']);
  });

  it('renders exactly those cells with class flagged, with field and value on hover', () => {
    const $ = cheerio.load(renderGridTable(sampleTable(), { tableIndex: 3, cells: cellMarks(rec), values: rec.values }).value);
    const flagged = $('td.flagged').toArray().map((td) => `${$(td).attr('data-table')}:${$(td).attr('data-row')}:${$(td).attr('data-col')}`);
    expect(flagged.sort()).toEqual(['3:2:2', '3:3:2']);
    expect($('td.warned').attr('data-col')).toBe('1');
    expect($('td.flagged').first().attr('title')).toContain('applications.newReceived.total = 5');
    // A table with other indices is untouched.
    const other = cheerio.load(renderGridTable(sampleTable(), { tableIndex: 0, cells: cellMarks(rec), values: rec.values }).value);
    expect(other('td.flagged').length).toBe(0);
  });

  it('lists values by section with the flagged ones marked', () => {
    const sections = valueSections(rec);
    expect(sections.map((s) => s.title)).toEqual(['三、收到和处理政府信息公开申请情况']);
    const rows = Object.fromEntries(sections[0]!.rows.map((r) => [r.code, r]));
    expect(rows['applications.newReceived.total']).toMatchObject({ mark: 'flagged', value: 5, raw: '5' });
    expect(rows['applications.carriedOver.natural']).toMatchObject({ mark: 'warned' });
    expect(rows['applications.newReceived.total']!.label).toContain('本年新收');
  });

  it('the record page shows issues with severity, the grid and the values, all escaped', () => {
    const evil = { ...rec, agency: '<b>局</b>' };
    const view: RecordView = {
      url: 'javascript:alert(1)',
      stored: { id: 1, reportId: '0123456789abcdef', url: 'javascript:alert(1)', sha256: rec.source.sha256, extractorVersion: 'nianbao/0.1.0', extractedAt: '2024-01-01T00:00:00Z', portalId: null, regionCode: null, regionName: null, issueCodes: [], record: evil },
      doc: null,
      grid: { ok: true, doc: { format: 'html', text: '', tables: [{ exact: true, blanksVanish: false, rows: [] }, sampleTable(), sampleTable(), sampleTable()], method: 'test' } },
      notice: null,
      reextract: { available: false, why: 'x' },
      extractorVersion: 'nianbao/0.1.0',
    };
    const out = recordPageHtml(view, chrome).value;
    expect(out).not.toContain('<b>局</b>');
    expect(out).not.toContain('href="javascript:');
    const $ = cheerio.load(out);
    expect($('#issues .badge.error').length).toBe(1);
    expect($('#issues .badge.warning').length).toBe(1);
    expect($('#values tr.flagged').length).toBe(2);
    expect($('#source td.flagged').length).toBe(2);
  });

  it('folds a long field list of an issue after the first ten', () => {
    const many = Array.from({ length: 30 }, (_, i) => `applications.f${i}.natural`);
    const r = recordWith({}, [{ code: 'blank_cells', severity: 'warning', message: 'm', fields: many }]);
    const view: RecordView = { url: 'u', stored: { id: 1, reportId: '0123456789abcdef', url: 'u', sha256: r.source.sha256, extractorVersion: 'v', extractedAt: '2024-01-01T00:00:00Z', portalId: null, regionCode: null, regionName: null, issueCodes: [], record: r }, doc: null, grid: null, notice: null, reextract: { available: false, why: 'x' }, extractorVersion: 'v' };
    const $ = cheerio.load(recordPageHtml(view, chrome).value);
    expect($('#issues .chip').length).toBe(30);
    expect($('#issues details .chip').length).toBe(20);
    expect($('#issues summary').text()).toBe('and 20 more');
  });
});

describe('review filters', () => {
  it('keeps only well-formed filters', () => {
    expect(parseReviewQuery({ status: 'flagged', issue: 'identity_failed', region: '44', year: '2020', template: '2021', before: '17' })).toEqual({
      filter: { status: 'flagged', issueCode: 'identity_failed', region: '44', year: 2020, template: '2021' },
      before: 17,
    });
    // Malformed filters are reported, never silently dropped (year=abc must not list every year).
    const bad = parseReviewQuery({ status: 'nope', issue: 'DROP TABLE', year: '20x0', template: '2018', after: '-1' });
    expect(bad.filter).toEqual({});
    expect(bad.errors).toEqual([
      'status must be valid, flagged, failed; got "nope".',
      'issue must be an issue code (see the list); got "DROP TABLE".',
      'year must be four digits, like 2021; got "20x0".',
      'template must be 2019 or 2021; got "2018".',
    ]);
    expect(parseReviewQuery({ status: '', year: '' })).toEqual({ filter: {} });
    expect(parseReviewQuery({ status: ['valid', 'failed'] }).filter.status).toBe('valid');
  });
});

describe('auth primitives', () => {
  it('compares in constant time over hashes, any lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });

  it('derives the session cookie and CSRF token from the token, never equal to it', () => {
    expect(sessionValue('t1')).not.toBe('t1');
    expect(sessionValue('t1')).not.toBe(sessionValue('t2'));
    expect(csrfToken('t1')).not.toBe(sessionValue('t1'));
  });

  it('only redirects to local paths after sign-in', () => {
    expect(localPath('/review?status=failed')).toBe('/review?status=failed');
    for (const bad of ['//evil.com/x', '/\\evil.com', 'https://evil.com', 'review', '/x\r\nSet-Cookie: a=b', undefined, ['/a']]) expect(localPath(bad)).toBe('/review');
  });

  it('parses user:pass with colons in the password', () => {
    expect(parseBasicAuth('ann:se:cret')).toEqual({ user: 'ann', pass: 'se:cret' });
    expect(() => parseBasicAuth('ann')).toThrow();
    expect(() => parseBasicAuth(':x')).toThrow();
  });

  it('tells same-origin requests from cross-site ones', () => {
    const req = (headers: Record<string, string>) => ({ headers: { host: '127.0.0.1:8080', ...headers } }) as unknown as Request;
    expect(sameOrigin(req({ origin: 'http://127.0.0.1:8080' }))).toBe(true);
    expect(sameOrigin(req({ 'sec-fetch-site': 'same-origin', origin: 'null' }))).toBe(true);
    expect(sameOrigin(req({ 'sec-fetch-site': 'cross-site', origin: 'http://127.0.0.1:8080' }))).toBe(false);
    expect(sameOrigin(req({ origin: 'http://evil.example' }))).toBe(false);
    expect(sameOrigin(req({ origin: 'null' }))).toBe(false);
    expect(sameOrigin(req({ referer: 'http://127.0.0.1:8080/review' }))).toBe(true);
    expect(sameOrigin(req({}))).toBe(false);
    expect(isLoopback('127.0.0.1') && isLoopback('localhost') && isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0') || isLoopback('192.168.1.2')).toBe(false);
  });
});
