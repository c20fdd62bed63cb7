/** A stored record as the panel checks see it. Pure. */
import type { NianbaoRecord } from '../validate/schema.js';
import type { PanelEntry } from './checks.js';
import { PANEL_FIELDS } from './rules.js';

/** Only the fields the rules read (about 40 of 200): a full-store check keeps 10,000s of these in memory. */
function ruleValues(values: Readonly<Record<string, number | null>>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const f of PANEL_FIELDS) if (f in values) out[f] = values[f]!;
  return out;
}

export function panelEntry(reportId: string, record: Pick<NianbaoRecord, 'agencyKey' | 'year' | 'template' | 'status' | 'values' | 'source'>, extractedAt: string): PanelEntry {
  return {
    reportId,
    agencyKey: record.agencyKey ?? null,
    year: record.year,
    template: record.template,
    failed: record.status === 'failed',
    values: ruleValues(record.values),
    at: record.source.fetchedAt ?? extractedAt,
  };
}
