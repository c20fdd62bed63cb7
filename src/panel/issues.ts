/**
 * Joining the panel checks into a stored record for readers: each finding becomes a
 * panel_mismatch warning on the record (naming the other report and both values), and the
 * record keeps its values and status — a warning never changes a number. Pure.
 */
import { issue } from '../record/issues.js';
import type { StoredRecord } from '../store/records.js';
import type { Issue } from '../validate/schema.js';
import type { PanelFinding, PanelView } from './checks.js';

export function panelIssue(f: PanelFinding): Issue {
  return issue('panel_mismatch', 'warning', `${f.strength === 'weak' ? '(weak rule) ' : ''}${f.message}`, [f.field]);
}

/** The record with the panel's verdict: `panel` set, its panel_mismatch warnings added, issue codes updated. */
export function withPanel<T extends StoredRecord>(s: T, view: PanelView | undefined): T {
  if (!view) return s;
  if (!view.findings.length) return { ...s, panel: view };
  const issues = [...s.record.issues.filter((i) => i.code !== 'panel_mismatch'), ...view.findings.map(panelIssue)];
  return { ...s, panel: view, issueCodes: [...new Set([...s.issueCodes, 'panel_mismatch'])].sort(), record: { ...s.record, issues } };
}
