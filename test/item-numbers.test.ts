/**
 * A row whose label is lost but for its item number ("8." under a seal's ink or a smudge) is
 * placed by order; when the row above it is lost too, order alone shifted it onto its
 * neighbour. The grid here is the one OCR read from a generated scan (gen-1023 of bench/ocr.ts:
 * 2019 template, 150 dpi, colour, turned 0.8°, sealed): rows 7 and 8 of 不予公开 kept only
 * "7." and "8.", and a stray mark turned one of row 7's cells into no number.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ExtractedDoc } from '../src/extract/grid.js';
import { buildRecord } from '../src/record/build.js';
import { generateReport } from './fixtures/report.js';

const doc = JSON.parse(readFileSync(new URL('./fixtures/ocr/gen-1023-grid.json', import.meta.url), 'utf8')) as ExtractedDoc;
const truth = generateReport(1023, { template: '2019', activity: 0.6 }).values;

describe('rows known only by their item number', () => {
  const rec = buildRecord(doc, { uri: 'gen-1023.pdf', format: 'pdf', sha256: '0' });

  it('a bare "8." is row 8 (行政查询事项), never row 7', () => {
    const shown = Object.keys(rec.values).filter((f) => /denied\.(enforcementFiles|administrativeQuery)\./.test(f));
    expect(shown.length).toBeGreaterThan(0);
    for (const f of shown) expect(rec.values[f], f).toBe(truth[f]);
    expect(rec.provenance?.['applications.denied.administrativeQuery.total']?.row).toBe(14);
  });

  it('shows no value that differs from the truth anywhere in the record', () => {
    const wrong = Object.entries(rec.values).filter(([f, v]) => f in truth && v !== truth[f]);
    expect(wrong).toEqual([]);
  });
});
