/**
 * Reports published as pictures: the pages of a scanned sample rendered to JPEG and PNG by
 * poppler, alone, stacked into one long screenshot, and pasted into a Word document, read
 * through the public entry. The safety
 * rule first (no value shown differs from the truth), then as much read from the long picture as
 * from the scanned PDF it was made from. Needs tesseract (+ chi_sim) and poppler-utils: skipped
 * with a message where they are missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, ImageRun, Packer, Paragraph, TextRun } from 'docx';
import jpegJs from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { PDFTOPPM_ENV, TESSERACT_ENV, findTool } from '../../src/extract/ocr/tools.js';
import { findSoffice } from '../../src/extract/docx/soffice.js';
import { RecordSchema } from '../../src/validate/schema.js';
import { expectTrueToScan, listSamples } from '../helpers/samples.js';

const pdftoppm = findTool('pdftoppm', PDFTOPPM_ENV);
const soffice = findSoffice();
const tools = findTool('tesseract', TESSERACT_ENV) && pdftoppm;
if (!tools) console.warn('test/ocr/picture: tesseract or pdftoppm not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils): skipped');

/** The pages stacked top to bottom, as a phone's long screenshot of a report is. */
function stack(jpegs: readonly Buffer[]): Buffer {
  const pages = jpegs.map((j) => jpegJs.decode(j, { useTArray: true, maxMemoryUsageInMB: 1024 }));
  const width = pages[0]!.width;
  expect(pages.every((p) => p.width === width)).toBe(true);
  const data = new Uint8Array(width * pages.reduce((n, p) => n + p.height, 0) * 4);
  let at = 0;
  for (const p of pages) {
    data.set(p.data, at);
    at += p.data.length;
  }
  return Buffer.from(jpegJs.encode({ data, width, height: data.length / 4 / width }, 85).data);
}

describe.skipIf(!tools)('a report as pictures', () => {
  const sample = listSamples('scan').find((s) => s.name === 'scan-2021-200dpi-grey')!;
  let dir: string;
  const page = (name: string) => readFileSync(join(dir, name));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nianbao-picture-test-'));
    execFileSync(pdftoppm!, ['-r', '200', '-gray', '-jpeg', sample.file, join(dir, 'j')]);
    execFileSync(pdftoppm!, ['-r', '200', '-f', '1', '-l', '1', '-gray', '-png', sample.file, join(dir, 'p')]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('one long picture of the whole report: read in page-tall parts, as much as the scanned PDF gives, none wrong', async () => {
    const long = stack(['j-1.jpg', 'j-2.jpg', 'j-3.jpg'].map(page));
    const rec = await extractRecord(long, { uri: 'report.jpg' });
    RecordSchema.parse(rec);
    expect(rec.source.format).toBe('image');
    expect(rec.template).toBe('2021');
    const exact = expectTrueToScan(rec, sample.expected);
    // The scanned PDF itself reads at least 185 (scan-samples.slow.test.ts); read whole as one
    // tall page, this picture gave 74.
    expect(exact).toBeGreaterThanOrEqual(185);
    // Each value points at its part (a page of the PDF the picture was shown as) and its box.
    const parts = new Set(Object.values(rec.provenance ?? {}).map((p) => p.page));
    expect(parts.size).toBeGreaterThanOrEqual(3);
    expect(rec.issues.find((i) => i.code === 'ocr')?.message).toMatch(/pages 1, 2, 3/);
  }, 180_000);

  /** The three pages pasted into a Word document after a letterhead logo and a line of text. */
  async function pastedDocx(): Promise<Buffer> {
    const pages = ['j-1.jpg', 'j-2.jpg', 'j-3.jpg'].map(page);
    const logo = Buffer.from(jpegJs.encode({ data: new Uint8Array(64 * 64 * 4).fill(90), width: 64, height: 64 }, 80).data);
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [
      // A letterhead logo (too small to be a page) before the pages; the pages' order is the body's.
      new Paragraph({ children: [new ImageRun({ type: 'jpg', data: logo, transformation: { width: 40, height: 40 } })] }),
      new Paragraph({ children: [new TextRun('见扫描件。')] }),
      ...pages.map((data) => new Paragraph({ children: [new ImageRun({ type: 'jpg', data, transformation: { width: 595, height: 842 } })] })),
    ] }] }));
    return docx;
  }

  it('a Word document of the scanned pages pasted in (no table of its own): its pictures read as its pages, none wrong', async () => {
    const rec = await extractRecord(await pastedDocx(), { uri: 'report.docx' });
    RecordSchema.parse(rec);
    expect(rec.source.format).toBe('docx');
    expect(rec.template).toBe('2021');
    expect(expectTrueToScan(rec, sample.expected)).toBeGreaterThanOrEqual(185);
    expect(rec.issues.find((i) => i.code === 'ocr')?.message).toMatch(/pages 1, 2, 3\b/);
  }, 180_000);

  it.skipIf(!soffice)('the same saved as .doc by LibreOffice (its directory after the pictures, a megabyte in): sniffed as Word, read alike', async () => {
    writeFileSync(join(dir, 'pasted.docx'), await pastedDocx());
    execFileSync(soffice!, [`-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'doc', '--outdir', dir, join(dir, 'pasted.docx')], { timeout: 120_000, stdio: 'ignore' });
    const doc = readFileSync(join(dir, 'pasted.doc'));
    expect(doc.length).toBeGreaterThan(512 * 1024);
    const rec = await extractRecord(doc, { uri: 'report.doc' });
    expect(rec.source.format).toBe('doc');
    expect(expectTrueToScan(rec, sample.expected)).toBeGreaterThanOrEqual(185);
  }, 240_000);

  it('one page, as JPEG and as PNG: the same values, none wrong, the rest left out and said', async () => {
    const [j, p] = await Promise.all([extractRecord(page('j-1.jpg'), { uri: 'p1.jpg' }), extractRecord(page('p-1.png'), { uri: 'p1.png' })]);
    for (const rec of [j, p]) {
      RecordSchema.parse(rec);
      expect(rec.source.format).toBe('image');
      expect(rec.status).toBe('flagged');
      expect(expectTrueToScan(rec, sample.expected)).toBeGreaterThan(0);
      expect(rec.issues.map((i) => i.code)).toContain('field_missing');
    }
    expect(p.values).toEqual(j.values);
  }, 180_000);
});
