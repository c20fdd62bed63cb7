/**
 * The columns of an export, derived from the template data: every field code of the chosen
 * templates (with the 2021 aggregated （六） alternative), merged into one table order so a field
 * both templates share is one column, and each template's own rows sit where that template puts them.
 */
import { type ColumnSpec, type ResolvedRow, type SectionSpec, type TemplateId, TEMPLATES, resolveRows } from '../template/index.js';

export type Unit = 'count' | 'yuan';

export interface ExportField {
  /** The field code: the column name in the wide files, `field` in the long file. */
  code: string;
  section: SectionSpec['id'];
  sectionTitle: string;
  rowCode: string;
  /** Chinese row label with its groups, e.g. "三、本年度办理结果 > （三）不予公开 > 1.属于国家秘密". */
  rowLabel: string;
  columnCode: string;
  /** Chinese column label with its group, e.g. "法人或其他组织 > 商业企业". */
  columnLabel: string;
  kind: ColumnSpec['kind'];
  unit: Unit;
  /** Layouts the field belongs to: "2019", "2021", or "2021:otherAggregated" for an alternative's row. */
  templates: string[];
}

interface LayoutRow {
  section: SectionSpec;
  row: ResolvedRow;
  layout: string;
}

/** A template's rows in table order, each alternative's rows placed just before the rows they replace. */
function layoutRows(id: TemplateId): LayoutRow[] {
  const out: LayoutRow[] = [];
  for (const section of TEMPLATES[id].sections) {
    const rows: LayoutRow[] = resolveRows(section).map((row) => ({ section, row, layout: id }));
    for (const alt of section.alternatives ?? []) {
      const at = rows.findIndex((r) => alt.replace.includes(r.row.code));
      const altRows = resolveRows(section, alt.with).map((row) => ({ section, row, layout: `${id}:${alt.id}` }));
      rows.splice(at < 0 ? rows.length : at, 0, ...altRows);
    }
    out.push(...rows);
  }
  return out;
}

const withGroup = (group: readonly string[] | string | undefined, label: string) => [...([] as string[]).concat(group ?? []), label].join(' > ');

/** "a / b" for two wordings of one label; one wording stays as it is. */
function joinDistinct(a: string, b: string): string {
  return a.split(' / ').includes(b) ? a : `${a} / ${b}`;
}

interface MergedRow {
  code: string;
  section: SectionSpec;
  /** The row's label in each layout that has it (2019 and 2021 word some rows differently). */
  labels: Map<string, string>;
  columns: Map<string, { column: ColumnSpec; label: string; templates: string[] }>;
}

/**
 * Fields of `templates` (default both) in one order. Rows merge by row code: a row new to the
 * list goes right after the previous row of its own template, so the 2021 sub-rows of （六） follow
 * （六）; columns of a shared row are the union, first template's first.
 */
export function exportFields(templates: readonly TemplateId[] = ['2019', '2021']): ExportField[] {
  const merged: MergedRow[] = [];
  for (const id of templates) {
    let prev = -1;
    for (const { section, row, layout } of layoutRows(id)) {
      let i = merged.findIndex((m) => m.code === row.code);
      const label = withGroup(row.group, row.labels[0] ?? row.code);
      if (i < 0) {
        // No predecessor yet in this template: start of the section's rows (or the end, for a new section).
        const sectionStart = merged.findIndex((m) => m.section.id === section.id);
        i = prev >= 0 ? prev + 1 : sectionStart >= 0 ? sectionStart : merged.length;
        merged.splice(i, 0, { code: row.code, section, labels: new Map(), columns: new Map() });
      }
      prev = i;
      const m = merged[i]!;
      m.labels.set(layout, label);
      for (const column of row.columns) {
        const columnLabel = withGroup(column.group, column.label);
        const c = m.columns.get(column.code);
        if (!c) m.columns.set(column.code, { column, label: columnLabel, templates: [layout] });
        else {
          c.label = joinDistinct(c.label, columnLabel);
          if (!c.templates.includes(layout)) c.templates.push(layout);
        }
      }
    }
  }
  return merged.flatMap((m) =>
    [...m.columns.values()].map(({ column, label, templates: tpl }) => ({
      code: `${m.code}.${column.code}`,
      section: m.section.id,
      sectionTitle: m.section.title,
      rowCode: m.code,
      rowLabel: tpl.map((t) => m.labels.get(t)!).reduce(joinDistinct),
      columnCode: column.code,
      columnLabel: label,
      kind: column.kind,
      unit: column.kind === 'money' ? 'yuan' : 'count',
      templates: tpl,
    })),
  );
}
