/**
 * DOCX files that yield no record fail fast with a reason: zip bombs (declared and lying sizes),
 * XML entity bombs and external entities, truncated archives.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { extractDocument } from '../../src/extract/index.js';
import { guardDocx, zipEntries } from '../../src/extract/docx/zip-guard.js';
import type { ExtractLimits } from '../../src/extract/index.js';
import { SAMPLES_DIR, listSamples } from '../helpers/samples.js';
import { readZip, repack, writeZip } from './zip.js';

const base = readFileSync(join(SAMPLES_DIR, 'docx', 'lo-2021-word.docx'));
const baseExpected = listSamples('docx').find((s) => s.name === 'lo-2021-word')!.expected;

async function extract(bytes: Uint8Array, limits: Partial<ExtractLimits> = {}) {
  const t0 = performance.now();
  const rss0 = process.memoryUsage().rss;
  const rec = await extractRecord(bytes, { uri: 'hostile.docx', limits });
  return { rec, ms: performance.now() - t0, rssGrowthMb: (process.memoryUsage().rss - rss0) / 2 ** 20, codes: rec.issues.map((i) => i.code) };
}

// Load the adapters once, so the timings below measure the guards, not module loading.
beforeAll(async () => {
  await extractDocument(base);
});

const BILLION_LAUGHS = `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>`;

describe('the ZIP reader', () => {
  it('lists a real DOCX and passes it', () => {
    const names = zipEntries(base).map((e) => e.name);
    expect(names).toContain('word/document.xml');
    expect(names).toContain('[Content_Types].xml');
    expect(() => guardDocx(base, 256 * 2 ** 20)).not.toThrow();
  });

  it('a DOCX rebuilt by the test ZIP writer still reads right (the writer is sound)', async () => {
    const { rec } = await extract(repack(base, {}));
    expect(rec.values).toEqual(baseExpected.values);
  });
});

/**
 * A refused bomb takes milliseconds; inflating one takes seconds of CPU and hundreds of MB. The
 * bound is generous (a loaded 2-core machine runs a test many times slower than an idle one): it
 * catches a hang, while the memory checks catch inflation.
 */
const BOMB_MS = 10_000;

describe('zip bombs', () => {
  it('declared sizes over the limit: refused before anything is inflated', async () => {
    const bomb = repack(base, {}, [{ name: 'word/media/image1.png', data: Buffer.alloc(10), declaredSize: 4_000_000_000 }]);
    const { rec, codes, ms } = await extract(bomb);
    expect(rec.status).toBe('failed');
    expect(codes).toEqual(['too_large']);
    expect(rec.issues[0]!.message).toMatch(/unpacks to 400\d+ bytes; the limit is 268435456/);
    expect(ms).toBeLessThan(BOMB_MS);
  });

  it('honest sizes over a lowered limit are refused the same way', async () => {
    const { codes } = await extract(base, { maxUnpackedBytes: 10_000 });
    expect(codes).toEqual(['too_large']);
  });

  it('a part that inflates far beyond its declared size is caught while inflating, with bounded memory', async () => {
    // 200 MB of XML white space deflates to ~200 kB; the directory claims the original size.
    const doc = zipEntries(base).find((e) => e.name === 'word/document.xml')!;
    const huge = Buffer.alloc(200 * 2 ** 20, 0x20);
    const lying = writeZip(readZip(base).map((p) => (p.name === 'word/document.xml' ? { ...p, data: huge, declaredSize: doc.uncompressedSize } : p)));
    expect(lying.length).toBeLessThan(2 * 2 ** 20);
    const { rec, codes, ms, rssGrowthMb } = await extract(lying);
    expect(rec.status).toBe('failed');
    expect(codes).toEqual(['too_large']);
    expect(rec.issues[0]!.message).toContain('word/document.xml inflates to more than');
    expect(ms).toBeLessThan(BOMB_MS);
    expect(rssGrowthMb).toBeLessThan(100);
  });
});

