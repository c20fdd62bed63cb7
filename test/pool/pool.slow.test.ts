/**
 * The parse pool on real work (slow: documents of every format, threads loading pdf.js): results
 * byte-identical to extraction in place, and a heap cap that kills only the greedy task's thread.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { type ParsePool, createParsePool } from '../../src/pool/pool.js';
import { manyRectsPdf, withEngine, withEnv } from '../helpers/pdf.js';
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
    await withEngine('pdfium', async () => {
      const pdfium = createParsePool({ threads: 2 });
      try {
        const files = listSamples('pdf').slice(0, 4).map((s) => s.file);
        const inPlace = await Promise.all(files.map((f) => extractRecord(readFileSync(f), { uri: f })));
        const pooled = await Promise.all(files.map((f) => pdfium.extract(readFileSync(f), { uri: f })));
        expect(pooled.map((r) => JSON.stringify(r))).toEqual(inPlace.map((r) => JSON.stringify(r)));
      } finally {
        await pdfium.close();
      }
    });
  }, 180_000);

  // The thread's heap cap does not cover wasm memory: PDFium's own cap (in the module the pool
  // compiles) does, and the thread's next document gets a fresh instance.
  it('with PDFium, a PDF past the engine\'s memory cap is a failed record (limit memoryMb) and the thread goes on', async () => {
    await withEnv({ NIANBAO_PDF_ENGINE: 'pdfium', NIANBAO_PDF_MEMORY_MB: '48' }, async () => {
      const pool = createParsePool({ threads: 1 });
      try {
        const greedy = await pool.extract(manyRectsPdf(300_000), { uri: 'greedy.pdf' });
        expect(greedy.status).toBe('failed');
        expect(greedy.issues.map((i) => i.code)).toEqual(['too_complex']);
        expect(greedy.issues[0]!.message).toContain('more than 48 MB');
        expect(greedy.issues[0]!.message).toContain('limit memoryMb');
        const s = listSamples('pdf').find((x) => x.name.startsWith('libreoffice-'))!;
        const next = await pool.extract(readFileSync(s.file), { uri: s.file });
        expect(JSON.stringify(next)).toBe(JSON.stringify(await extractRecord(readFileSync(s.file), { uri: s.file })));
      } finally {
        await pool.close();
      }
    });
  }, 180_000);

  it('with PDFium, a read past the time limit is stopped (limit timeMs)', async () => {
    await withEngine('pdfium', async () => {
      const pool = createParsePool({ threads: 1, extractTimeoutMs: 4_000 });
      try {
        // Warm the thread first, so that the limit falls on PDFium's reading, not on loading.
        const s = listSamples('pdf').find((x) => x.name.startsWith('libreoffice-'))!;
        expect((await pool.extract(readFileSync(s.file), { uri: s.file })).status).not.toBe('failed');
        const slow = await pool.extract(manyRectsPdf(800_000), { uri: 'slow.pdf' });
        expect(slow.issues.map((i) => i.code)).toEqual(['too_complex']);
        expect(slow.issues[0]!.message).toContain('limit timeMs');
      } finally {
        await pool.close();
      }
    });
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
