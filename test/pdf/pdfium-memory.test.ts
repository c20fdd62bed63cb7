/**
 * PDFium's wasm memory is outside the thread's heap cap: its module carries a cap of its own
 * (NIANBAO_PDF_MEMORY_MB). A PDF that needs more is a failed record naming the limit — not a
 * crash, and not a record made of what PDFium managed to read before its allocations failed —
 * and the next document is read by a fresh instance.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { manyRectsPdf, withEnv } from '../helpers/pdf.js';
import { listSamples } from '../helpers/samples.js';

describe('PDFium memory cap', () => {
  it('fails a PDF past the cap as too_complex (limit memoryMb), then reads the next one as before', async () => {
    const sample = listSamples('pdf').find((s) => s.name.startsWith('libreoffice-'))!;
    const bytes = readFileSync(sample.file);
    const uncapped = await withEnv({ NIANBAO_PDF_ENGINE: 'pdfium' }, () => extractRecord(bytes, { uri: sample.file }));
    await withEnv({ NIANBAO_PDF_ENGINE: 'pdfium', NIANBAO_PDF_MEMORY_MB: '40' }, async () => {
      // ~110 MB of PDFium's memory uncapped (its page objects).
      const greedy = await extractRecord(manyRectsPdf(300_000), { uri: 'greedy.pdf' });
      expect(greedy.status).toBe('failed');
      expect(greedy.issues.map((i) => [i.code, i.severity])).toEqual([['too_complex', 'error']]);
      expect(greedy.issues[0]!.message).toBe('Reading the PDF needed more than 40 MB of memory and was stopped (limit memoryMb).');
      const next = await extractRecord(bytes, { uri: sample.file });
      for (const key of ['status', 'values', 'raw', 'issues', 'provenance'] as const) expect(next[key], key).toEqual(uncapped[key]);
    });
  }, 60_000);
});
