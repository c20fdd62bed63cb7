/**
 * Sample documents in samples/<kind>/, each with its expected record beside it:
 *   samples/pdf/chromium-2021-split.pdf
 *   samples/pdf/chromium-2021-split.expected.json
 * The expected file holds what a correct extraction must give: agency, year, template, status,
 * the full values map, and issue codes that must be present (others may be too, unless
 * `exactIssues` is true).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { NianbaoRecord } from '../../src/validate/schema.js';
import type { GeneratedReport } from '../fixtures/report.js';
import { ROOT } from './shared.js';

export interface ExpectedSample {
  /** How the sample was made (generator seed and options, renderer, converter), for regeneration. */
  made: Record<string, unknown>;
  agency: string | null;
  year: number | null;
  template: '2019' | '2021' | null;
  status: NianbaoRecord['status'];
  /** Full values map; omitted for failed samples. */
  values?: Record<string, number | null>;
  /** Issue codes that must be present. */
  issues: string[];
  exactIssues?: boolean;
}

export const SAMPLES_DIR = join(ROOT, 'samples');

export function listSamples(kind: string): { name: string; file: string; expected: ExpectedSample }[] {
  const dir = join(SAMPLES_DIR, kind);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.expected.json'))
    .sort()
    .map((n) => {
      const base = n.slice(0, -'.expected.json'.length);
      const file = names.find((m) => m !== n && m.startsWith(`${base}.`) && !m.endsWith('.json'));
      if (!file) throw new Error(`samples/${kind}/${n} has no document beside it`);
      return { name: base, file: join(dir, file), expected: JSON.parse(readFileSync(join(dir, n), 'utf8')) as ExpectedSample };
    });
}

/** The expected record of a generated report (for writing .expected.json files). */
export function expectedFromGenerated(rep: GeneratedReport, made: Record<string, unknown>): ExpectedSample {
  return { made, agency: rep.agency, year: rep.year, template: rep.template, status: 'valid', values: rep.values, issues: [...rep.expectedIssues, ...(Object.values(rep.values).includes(null) ? ['blank_cells'] : [])] };
}

export function assertSample(rec: NianbaoRecord, exp: ExpectedSample): void {
  expect(rec.status).toBe(exp.status);
  expect({ agency: rec.agency, year: rec.year, template: rec.template }).toEqual({ agency: exp.agency, year: exp.year, template: exp.template });
  if (exp.values) expect(rec.values).toEqual(exp.values);
  const codes = rec.issues.map((i) => i.code);
  if (exp.exactIssues) expect([...codes].sort()).toEqual([...exp.issues].sort());
  else for (const c of exp.issues) expect(codes).toContain(c);
  // No silent errors: a valid record carries no error.
  if (rec.status === 'valid') expect(rec.issues.filter((i) => i.severity === 'error')).toEqual([]);
}

/**
 * A scan's record against its sample's truth: no value shown differs (each named with what OCR
 * read), and its agency and year are right or left out, never another. Returns the fields shown.
 */
export function expectTrueToScan(rec: NianbaoRecord, expected: ExpectedSample): number {
  const truth = expected.values!;
  const wrong = Object.entries(rec.values).filter(([f, v]) => v !== truth[f]).map(([f, v]) => `${f}: ${v} (truth ${truth[f]}, read "${rec.raw[f] ?? ''}")`);
  expect(wrong).toEqual([]);
  if (rec.agency !== null) expect(rec.agency).toBe(expected.agency);
  if (rec.year !== null) expect(rec.year).toBe(expected.year);
  return Object.keys(rec.values).length;
}
