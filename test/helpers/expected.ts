/**
 * Expected records written by hand: a template's fields all 0 (or all blank), with the cells a
 * report actually shows spelled out. Tests compare whole `values` maps, never samples.
 */
import { type TemplateId, alternativeFields, templateFields } from '../../src/template/index.js';

export function fieldsOf(template: TemplateId, opts: { otherAggregated?: boolean } = {}): string[] {
  const base = templateFields(template).map((f) => f.code);
  if (!opts.otherAggregated) return base;
  const alt = alternativeFields(template).map((f) => f.code);
  const out: string[] = [];
  let inserted = false;
  for (const f of base) {
    if (/^applications\.other\./.test(f)) {
      if (!inserted) out.push(...alt);
      inserted = true;
    } else out.push(f);
  }
  return out;
}

/** All fields set to `fill`, then the overrides. Override keys may omit the "applications." prefix. */
export function expectedValues(
  template: TemplateId,
  overrides: Record<string, number | null>,
  opts: { fill?: number | null; otherAggregated?: boolean; fillPrefix?: string[] } = {},
): Record<string, number | null> {
  const fields = fieldsOf(template, opts);
  const out: Record<string, number | null> = {};
  for (const f of fields) out[f] = opts.fill === undefined ? 0 : opts.fill;
  if (opts.fillPrefix) for (const f of fields) if (!opts.fillPrefix.some((p) => f.startsWith(p))) out[f] = 0;
  for (const [k, v] of Object.entries(overrides)) {
    const key = k in out ? k : `applications.${k}`;
    if (!(key in out)) throw new Error(`unknown field in expectation: ${k}`);
    out[key] = v;
  }
  return out;
}

/** One applications row from its seven values in column order. */
export function appRow(row: string, vals: (number | null)[]): Record<string, number | null> {
  const cols = ['natural', 'commercial', 'research', 'nonprofit', 'legal', 'otherOrg', 'total'];
  if (vals.length !== 7) throw new Error(`${row}: 7 values expected`);
  return Object.fromEntries(cols.map((c, i) => [`applications.${row}.${c}`, vals[i]!]));
}

export function reviewRow(vals: number[]): Record<string, number> {
  const groups = ['review', 'litigation.direct', 'litigation.afterReview'];
  const outs = ['upheld', 'corrected', 'other', 'pending', 'total'];
  const out: Record<string, number> = {};
  groups.forEach((g, gi) => outs.forEach((o, oi) => (out[`${g}.${o}`] = vals[gi * 5 + oi]!)));
  return out;
}
