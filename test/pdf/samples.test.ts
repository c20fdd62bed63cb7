/**
 * Every PDF sample in samples/pdf/ through the public entry (extractRecord), against the record
 * written beside it: generated reports printed by Chromium and LibreOffice must come back with
 * every value; samples that are flagged must be wrong nowhere an error does not name; broken
 * files must fail with the reason a researcher can act on.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { RecordSchema } from '../../src/validate/schema.js';
import { type GenerateOptions, generateReport } from '../fixtures/report.js';
import { assertSample, listSamples } from '../helpers/samples.js';

const samples = listSamples('pdf');

describe('PDF samples', () => {
  it('are there: printed reports of both formats and the failures', () => {
    const names = samples.map((s) => s.name);
    expect(names.filter((n) => n.startsWith('chromium-')).length).toBeGreaterThanOrEqual(4);
    expect(names.filter((n) => n.startsWith('libreoffice-')).length).toBeGreaterThanOrEqual(2);
    for (const code of ['encrypted', 'corrupt', 'no_text_layer']) expect(samples.some((s) => s.expected.issues.includes(code))).toBe(true);
  });

  it.each(samples.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const rec = await extractRecord(readFileSync(s.file), { uri: s.file });
    RecordSchema.parse(rec);
    expect(rec.source.format).toBe('pdf');
    assertSample(rec, s.expected);
    if (s.expected.status === 'flagged') {
      // Re-derive the true values from how the sample was made: nothing present may be wrong
      // unless an error names it.
      const made = s.expected.made as { seed: number; generate: GenerateOptions };
      const truth = generateReport(made.seed, made.generate).values;
      for (const [field, value] of Object.entries(rec.values)) {
        if (value === truth[field]) continue;
        const named = rec.issues.some((i) => i.severity === 'error' && (i.fields ?? []).includes(field));
        expect(named, `${field}: ${value} instead of ${truth[field]}, and no error names it`).toBe(true);
      }
    }
  });
});
