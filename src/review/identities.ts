/**
 * The identities a record's tables must satisfy, over the layout the record was read in, and
 * their state under a set of values (the extracted ones, or a reviewer's corrections). The
 * review page evaluates the same list in the browser as the reviewer types. Pure.
 */
import { type Identity, alternativeFields, expandIdentities, getTemplate, templateFields } from '../template/index.js';
import { type IdentityResult, type ValueMap, evaluate } from '../validate/identities.js';
import type { NianbaoRecord } from '../validate/schema.js';

const rowOf = (field: string) => field.slice(0, field.lastIndexOf('.'));

/**
 * The fields of the record's layout: the template's, with an alternative row layout (（六） as
 * one row) in place of the rows it replaces when the record was read that way.
 */
export function layoutFields(record: Pick<NianbaoRecord, 'template' | 'values' | 'raw'>): Set<string> {
  if (!record.template) return new Set();
  const present = (f: string) => f in record.values || f in record.raw;
  let fields = templateFields(record.template).map((f) => f.code);
  for (const section of getTemplate(record.template).sections) {
    for (const alt of section.alternatives ?? []) {
      const altFields = alternativeFields(record.template).filter((f) => alt.with.some((w) => w.code === f.row.code)).map((f) => f.code);
      if (!altFields.some(present)) continue;
      fields = fields.filter((f) => !alt.replace.includes(rowOf(f))).concat(altFields);
    }
  }
  return new Set(fields);
}

export function recordIdentities(record: Pick<NianbaoRecord, 'template' | 'values' | 'raw'>): Identity[] {
  return record.template ? expandIdentities(getTemplate(record.template), layoutFields(record)) : [];
}

/** Each identity under `values` (a field absent from it is unknown: the identity is undecided). */
export function checkIdentities(identities: readonly Identity[], values: Readonly<Record<string, number | null>>): IdentityResult[] {
  const map: ValueMap = new Map(Object.entries(values));
  return identities.map((id) => evaluate(id, map));
}
