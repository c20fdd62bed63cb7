/**
 * The two official report formats, loaded from their data files (2019.json, 2021.json).
 *
 * A template says which tables a report has, which rows each table has (with the labels a
 * report prints for them), how many value cells each row carries and of what kind, and which
 * accounting identities hold between the cells. Everything downstream — matching, validation,
 * exports, the codebook — reads this data instead of hard-coding field codes.
 */
import t2019 from './2019.json' with { type: 'json' };
import t2021 from './2021.json' with { type: 'json' };

export type TemplateId = '2019' | '2021';
export type ValueKind = 'count' | 'change' | 'money';

export interface ColumnSpec {
  code: string;
  label: string;
  kind: ValueKind;
  group?: string;
  /** Money only: the unit the official header prints (null: the format prints none). */
  headerUnit?: string | null;
  /** Money only: the count column of the same row, used to judge a bare amount's unit. */
  perCount?: string;
}

export interface RowSpec {
  code: string;
  labels: string[];
  group?: string[];
  columns?: ColumnSpec[];
}

export interface Alternative {
  id: string;
  replace: string[];
  with: RowSpec[];
  issue: string;
}

export interface SectionSpec {
  id: 'proactive' | 'applications' | 'review';
  title: string;
  anchors: string[];
  /** rows: one table row per template row; flat: all values of the section in one run (review table). */
  layout: 'rows' | 'flat';
  columns?: ColumnSpec[];
  rows: RowSpec[];
  alternatives?: Alternative[];
}

export type IdentityTerm = string | { anyOf: string[] };

export interface IdentitySpec {
  id: string;
  text: string;
  each?: 'row' | 'column';
  left: IdentityTerm[];
  right: IdentityTerm[];
}

export interface Template {
  id: TemplateId;
  name: string;
  evidence: string[];
  sections: SectionSpec[];
  identities: IdentitySpec[];
}

/** A row as the matcher and validator see it: its columns resolved. */
export interface ResolvedRow extends RowSpec {
  columns: ColumnSpec[];
  section: SectionSpec['id'];
}

/** One field of a template, as listed in the codebook. */
export interface FieldSpec {
  code: string;
  section: SectionSpec['id'];
  row: ResolvedRow;
  column: ColumnSpec;
  template: TemplateId;
}

export const TEMPLATES: Record<TemplateId, Template> = {
  '2019': t2019 as unknown as Template,
  '2021': t2021 as unknown as Template,
};

export function getTemplate(id: TemplateId): Template {
  return TEMPLATES[id];
}

export function resolveRows(section: SectionSpec, rows: RowSpec[] = section.rows): ResolvedRow[] {
  return rows.map((r) => {
    const columns = r.columns ?? section.columns;
    if (!columns) throw new Error(`template row ${r.code} has no columns`);
    // One shape for every row (the data files' rows differ in which keys they have and in what
    // order): the matcher reads these fields for every row against every unit, and objects of one
    // shape keep those reads monomorphic.
    return { code: r.code, labels: r.labels, group: r.group, columns, section: section.id };
  });
}

/**
 * The row list of a section with an alternative layout applied (e.g. （六） as one row). The
 * templates are fixed data and the matcher asks for the same layouts for every document (several
 * times when it weighs both templates): each list is built once and shared, never to be mutated.
 */
export function rowsWithAlternative(section: SectionSpec, alt: Alternative | null): readonly ResolvedRow[] {
  let bySection = layoutCache.get(section);
  if (!bySection) layoutCache.set(section, (bySection = new Map()));
  let rows = bySection.get(alt);
  if (!rows) bySection.set(alt, (rows = Object.freeze(buildRowsWithAlternative(section, alt))));
  return rows;
}

const layoutCache = new WeakMap<SectionSpec, Map<Alternative | null, readonly ResolvedRow[]>>();

function buildRowsWithAlternative(section: SectionSpec, alt: Alternative | null): ResolvedRow[] {
  if (!alt) return resolveRows(section);
  const out: RowSpec[] = [];
  let inserted = false;
  for (const r of section.rows) {
    if (alt.replace.includes(r.code)) {
      if (!inserted) out.push(...alt.with);
      inserted = true;
    } else out.push(r);
  }
  return resolveRows(section, out);
}

export function fieldCode(row: RowSpec, column: ColumnSpec): string {
  // Asked for every field of the layout several times per document: the same few hundred codes
  // are built once, and a code that is always the same string is hashed once by the maps it keys.
  let byColumn = codeCache.get(row.code);
  if (!byColumn) {
    if (codeCache.size >= CODE_CACHE_LIMIT) codeCache.clear();
    codeCache.set(row.code, (byColumn = new Map()));
  }
  let code = byColumn.get(column.code);
  if (code === undefined) byColumn.set(column.code, (code = `${row.code}.${column.code}`));
  return code;
}

