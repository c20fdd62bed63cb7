import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { RecordSchema, recordJsonSchema } from '../src/validate/schema.js';
import { templateFields } from '../src/template/index.js';
import { ROOT } from './helpers/shared.js';

describe('record contract', () => {
  it('ships the JSON Schema users load, generated from the zod schema', () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'schema/record.schema.json'), 'utf8'));
    expect(committed).toEqual(recordJsonSchema());
  });

  it('prints the same schema from `nianbao schema`', async () => {
    let out = '';
    const code = await main(['node', 'nianbao', 'schema'], { out: (s) => (out += s), err: () => {} });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(recordJsonSchema());
  });

  it('rejects records that break the contract', () => {
    const ok = { schemaVersion: 1, source: { uri: 'x', format: 'pdf', sha256: 'a'.repeat(64) }, agency: null, year: 2020, template: '2019', values: {}, raw: {}, issues: [], status: 'valid' };
    expect(RecordSchema.safeParse(ok).success).toBe(true);
    expect(RecordSchema.safeParse({ ...ok, status: 'ok' }).success).toBe(false);
    expect(RecordSchema.safeParse({ ...ok, source: { ...ok.source, sha256: 'xyz' } }).success).toBe(false);
    expect(RecordSchema.safeParse({ ...ok, issues: [{ code: 'made_up', severity: 'error', message: '' }] }).success).toBe(false);
  });

  it('lists every field code of record.md in the templates', () => {
    const f2019 = templateFields('2019').map((f) => f.code);
    const f2021 = templateFields('2021').map((f) => f.code);
    expect(f2019).toHaveLength(22 + 23 * 7 + 15);
    expect(f2021).toHaveLength(10 + 25 * 7 + 15);
    expect(f2019).toContain('proactive.procurement.amountYuan');
    expect(f2019).toContain('applications.other.total');
    expect(f2021).toContain('proactive.fees.amountYuan');
    expect(f2021).toContain('applications.other.unpaidFee.legal');
    expect(f2021).toContain('litigation.afterReview.pending');
  });
});
