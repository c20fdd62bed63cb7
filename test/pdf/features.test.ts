/**
 * What the PDF adapter must do beyond getting the numbers: tables joined across pages, vertical
 * labels, CJK radicals from the font, cell positions a reviewer can highlight, the page limit and
 * the time limit.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Table } from '../../src/extract/grid.js';
import { extractDocument } from '../../src/extract/index.js';
import { extractRecord } from '../../src/extractor.js';
import { normalizeText } from '../../src/normalize/text.js';
import { withEngine } from '../helpers/pdf.js';
import { SAMPLES_DIR } from '../helpers/samples.js';

const sample = (name: string) => readFileSync(join(SAMPLES_DIR, 'pdf', `${name}.pdf`));
const pagesOf = (t: Table) => new Set(t.rows.flat().map((c) => c.page));
const applicationsTable = (tables: Table[]) => tables.find((t) => t.exact && t.rows.some((r) => r.some((c) => c.text.includes('勾稽关系'))));

describe('tables across pages', () => {
  it('reads a table printed over three pages as one table, in page order (Chromium, large type)', async () => {
    const doc = await extractDocument(sample('chromium-2019-long'));
    const app = applicationsTable(doc.tables)!;
    expect(pagesOf(app).size).toBeGreaterThanOrEqual(3);
    // Chromium draws no rules around the merged label column on the later pages and lets its
    // text run below the last rule of a page: the label is still one cell.
    expect(app.rows.flat().filter((c) => normalizeText(c.text).includes('办理结果')).map((c) => normalizeText(c.text))).toEqual(['三、本年度办理结果']);
    const pages = app.rows.map((r) => r[0]!.page!);
    expect(pages).toEqual([...pages].sort((a, b) => a - b));
    // Rows are numbered through the whole table.
    expect(app.rows.map((r) => r[0]!.row)).toEqual(app.rows.map((_, i) => i));
    // No second table holds the continuation.
    expect(doc.tables.filter((t) => t.exact && t.rows.some((r) => r.some((c) => /结转下年度继续办理/.test(c.text))))).toEqual([app]);
  });

  it('mends rows and merged cells cut by page breaks (LibreOffice)', async () => {
    const doc = await extractDocument(sample('libreoffice-2021-docx'));
    const app = applicationsTable(doc.tables)!;
    expect(pagesOf(app)).toEqual(new Set([1, 2, 3]));
    // Every data row carries its label and its seven values in one row, however the page cut it.
    const data = app.rows.filter((r) => /\d/.test(r[r.length - 1]!.text));
    for (const r of data) {
      expect(r.length, r.map((c) => c.text).join(' | ')).toBeGreaterThanOrEqual(8);
      expect(r[r.length - 8]!.text).not.toBe('');
    }
    const rec = await extractRecord(sample('libreoffice-2021-docx'), { uri: 'lo.pdf' });
    expect(rec.status).toBe('valid');
  });
});

describe('tables without rules', () => {
  it('reads them by alignment, as inexact tables, and still gets every value (Chromium, no borders)', async () => {
    const bytes = sample('chromium-2019-unruled');
    const doc = await extractDocument(bytes);
    expect(doc.method).toBe('pdf:aligned');
    expect(doc.tables.every((t) => !t.exact && t.blanksVanish)).toBe(true);
    // The label wraps in its narrow column, so its numbers stand on a line of their own (as in
    // pdftotext output), cut into the seven value cells by the column gaps.
    const rows = doc.tables.flatMap((t) => t.rows);
    const at = rows.findIndex((r) => r.some((c) => c.text.includes('上年结转')));
    expect(rows[at + 1]!.map((c) => /^\d+$/.test(c.text))).toEqual(Array(7).fill(true));
    const rec = await extractRecord(bytes, { uri: 'unruled.pdf' });
    expect(rec.status).toBe('valid');
  });
});

describe('labels', () => {
  it('reads 三、本年度办理结果 written one character per line as the text of its merged cell', async () => {
    for (const name of ['chromium-2021-word-vertical', 'libreoffice-2021-docx']) {
      const doc = await extractDocument(sample(name));
      const cell = applicationsTable(doc.tables)!.rows.flat().find((c) => normalizeText(c.text).includes('办理结果'))!;
      expect(normalizeText(cell.text)).toBe('三、本年度办理结果');
      expect(cell.rowSpan).toBeGreaterThan(10);
    }
  });

  // pdf.js gives the radicals as the font maps them; PDFium's text page gives the unified
  // ideographs (广州市黄埔区) itself, and its records are pdf.js's (engines.slow.test.ts): pinned
  // to pdf.js, whatever NIANBAO_PDF_ENGINE the suite runs with, for the path to stay tested.
  it('reads text that the font maps to CJK radicals (⼴ for 广, ⻩ for 黄, ⾏ for 行) through the normal path (pdf.js)', () => withEngine('pdfjs', async () => {
    const bytes = sample('chromium-2021-split');
    const doc = await extractDocument(bytes);
    // Chromium's subset fonts map these glyphs to the Kangxi radicals and the radicals supplement.
    expect(doc.text).toContain('⼴州市⻩埔区');
    const rec = await extractRecord(bytes, { uri: 'radicals.pdf' });
    expect(rec.agency).toBe('广州市黄埔区教育局');
    // A row whose label the font wrote with radicals is found and read.
    const p = rec.provenance!['applications.denied.prohibitedByLaw.total']!;
    const label = doc.tables[p.table]!.rows.find((r) => r[0]!.row === p.row)!.map((c) => c.text).join('');
    expect(label).toMatch(/[\u2e80-\u2fdf]/);
    expect(normalizeText(label)).toContain('其他法律行政法规禁止公开');
    expect(rec.status).toBe('valid');
  }));
});

/** Words of one page with their boxes, from poppler's pdftotext (top-left origin). */
function popplerWords(file: string, page: number): { height: number; words: { text: string; x0: number; y0: number; x1: number; y1: number }[] } {
  const html = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-bbox', file, '-'], { encoding: 'utf8' });
  const height = Number(/<page width="[\d.]+" height="([\d.]+)"/.exec(html)![1]);
  const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    text: m[5]!, x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]),
  }));
  return { height, words };
}

