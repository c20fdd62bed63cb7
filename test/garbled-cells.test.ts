/**
 * A cell among a row's numbers that reads as no number ("”0": a stray mark on a scan, a quote a
 * converter left) is a garbled number, not a label. Read as a label it cut the row in two, and
 * the row's remaining cells were split and repaired into wrong numbers (14 → 1|4, total 19 → 10).
 */
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../src/extractor.js';
import { generateReport } from './fixtures/report.js';
import { renderTabRows } from './fixtures/render-text.js';

describe('a garbled cell among a row’s numbers', () => {
  it.each(['2019', '2021'] as const)('%s tab rows: the cell is left out and named, its row keeps its other numbers, nothing wrong', async (template) => {
    const rep = generateReport(1023, { template, activity: 0.6 });
    const lines = renderTabRows(rep).split('\n');
    const row = lines.findIndex((l) => l.includes('7.属于行政执法案卷'));
    const three = lines.findIndex((l) => l.includes('3.危及'));
    // The row before loses its label, so no column identity can check the garbled row.
    lines[three] = lines[three]!.replace(/3\.危及[^\t]*/, '3-');
    lines[row] = lines[row]!.replace(/7\.属于行政执法案卷((?:\t\d+){5})\t(\d+)/, '7.$1\t”$2');
    expect(lines[row]).toContain('”');
    const rec = await extractRecord(Buffer.from(lines.join('\n')), { uri: 'garbled.txt' });
    const wrong = Object.entries(rec.values).filter(([f, v]) => v !== rep.values[f]);
    expect(wrong).toEqual([]);
    const garbled = 'applications.denied.enforcementFiles.otherOrg';
    expect(garbled in rec.values).toBe(false);
    expect(rec.issues.find((i) => i.code === 'unreadable_cells')?.fields).toEqual([garbled]);
    expect(rec.values['applications.denied.enforcementFiles.total']).toBe(rep.values['applications.denied.enforcementFiles.total']);
  });
});
