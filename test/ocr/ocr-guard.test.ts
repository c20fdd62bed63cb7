/**
 * How a scan's doubted cells settle (src/record/ocr-guard.ts and the OCR branch of
 * src/record/build.ts), on the grid OCR read from a real scan: the generator's report 1018
 * (2021 template) printed, rasterised at 150 dpi, turned 0.8°, read by Tesseract
 * (bench/ocr.ts's gen-1018; the grid is test/fixtures/ocr/*.grid.json, boxes dropped). Its
 * truth is the generator's, so every value shown is checked, not just counted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExtractedDoc } from '../../src/extract/grid.js';
import { type Slot, readDocument } from '../../src/match/index.js';
import { extractMeta } from '../../src/normalize/meta.js';
import { buildRecord } from '../../src/record/build.js';
import { doubtReadings } from '../../src/record/ocr-guard.js';
import { generateReport } from '../fixtures/report.js';
import { ROOT } from '../helpers/shared.js';

const grid = (name: string): ExtractedDoc => JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'ocr', `${name}.grid.json`), 'utf8'));
const source = { uri: 'gen-1018', format: 'pdf', sha256: '0' } as const;

describe('OCR: a scan whose row lost cells (gen-1018)', () => {
  const doc = grid('gen-1018-2021-150dpi-grey-0.8deg');
  const truth = generateReport(1018, { template: '2021', activity: 0.6 }).values;
  const found = readDocument(doc, { year: extractMeta(doc.text, {}).year });
  if (!found.found) throw new Error('no tables in the fixture grid');
  // OCR read this row's 7 cells as "0" "18" "?" "0" "0" "2" "20"; the reader once folded the first
  // three into the label, and the doubt rule below was made for the row that left: 4 cells for 7
  // columns. The reader now keeps "?" as a value cell (text after a row's values began), so the
  // row that lost its cells is rebuilt here from the same OCR grid, without those three cells.
  const isRow = (r: ExtractedDoc['tables'][number]['rows'][number]) => r.some((c) => c.text.startsWith('1.申请人无正当理'));
  const lost: ExtractedDoc = {
    ...doc,
    tables: doc.tables.map((t) => ({ ...t, rows: t.rows.map((r) => (isRow(r) ? r.filter((c) => c.col < 3 || c.col > 5) : r)) })),
  };
  const lostFound = readDocument(lost, { year: extractMeta(lost.text, {}).year });
  if (!lostFound.found) throw new Error('no tables in the fixture grid without the lost cells');
  // Its readings split "20" into "2" and "0" in some and fill the lost cells in others.
  const row = lostFound.rows.find((r) => r.row.code === 'applications.other.noCorrection')!;

  it('the row under test is the one that lost cells', () => {
    expect(row.cells.map((c) => c.cell.text)).toEqual(['0', '0', '2', '20']);
    expect(row.readings.readings.some((rd) => rd.some((s) => s.kind === 'part'))).toBe(true);
  });

  it('on a scan, a row whose every reading splits a cell is read with its cells whole and the rest lost', () => {
    const d = doubtReadings(row.fields, row.readings.readings, new Set(), row.cells);
    // 4 cells kept in order in 7 slots: C(7, 4) placements.
    expect(d.readings).toHaveLength(35);
    for (const rd of d.readings) {
      expect(rd.every((s) => s.kind === 'cell' || s.kind === 'missing')).toBe(true);
      expect(rd.flatMap((s) => (s.kind === 'cell' ? [s.vc.cell.text] : []))).toEqual(['0', '0', '2', '20']);
    }
    // The printed row (0 18 0 0 0 2 20) is among them; no reading puts "20" anywhere but whole.
    const text = (rd: Slot[]) => rd.map((s) => (s.kind === 'cell' ? s.vc.cell.text : '?')).join(' ');
    expect(d.readings.map(text)).toContain('0 ? 0 ? ? 2 20');
    // Without the cells to place, the split cells are lost instead: nothing is split.
    for (const rd of doubtReadings(row.fields, row.readings.readings).readings) expect(rd.some((s) => s.kind === 'part')).toBe(false);
  });

  it('shows no value that differs from the truth, and loses no table to the row', () => {
    const rec = buildRecord(doc, source);
    const wrong = Object.entries(rec.values).filter(([f, v]) => v !== truth[f]);
    expect(wrong).toEqual([]);
    // The split "2" "0" (total 0) once broke the outcomes identity of the total column, and the
    // check then left out every cell of it and every value its rows' identities needed (68 of 200).
    expect(rec.values['applications.other.noCorrection.total']).toBe(20);
    expect(rec.values['applications.total.total']).toBe(truth['applications.total.total']);
    expect(Object.keys(rec.values).length).toBeGreaterThanOrEqual(198);
  });
});

describe('OCR: a value two identities seem to confirm, one of them only because it filled another cell (gen-1028)', () => {
  // 2021 template, 200 dpi, turned 0.8°, sealed. OCR misread granted's 0 0 as "6" "7" (confidence
  // 51 and 19) and lost granted.legal ("0", confidence 0): the column identity made it 3, and the
  // row's total then filled granted.commercial from that 3, so the row total held by construction
  // and counted as a second confirmation. The 3 then balanced the column against a cell placed
  // in the wrong column in the row below (partiallyGranted.legal shown as 0, truth 3).
  const doc = grid('gen-1028-2021-200dpi-grey-0.8deg-sealed');
  const truth = generateReport(1028, { template: '2021', activity: 0.6 }).values;

  it('shows no value that differs from the truth', () => {
    const rec = buildRecord(doc, source);
    expect(Object.entries(rec.values).filter(([f, v]) => v !== truth[f])).toEqual([]);
    expect(rec.values['applications.granted.legal']).toBeUndefined();
    expect(Object.keys(rec.values).length).toBeGreaterThanOrEqual(155);
  });
});

describe('OCR: two misreads that cancel in a column do not confirm each other (JPEG scan, gen 2001)', () => {
  // 2019 template, 300 dpi, colour, sealed, pages stored as JPEG (bench/ocr-conditions.ts'
  // jpeg300 scan). OCR read granted.commercial "158| 58" and partiallyGranted.commercial "21 |，"
  // (confidence 0 both) and misread cells beside them: the row totals made them 159 and 20, and
  // the commercial column's identity held with both fills (159 + 20 = 158 + 21), which counted as
  // the second confirmation of each: two wrong values in a flagged record.
  const doc = grid('cond-jpeg300-gen-2001-2019');
  const truth = generateReport(2001, { template: '2019', activity: 0.6 }).values;

  it('shows no value that differs from the truth', () => {
    const rec = buildRecord(doc, source);
    expect(Object.entries(rec.values).filter(([f, v]) => v !== truth[f])).toEqual([]);
    expect(rec.values['applications.granted.commercial']).toBeUndefined();
    expect(Object.keys(rec.values).length).toBeGreaterThanOrEqual(170);
  });
});

describe('OCR: an amount whose decimal point OCR lost (gen-1021)', () => {
  // 2019 template, 200 dpi. The procurement amount 730.5615 (万元, no unit printed in the cell)
  // was read "730561576": as 万元 it is implausibly large, so its size made it yuan — a wrong value.
  const doc = grid('gen-1021-2019-200dpi-grey-0.4deg');
  const truth = generateReport(1021, { template: '2019', activity: 0.6 }).values;

  it('is left out, not read at another magnitude', () => {
    const rec = buildRecord(doc, source);
    expect(rec.raw['proactive.procurement.amountYuan']).toBe('730561576');
    expect(rec.values['proactive.procurement.amountYuan']).toBeUndefined();
    expect(rec.issues.find((i) => i.code === 'ocr_unconfirmed')?.fields).toContain('proactive.procurement.amountYuan');
    expect(Object.entries(rec.values).filter(([f, v]) => v !== truth[f])).toEqual([]);
  });
});

describe('OCR: a doubted cell in one identity only (gen-1021)', () => {
  // The litigation row: direct 2 + 1 + 4 + "0" = 7, the "0" read at confidence 0. Only that
  // identity holds the cell: the value it gives (0) is the number read, so the identity holds
  // with every cell as read; before, the cell was left out and the whole identity with it.
  const doc = grid('gen-1021-2019-200dpi-grey-0.4deg');
  const truth = generateReport(1021, { template: '2019', activity: 0.6 }).values;

  it('is shown, and so are the cells of its identity', () => {
    const rec = buildRecord(doc, source);
    expect(rec.raw['litigation.direct.pending']).toBe('0');
    for (const f of ['pending', 'upheld', 'corrected', 'other', 'total']) expect(rec.values[`litigation.direct.${f}`]).toBe(truth[`litigation.direct.${f}`]);
    expect(rec.issues.find((i) => i.code === 'cell_repaired' && i.fields?.includes('litigation.direct.pending'))).toBeDefined();
    expect(Object.keys(rec.values).length).toBeGreaterThanOrEqual(195);
  });
});

describe('OCR: two misreads in one table, each mended by its own two identities (gen-1010)', () => {
  // Tesseract read 77 as "7" (enforcementFiles.total) and 0 as "7" (administrativeQuery.legal):
  // four identities broke, two for each cell. Neither cell alone mends them all, so the repair
  // gave up and the breaks took out 149 fields.
  const doc = grid('gen-1010-2021-150dpi-grey-0.2deg-sealed');
  const truth = generateReport(1010, { template: '2021', activity: 0.6 }).values;
  const rec = buildRecord(doc, source);

  it('both cells are repaired, each named with what OCR read', () => {
    const repaired = rec.issues.filter((i) => i.code === 'cell_repaired' && /read by OCR as "7"/.test(i.message)).flatMap((i) => i.fields ?? []);
    expect(repaired.sort()).toEqual(['applications.denied.administrativeQuery.legal', 'applications.denied.enforcementFiles.total']);
  });

  it('shows every applications value, none differing from the truth', () => {
    expect(Object.entries(rec.values).filter(([f, v]) => f in truth && v !== truth[f])).toEqual([]);
    const apps = Object.keys(truth).filter((f) => f.startsWith('applications.'));
    expect(apps.filter((f) => !(f in rec.values))).toEqual([]);
  });
});