describe('XML entity tricks', () => {
  const withDoctype = (doctype: string, body = (x: string) => x) =>
    repack(base, { 'word/document.xml': (xml) => body(xml.replace(/^(<\?xml[^>]*\?>)/, `$1${doctype}`)) });

  it('an entity-expansion bomb fails fast as corrupt, and nothing is expanded', async () => {
    const bomb = withDoctype(BILLION_LAUGHS, (x) => x.replace('<w:body>', '<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'));
    const { rec, codes, ms, rssGrowthMb } = await extract(bomb);
    expect(rec.status).toBe('failed');
    expect(codes).toEqual(['corrupt']);
    expect(rec.issues[0]!.message).toMatch(/word\/document\.xml declares a DOCTYPE/);
    expect(ms).toBeLessThan(BOMB_MS);
    expect(rssGrowthMb).toBeLessThan(50);
  });

  it('an external entity (XXE) is refused the same way', async () => {
    const xxe = withDoctype('<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>', (x) => x.replace('<w:body>', '<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>'));
    const { codes, rec } = await extract(xxe);
    expect(codes).toEqual(['corrupt']);
    expect(JSON.stringify(rec)).not.toContain('root:');
  });

  it('a DOCTYPE in a UTF-16 part or in a relationship part is found too', async () => {
    const utf16 = repack(base, { 'word/styles.xml': Buffer.from(`\ufeff<?xml version="1.0" encoding="UTF-16"?>${BILLION_LAUGHS}<w:styles/>`, 'utf16le') });
    expect((await extract(utf16)).codes).toEqual(['corrupt']);
    const rels = repack(base, { 'word/_rels/document.xml.rels': (x) => x.replace(/^(<\?xml[^>]*\?>)/, `$1${BILLION_LAUGHS}`) });
    expect((await extract(rels)).codes).toEqual(['corrupt']);
  });
});

describe('damaged archives', () => {
  it('a truncated DOCX is corrupt, not a crash', async () => {
    const { rec, codes } = await extract(base.subarray(0, Math.floor(base.length / 2)));
    expect(rec.status).toBe('failed');
    expect(codes).toEqual(['corrupt']);
    expect(rec.issues[0]!.message).toMatch(/damaged/);
  });

  it('a DOCX without its document part is corrupt', async () => {
    const { codes } = await extract(writeZip(readZip(base).filter((p) => p.name !== 'word/document.xml')));
    expect(codes).toEqual(['corrupt']);
  });
});

describe('Word documents that are no report', () => {
  it('a DOCX without tables: no_tables, with its title still read', async () => {
    const { Document, Packer, Paragraph } = await import('docx');
    const bytes = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('某区司法局2021年政府信息公开工作年度报告'), new Paragraph('一、总体情况')] }] }));
    const { rec, codes } = await extract(bytes);
    expect(rec.status).toBe('failed');
    expect(codes).toEqual(['no_tables']);
    expect(rec.issues[0]!.message).toContain('docx:xml');
    expect([rec.agency, rec.year]).toEqual(['某区司法局', 2021]);
  });

  it('a table nested in a layout table: only the inner one is a grid', async () => {
    const { Document, Packer, Paragraph, Table, TableCell, TableRow } = await import('docx');
    const inner = new Table({ rows: [new TableRow({ children: [new TableCell({ children: [new Paragraph('规章')] }), new TableCell({ children: [new Paragraph('3')] })] })] });
    const outer = new Table({ rows: [new TableRow({ children: [new TableCell({ children: [new Paragraph('版式'), inner, new Paragraph('')] })] })] });
    const bytes = await Packer.toBuffer(new Document({ sections: [{ children: [outer] }] }));
    const doc = await extractDocument(bytes);
    expect(doc.tables.map((t) => t.rows.map((r) => r.map((c) => c.text)))).toEqual([[['规章', '3']]]);
  });
});
