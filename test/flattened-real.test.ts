/**
 * The two real flattened crawler dumps in ../shared/real-flattened (平潭综合实验区 2019 and 2023):
 * every applications and review value exact; each proactive cell exact or named as ambiguous;
 * no value that differs from the published table.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../src/extractor.js';
import { sharedAvailable, sharedPath } from './helpers/shared.js';

const CASES = ['pingtan-2019', 'pingtan-2023'];

describe.skipIf(!sharedAvailable())('real flattened dumps', () => {
  it.each(CASES)('%s: applications and review exact, proactive exact or flagged, nothing wrong', async (name) => {
    const bytes = readFileSync(sharedPath('real-flattened', `${name}.txt`));
    const truth = JSON.parse(readFileSync(sharedPath('real-flattened', `${name}.truth.json`), 'utf8')) as { template: string; year: number; values: Record<string, number | null> };
    const rec = await extractRecord(bytes, { uri: `${name}.txt` });
    expect(rec.template).toBe(truth.template);
    expect(rec.year).toBe(truth.year);
    const flagged = new Set(rec.issues.filter((i) => i.severity === 'error').flatMap((i) => i.fields ?? []));
    for (const [field, want] of Object.entries(truth.values)) {
      if (field.startsWith('proactive.')) {
        if (field in rec.values) expect(rec.values[field], field).toBe(want);
        else expect(flagged.has(field), `${field} left out without an issue naming it`).toBe(true);
      } else {
        expect(rec.values[field], field).toBe(want);
      }
    }
    // Nothing beyond the published fields.
    for (const field of Object.keys(rec.values)) expect(truth.values).toHaveProperty([field]);
  });

  it('pingtan-2023: the flattened route is taken and the 万元 fee is read exactly', async () => {
    const rec = await extractRecord(readFileSync(sharedPath('real-flattened', 'pingtan-2023.txt')), { uri: 'x.txt' });
    expect(rec.values['proactive.fees.amountYuan']).toBe(59490886.67);
    expect(rec.values['proactive.licensing.decisions']).toBe(2629);
    expect(rec.issues.map((i) => i.code)).toContain('ambiguous_cells');
  });
});
