/**
 * The parse pool on real work (slow: documents of every format, threads loading pdf.js): results
 * byte-identical to extraction in place, and a heap cap that kills only the greedy task's thread.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { type ParsePool, createParsePool } from '../../src/pool/pool.js';
import { listSamples } from '../helpers/samples.js';

const bigTable = (rows: number) => Buffer.from(`<html><body><table>${'<tr><td>本年新收政府信息公开申请数量</td><td>12</td><td>3</td></tr>'.repeat(rows)}</table></body></html>`);

describe('parse pool on real documents', () => {
  const pool: ParsePool = createParsePool({ threads: 2 });
  afterAll(() => pool.close());

  it('extracts every sample format to exactly the record extraction in place gives, in input order', async () => {
    const files = ['html', 'docx', 'pdf'].flatMap((k) => listSamples(k).slice(0, 2).map((s) => s.file));
    const inPlace = await Promise.all(files.map((f) => extractRecord(readFileSync(f), { uri: f })));
    const pooled = await Promise.all(files.map((f) => pool.extract(readFileSync(f), { uri: f })));
    expect(pooled.map((r) => JSON.stringify(r))).toEqual(inPlace.map((r) => JSON.stringify(r)));
  }, 180_000);

  it('with PDFium, the threads read PDFs with the wasm module the pool compiled: the records extraction in place gives', async () => {
    const before = process.env.NIANBAO_PDF_ENGINE;
    process.env.NIANBAO_PDF_ENGINE = 'pdfium';
    const pdfium = createParsePool({ threads: 2 });
    try {
      const files = listSamples('pdf').slice(0, 4).map((s) => s.file);
      const inPlace = await Promise.all(files.map((f) => extractRecord(readFileSync(f), { uri: f })));
      const pooled = await Promise.all(files.map((f) => pdfium.extract(readFileSync(f), { uri: f })));
      expect(pooled.map((r) => JSON.stringify(r))).toEqual(inPlace.map((r) => JSON.stringify(r)));
    } finally {
      await pdfium.close();
      if (before === undefined) delete process.env.NIANBAO_PDF_ENGINE;
      else process.env.NIANBAO_PDF_ENGINE = before;
    }
  }, 180_000);

  it('stops an extraction past its heap cap (only its thread dies) and goes on', async () => {
    const pool = createParsePool({ threads: 1, maxHeapMb: 48 });
    try {
      const rec = await pool.extract(bigTable(100_000), { uri: 'greedy.html' });
      expect(rec.status).toBe('failed');
      expect(rec.issues.map((i) => i.code)).toEqual(['too_complex']);
      expect(rec.issues[0]!.message).toContain('limit memoryMb');
      const next = await pool.extract(Buffer.from('<html><body><p>短</p></body></html>'), { uri: 'ok.html' });
      expect(next.issues.map((i) => i.code)).toEqual(['no_tables']);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
