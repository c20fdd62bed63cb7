/**
 * Stata's view of the dataset: variable names of at most 32 characters (field codes run to 53),
 * and a do-file that reads reports_wide.csv with them and labels every variable in Chinese. Pure.
 */
import { REPORT_COLUMNS } from './columns.js';
import type { ExportField } from './fields.js';
import WORDS from './stata-words.json' with { type: 'json' };

const MAX = 32;
const words = WORDS as Record<string, string>;

/** `applications.unable.unclearAfterCorrection.commercial` → `app_unable_unclear_com`. */
export function stataName(code: string): string {
  const name = code
    .split('.')
    .map((w) => words[w] ?? w)
    .join('_')
    .replace(/[^A-Za-z0-9_]/g, '_');
  if (name.length > MAX) throw new Error(`Stata name of ${code} is ${name.length} characters: add its words to src/export/stata-words.json`);
  return name;
}

/** Stata strings in double quotes cannot hold a double quote; labels are at most 80 characters. */
function label(text: string): string {
  const t = text.replace(/"/g, "'");
  return [...t].length > 80 ? `${[...t].slice(0, 79).join('')}…` : t;
}

/** A do-file that imports reports_wide.csv (column order as written) under Stata names. */
export function stataDoFile(fields: readonly ExportField[], csvName: string): string {
  const columns = [...REPORT_COLUMNS.map((c) => ({ name: c.name, label: c.description })), ...fields.map((f) => ({ name: stataName(f.code), label: `${f.code}: ${f.rowLabel} > ${f.columnLabel}` }))];
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw new Error(`two columns would be named ${c.name} in Stata`);
    seen.add(c.name);
  }
  const lines = [
    `* Reads ${csvName} into Stata 14 or later with short variable names and Chinese labels.`,
    '* Run it from the export folder:  do reports_wide.do',
    `import delimited using "${csvName}", varnames(nonames) rowrange(2) encoding("utf-8") stringcols(_all) clear`,
    ...columns.map((c, i) => `rename v${i + 1} ${c.name}`),
    ...columns.map((c) => `label variable ${c.name} "${label(c.label)}"`),
    // All read as strings so codes and report ids stay text; numbers are made numbers here.
    `destring ${REPORT_COLUMNS.filter((c) => c.type === 'INT32').map((c) => c.name).join(' ')} ${fields.map((f) => stataName(f.code)).join(' ')}, replace`,
    '',
  ];
  return lines.join('\n');
}
