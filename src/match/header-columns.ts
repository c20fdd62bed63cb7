/**
 * Where a row's value columns lie in an exact grid, read from the header row above it: the cell
 * labelled 上一年项目数量 spans the grid columns of previous, 本年增/减 those of change, and so on.
 * A row padded with an empty cell (the official 2019 fees and procurement rows) then reads by
 * position, not by guessing which end the pad is on.
 */
import type { Cell, Table } from '../extract/grid.js';
import { labelKey } from '../normalize/text.js';
import { mapPacked } from '../normalize/arrays.js';

/** How many rows above a data row its header may be (a section's header, a repeated header). */
const REACH = 8;

export type ColumnRange = readonly [from: number, to: number];

/** The grid column range of each label in the nearest header row above `row`, or null. */
export function headerColumns(table: Table, row: number, labels: readonly string[]): ColumnRange[] | null {
  const start = rowIndex(table).get(row);
  if (start === undefined) return null;
  const labelsKey = labels.join('\u0000');
  let keys: string[] | null = null;
  for (let i = start - 1; i >= Math.max(0, start - REACH); i--) {
    // Every row of a section asks the same rows above it for the same labels: each header row
    // answers a label list once per document.
    const cells = table.rows[i]!;
    let answers = answered.get(cells);
    if (!answers) answered.set(cells, (answers = new Map()));
    let ranges = answers.get(labelsKey);
    if (ranges === undefined) answers.set(labelsKey, (ranges = rangesIn(cells, (keys ??= mapPacked(labels, labelKey)))));
    if (ranges) return ranges.slice();
  }
  return null;
}

/** The column range of each key in one row's cells; null unless every key is found. */
function rangesIn(cells: readonly Cell[], keys: readonly string[]): ColumnRange[] | null {
  const cellKeys = mapPacked(cells, (x) => labelKey(x.text));
  const ranges: ColumnRange[] = [];
  for (const k of keys) {
    const at = cellKeys.findIndex((key) => key && (key === k || (key.length >= 2 && (key.includes(k) || k.includes(key)))));
    if (at < 0) return null;
    const c = cells[at]!;
    ranges.push([c.col, c.col + c.colSpan] as const);
  }
  return ranges;
}

const answered = new WeakMap<readonly Cell[], Map<string, ColumnRange[] | null>>();

/** Grid row number → index in table.rows (rows are looked up by number, once per data row). */
function rowIndex(table: Table): Map<number, number> {
  let index = rowIndexes.get(table);
  if (!index) {
    index = new Map();
    for (let i = table.rows.length - 1; i >= 0; i--) {
      const n = table.rows[i]![0]?.row;
      if (n !== undefined) index.set(n, i);
    }
    rowIndexes.set(table, index);
  }
  return index;
}

const rowIndexes = new WeakMap<Table, Map<number, number>>();
