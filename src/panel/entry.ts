/** A stored record as the panel checks see it. Pure. */
import type { NianbaoRecord } from '../validate/schema.js';
import type { PanelEntry } from './checks.js';

export function panelEntry(reportId: string, record: Pick<NianbaoRecord, 'agencyKey' | 'year' | 'template' | 'status' | 'values' | 'source'>, extractedAt: string): PanelEntry {
  return {
    reportId,
    agencyKey: record.agencyKey ?? null,
    year: record.year,
    template: record.template,
    failed: record.status === 'failed',
    values: record.values,
    at: record.source.fetchedAt ?? extractedAt,
  };
}