/** Codes come from the two templates; the bound only guards against a caller passing other rows. */
const CODE_CACHE_LIMIT = 10_000;
const codeCache = new Map<string, Map<string, string>>();

/** Every field code of a template (the base layout, without alternatives), in table order. */
export function templateFields(id: TemplateId): FieldSpec[] {
  const t = getTemplate(id);
  const out: FieldSpec[] = [];
  for (const s of t.sections) {
    for (const row of resolveRows(s)) {
      for (const column of row.columns) out.push({ code: fieldCode(row, column), section: s.id, row, column, template: id });
    }
  }
  return out;
}

/** Fields that only exist in an alternative layout (e.g. applications.other.* in a 2021 report). */
export function alternativeFields(id: TemplateId): FieldSpec[] {
  const t = getTemplate(id);
  const out: FieldSpec[] = [];
  for (const s of t.sections) {
    for (const alt of s.alternatives ?? []) {
      for (const row of resolveRows(s, alt.with)) {
        for (const column of row.columns) out.push({ code: fieldCode(row, column), section: s.id, row, column, template: id });
      }
    }
  }
  return out;
}

/** A concrete identity: sum(left) = sum(right) over field codes. */
export interface Identity {
  id: string;
  text: string;
  left: string[];
  right: string[];
}

/**
 * Expand the template's identity specs over the rows actually in use.
 * `$c` ranges over a section's column codes, `$r` over its row codes; `*` in a term matches any
 * row suffix; `anyOf` takes the first alternative whose fields exist.
 */
export function expandIdentities(t: Template, fieldsInUse: ReadonlySet<string>): Identity[] {
  // Layouts repeat from report to report: expand each (template, layout) once.
  const key = `${t.id}:${[...fieldsInUse].join(',')}`;
  let cached = identityCache.get(key);
  if (!cached) {
    cached = expand(t, fieldsInUse);
    if (identityCache.size > 64) identityCache.clear();
    identityCache.set(key, cached);
  }
  return cached;
}

const identityCache = new Map<string, Identity[]>();

function expand(t: Template, fieldsInUse: ReadonlySet<string>): Identity[] {
  const apps = t.sections.find((s) => s.id === 'applications');
  const rowCodes = new Set<string>();
  for (const f of fieldsInUse) rowCodes.add(f.slice(0, f.lastIndexOf('.')));
  const appColumns = apps?.columns?.map((c) => c.code) ?? [];
  const appRows = [...rowCodes].filter((r) => r.startsWith('applications.'));

  const expandTerm = (term: string): string[] => {
    if (!term.includes('*')) return fieldsInUse.has(term) ? [term] : [];
    const [pre, post] = term.split('*') as [string, string];
    // `*` stands for exactly one row segment: applications.denied.*.total matches denied.stateSecret.total.
    return [...fieldsInUse].filter((f) => {
      if (!f.startsWith(pre) || !f.endsWith(post) || f.length <= pre.length + post.length) return false;
      return !f.slice(pre.length, f.length - post.length).includes('.');
    });
  };
  const resolveTerm = (term: IdentityTerm, sub: (s: string) => string): string[] | null => {
    if (typeof term === 'string') {
      const s = sub(term);
      const found = expandTerm(s);
      return s.includes('*') ? found : found.length ? found : null;
    }
    for (const alt of term.anyOf) {
      const found = expandTerm(sub(alt));
      if (found.length) return found;
    }
    return [];
  };

  const out: Identity[] = [];
  const build = (spec: IdentitySpec, id: string, sub: (s: string) => string) => {
    const left: string[] = [];
    const right: string[] = [];
    for (const [terms, acc] of [[spec.left, left], [spec.right, right]] as const) {
      for (const term of terms) {
        const r = resolveTerm(term, sub);
        // A named field that is not in use (never located): the identity still holds over what exists,
        // but checking it would blame the wrong cells, so it is skipped.
        if (r === null) return;
        acc.push(...r);
      }
    }
    if (left.length && right.length) out.push({ id, text: spec.text, left, right });
  };

  for (const spec of t.identities) {
    if (spec.each === 'column') {
      for (const c of appColumns) build(spec, `${spec.id}[${c}]`, (s) => s.replaceAll('$c', c));
    } else if (spec.each === 'row') {
      for (const r of appRows) build(spec, `${spec.id}[${r.slice('applications.'.length)}]`, (s) => s.replaceAll('$r', r));
    } else {
      build(spec, spec.id, (s) => s);
    }
  }
  return out;
}
