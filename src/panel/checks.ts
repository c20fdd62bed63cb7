/**
 * The cross-report identities over a panel of records: for each agency key and each year N the
 * store holds, every report of N is checked against the report standing for N−1 (choose.ts)
 * under the rules of rules.json. A break is a finding on the later report; nothing is changed.
 * Pure: records in, findings and a status per report out.
 */
import { shortField } from '../record/issues.js';
import { type Choosable, latestFirst } from './choose.js';
import { type LinearPanelRule, PANEL_RULES, type PanelRule, type RatioPanelRule } from './rules.js';

export interface PanelEntry extends Choosable {
  reportId: string;
  /** Null (or a key whose place is unknown) leaves the report unchecked. */
  agencyKey: string | null;
  year: number | null;
  template: '2019' | '2021' | null;
  /** A failed record has no numbers to compare. */
  failed: boolean;
  /** The record's values: null = a blank cell (0 in the identities), absent = not located. */
  values: Readonly<Record<string, number | null>>;
}

export interface PanelFinding {
  /** The later report, which carries the issue. */
  reportId: string;
  agencyKey: string;
  year: number;
  rule: string;
  strength: 'strong' | 'weak';
  field: string;
  /** The later report's value (null: blank). */
  value: number | null;
  /** The report of year − 1 it was checked against. */
  otherReportId: string;
  otherYear: number;
  /** What the other report implies for `field` (the unit-jump rule: the other report's amount). */
  otherValue: number | null;
  message: string;
}

/**
 * consistent: checked against the previous year, no break; mismatch: a break; no_previous_year:
 * no report of N−1 in the store; not_comparable: the two reports share no checkable field;
 * unchecked: failed, or no agency key (or one whose place is unknown), or no year.
 */
export type PanelStatus = 'consistent' | 'mismatch' | 'no_previous_year' | 'not_comparable' | 'unchecked';
export const PANEL_STATUSES: readonly PanelStatus[] = ['consistent', 'mismatch', 'no_previous_year', 'not_comparable', 'unchecked'];

export interface PanelReportStatus {
  reportId: string;
  agencyKey: string | null;
  year: number | null;
  status: PanelStatus;
  previousReportId: string | null;
}

/** What the panel checks say about one report (as stored; see store.ts). */
export interface PanelView {
  status: PanelStatus;
  previousReportId: string | null;
  findings: PanelFinding[];
}

export interface PanelResult {
  findings: PanelFinding[];
  statuses: PanelReportStatus[];
}

/** A key without a known place may join two different bodies of one name: not a panel. */
export const checkableKey = (key: string | null): key is string => !!key && !key.startsWith('unknown:');

const fmt = (n: number | null) => (n === null ? 'blank' : Number.isInteger(n) ? String(n) : n.toFixed(2));

/** A field's value for the identities: blank counts as 0; undefined when the report lacks it. */
function get(e: PanelEntry, field: string): number | undefined {
  if (!(field in e.values)) return undefined;
  return e.values[field] ?? 0;
}

interface Pair {
  earlier: PanelEntry;
  later: PanelEntry;
}

function applies(rule: PanelRule, p: Pair): boolean {
  return !!p.earlier.template && !!p.later.template && rule.templates.earlier.includes(p.earlier.template) && rule.templates.later.includes(p.later.template);
}

type Partial = Omit<PanelFinding, 'reportId' | 'agencyKey' | 'year' | 'otherReportId' | 'otherYear'>;