describe('provenance', () => {
  it.each([['chromium-2019-long'], ['libreoffice-2021-docx']])('%s: a value cell points at the page and box holding its text', async (name) => {
    const file = join(SAMPLES_DIR, 'pdf', `${name}.pdf`);
    const rec = await extractRecord(readFileSync(file), { uri: file });
    const fields = ['applications.newReceived.total', 'applications.total.total', 'applications.carriedForward.total', 'review.total'];
    for (const f of fields) {
      const p = rec.provenance?.[f];
      expect(p?.page, f).toBeGreaterThan(0);
      const [x0, y0, x1, y1] = p!.bbox!;
      const { height, words } = popplerWords(file, p!.page!);
      const raw = rec.raw[f]!;
      // poppler's words whose centre lies in the cell (turned to its top-left origin) spell the value.
      const inside = words
        .filter((w) => (w.x0 + w.x1) / 2 > x0 && (w.x0 + w.x1) / 2 < x1 && height - (w.y0 + w.y1) / 2 > y0 && height - (w.y0 + w.y1) / 2 < y1)
        .sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
      expect(inside.map((w) => w.text).join(''), `${f} in [${p!.bbox}] on page ${p!.page}`).toBe(raw.replace(/\s+/g, ''));
      // And the cell is a cell, not the page: a few dozen points each way.
      expect(x1 - x0).toBeLessThan(120);
      expect(y1 - y0).toBeLessThan(80);
    }
  });
});

describe('limits', () => {
  it('reads only the first maxPages pages and says so', async () => {
    const doc = await extractDocument(sample('chromium-2019-long'), { limits: { maxPages: 1 } });
    expect(doc.pages).toBe(1);
    expect(doc.method).toMatch(/first 1 of \d+ pages/);
    expect(doc.tables.flatMap((t) => t.rows.flat()).every((c) => c.page === 1)).toBe(true);
  });

  it('calls a scan over the page limit too large rather than textless (the rest was not read)', async () => {
    const rec = await extractRecord(sample('failed-scanned'), { uri: 'scan.pdf', limits: { maxPages: 1 } });
    expect(rec.issues.map((i) => i.code)).toEqual(['too_large']);
    const all = await extractRecord(sample('failed-scanned'), { uri: 'scan.pdf' });
    expect(all.issues.map((i) => i.code)).toEqual(['no_text_layer']);
  });

  it('gives up after the time limit', async () => {
    const rec = await extractRecord(sample('chromium-2019-long'), { uri: 'slow.pdf', limits: { convertTimeoutMs: 1 } });
    expect(rec.status).toBe('failed');
    expect(rec.issues[0]).toMatchObject({ code: 'too_large', severity: 'error' });
    expect(rec.issues[0]!.message).toMatch(/longer than/);
  });

  it('reads a PDF encrypted with an owner password only (no open password)', async () => {
    const rec = await extractRecord(sample('libreoffice-2021-permissions'), { uri: 'perm.pdf' });
    expect(rec.status).toBe('valid');
  });
});
