/**
 * The cross-report identities over a generated panel of 200 agencies × 5 years with one break of
 * each kind planted: each is found, on the right report and field, and nothing else is.
 */
import { describe, expect, it } from 'vitest';
import { checkPanel } from '../../src/panel/checks.js';
import { panelEntry } from '../../src/panel/entry.js';
import { PANEL_RULES } from '../../src/panel/rules.js';
import { generatePanel } from '../fixtures/panel.js';

const entries = (records: ReturnType<typeof generatePanel>['records']) => records.map((r) => panelEntry(r.reportId!, r, r.source.fetchedAt!));

describe('panel checks on a generated panel', () => {
  const panel = generatePanel(11);
  const { findings, statuses } = checkPanel(entries(panel.records));
  const plantedBreaks = panel.planted.filter((p) => ['carried_over', 'unit_jump', 'previous_count', 'in_force'].includes(p.kind));

  it('is big enough', () => {
    expect(panel.agencyKeys.length).toBe(200);
    expect(new Set(panel.agencyKeys).size).toBe(200);
    expect(panel.records.length).toBeGreaterThanOrEqual(200 * 5 - 2);
  });

  it('finds every planted break and nothing else', () => {
    const got = findings.map((f) => `${f.rule} ${f.reportId} ${f.field}`).sort();
    const want = plantedBreaks.flatMap((p) => p.fields.map((f) => `${p.kind} ${p.reportId} ${f}`)).sort();
    expect(got).toEqual(want);
  });

  it('names the other report and both values', () => {
    const co = findings.find((f) => f.rule === 'carried_over' && f.field === 'applications.carriedOver.natural')!;
    const prev = panel.records.find((r) => r.reportId === co.otherReportId)!;
    expect(prev.year).toBe(co.year - 1);
    expect(prev.agencyKey).toBe(co.agencyKey);
    expect(co.otherValue).toBe(prev.values['applications.carriedForward.natural'] ?? 0);
    expect(co.value).toBe((co.otherValue ?? 0) + 3);
    expect(co.message).toContain(prev.reportId!);
    const jump = findings.find((f) => f.rule === 'unit_jump')!;
    expect([jump.value, jump.otherValue]).toEqual([12_340_000, 1234]);
    expect(jump.strength).toBe('strong');
    expect(findings.find((f) => f.rule === 'previous_count')!.strength).toBe('weak');
    expect(findings.find((f) => f.rule === 'in_force')!.strength).toBe('weak');
  });

  it('gives every report a status', () => {
    expect(statuses.length).toBe(panel.records.length);
    const by = (s: string) => statuses.filter((x) => x.status === s);
    // Breaks on 4 reports; each agency's first year has no previous; so do the years after a gap or a failure.
    expect(new Set(by('mismatch').map((s) => s.reportId))).toEqual(new Set(plantedBreaks.map((p) => p.reportId)));
    expect(by('no_previous_year').length).toBe(200 + 2);
    expect(by('unchecked').map((s) => s.reportId)).toEqual(panel.planted.filter((p) => p.kind === 'failed').map((p) => p.reportId));
    // The duplicate's two copies are both checked against 2019; the next year against the later copy.
    const dup = panel.planted.find((p) => p.kind === 'duplicate')!;
    const after = statuses.find((s) => s.agencyKey === dup.agencyKey && s.year === dup.year + 1)!;
    expect(after.previousReportId).toBe(dup.reportId);
    expect(after.status).toBe('consistent');
  });

  it('leaves keys without a known place unchecked, and compares only consecutive years', () => {
    const [a, b] = panel.records.filter((r) => r.agencyKey === panel.agencyKeys[0]);
    const moved = { ...b!, values: { ...b!.values, 'applications.carriedOver.total': 999 } };
    const unknown = checkPanel(entries([{ ...a!, agencyKey: 'unknown:某中心' }, { ...moved, agencyKey: 'unknown:某中心' }]));
    expect(unknown.findings).toEqual([]);
    expect(unknown.statuses.map((s) => s.status)).toEqual(['unchecked', 'unchecked']);
    const gap = checkPanel(entries([a!, { ...moved, year: a!.year! + 2 }]));
    expect(gap.findings).toEqual([]);
    expect(checkPanel(entries([a!, moved])).findings.map((f) => f.field)).toEqual(['applications.carriedOver.total']);
  });

  it('skips a field a report lacks instead of reading it as zero', () => {
    const [a, b] = panel.records.filter((r) => r.agencyKey === panel.agencyKeys[0]);
    const values = { ...b!.values, 'applications.carriedOver.total': 999 };
    delete (values as Record<string, unknown>)['applications.carriedOver.total'];
    const prevValues = { ...a!.values };
    delete (prevValues as Record<string, unknown>)['applications.carriedForward.natural'];
    const res = checkPanel(entries([{ ...a!, values: prevValues }, { ...b!, values: { ...values, 'applications.carriedOver.natural': 777 } }]));
    expect(res.findings).toEqual([]);
  });

  it('keeps its rules as data', () => {
    expect(PANEL_RULES.map((r) => r.id)).toEqual(['carried_over', 'previous_count', 'in_force', 'unit_jump']);
  });
});