function checkLinear(rule: LinearPanelRule, p: Pair, out: Partial[]): number {
  let compared = 0;
  for (const c of rule.checks) {
    const actual = get(p.later, c.field);
    if (actual === undefined) continue;
    let expected = 0;
    const parts: string[] = [];
    let missing = false;
    for (const t of c.expected) {
      const v = get(t.from === 'earlier' ? p.earlier : p.later, t.field);
      if (v === undefined) {
        missing = true;
        break;
      }
      const sign = t.sign ?? 1;
      expected += sign * v;
      parts.push(`${parts.length ? (sign < 0 ? ' − ' : ' + ') : sign < 0 ? '−' : ''}${shortField(t.field)} ${fmt(v)} (${t.from === 'earlier' ? p.earlier.year : p.later.year})`);
    }
    if (missing) continue;
    compared++;
    if (Math.abs(actual - expected) < 1e-6) continue;
    out.push({
      rule: rule.id,
      strength: rule.strength,
      field: c.field,
      value: p.later.values[c.field] ?? null,
      otherValue: expected,
      message: `${shortField(c.field)} is ${fmt(p.later.values[c.field] ?? null)}, but report ${p.earlier.reportId} (${p.earlier.year}) gives ${fmt(expected)}: ${parts.join('')}`,
    });
  }
  return compared;
}

function checkRatio(rule: RatioPanelRule, p: Pair, out: Partial[]): number {
  let compared = 0;
  for (const field of rule.fields) {
    const a = get(p.earlier, field);
    const b = get(p.later, field);
    if (a === undefined || b === undefined) continue;
    compared++;
    if (a <= 0 || b <= 0) continue;
    const big = Math.max(a, b);
    const ratio = big / Math.min(a, b);
    if (big < rule.minYuan || ratio < rule.within[0] || ratio > rule.within[1]) continue;
    const dir = b > a ? `about ${rule.factor}×` : `about 1/${rule.factor} of`;
    out.push({
      rule: rule.id,
      strength: rule.strength,
      field,
      value: b,
      otherValue: a,
      message: `${shortField(field)} is ${fmt(b)} 元, ${dir} the ${fmt(a)} 元 of report ${p.earlier.reportId} (${p.earlier.year}): 元 and 万元 are likely confused in one of the two`,
    });
  }
  return compared;
}

/** Check every report against its agency's previous year under `rules` (default: rules.json). */
export function checkPanel(entries: Iterable<PanelEntry>, rules: readonly PanelRule[] = PANEL_RULES): PanelResult {
  const findings: PanelFinding[] = [];
  const statuses: PanelReportStatus[] = [];
  // agency key → year → reports, chosen one first.
  const byKey = new Map<string, Map<number, PanelEntry[]>>();
  for (const e of entries) {
    if (e.failed || e.year === null || !checkableKey(e.agencyKey)) {
      statuses.push({ reportId: e.reportId, agencyKey: e.agencyKey, year: e.year, status: 'unchecked', previousReportId: null });
      continue;
    }
    const years = byKey.get(e.agencyKey) ?? new Map<number, PanelEntry[]>();
    byKey.set(e.agencyKey, years);
    const list = years.get(e.year) ?? [];
    list.push(e);
    years.set(e.year, list);
  }
  for (const [agencyKey, years] of byKey) {
    for (const list of years.values()) list.sort(latestFirst);
    for (const [year, list] of years) {
      const earlier = years.get(year - 1)?.[0];
      for (const later of list) {
        if (!earlier) {
          statuses.push({ reportId: later.reportId, agencyKey, year, status: 'no_previous_year', previousReportId: null });
          continue;
        }
        const pair = { earlier, later };
        const found: Partial[] = [];
        let compared = 0;
        for (const rule of rules) {
          if (!applies(rule, pair)) continue;
          compared += rule.kind === 'linear' ? checkLinear(rule, pair, found) : checkRatio(rule, pair, found);
        }
        for (const f of found) findings.push({ reportId: later.reportId, agencyKey, year, otherReportId: earlier.reportId, otherYear: earlier.year!, ...f });
        const status: PanelStatus = found.length ? 'mismatch' : compared ? 'consistent' : 'not_comparable';
        statuses.push({ reportId: later.reportId, agencyKey, year, status, previousReportId: earlier.reportId });
      }
    }
  }
  return { findings, statuses };
}
