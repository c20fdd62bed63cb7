/**
 * What kind of body an agency is (政府, 办公厅(室), 发改, 公安, 教育, 财政 …), from the table in
 * agency-types.json, so that researchers compare like with like. Pure.
 */
import TABLE from './agency-types.json' with { type: 'json' };

export interface AgencyType {
  /** Stable code: government, general_office, finance, township, … other. */
  type: string;
  /** The Chinese label researchers know it by. */
  label: string;
}

const TYPES = TABLE.types.map((t) => ({ type: t.type, label: t.label, patterns: t.patterns.map((p) => new RegExp(p)) }));

export const OTHER: AgencyType = { type: 'other', label: '其他' };

/** Every type code with its label, in the table's order (for the codebook). */
export function agencyTypes(): AgencyType[] {
  return [...new Map(TYPES.map((t) => [t.type, { type: t.type, label: t.label }])).values(), OTHER];
}

/**
 * The type of a body from its normalized name and the part after its places (`body`): the body
 * decides (淮安市人民政府办公室 → 人民政府办公室 → general_office), the whole name only when the
 * body says nothing (中共淮安市委办公室).
 */
export function classifyAgency(normalized: string, body: string = normalized): AgencyType {
  for (const text of body && body !== normalized ? [body, normalized] : [normalized]) {
    const hit = TYPES.find((t) => t.patterns.some((p) => p.test(text)));
    if (hit) return { type: hit.type, label: hit.label };
  }
  return OTHER;
}
