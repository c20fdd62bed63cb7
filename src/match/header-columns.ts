/**
 * Where a row's value columns lie in an exact grid, read from the header row above it: the cell
 * labelled 上一年项目数量 spans the grid columns of previous, 本年增/减 those of change, and so on.
 * A row padded with an empty cell (the official 2019 fees and procurement rows) then reads by
 * position, not by guessing which end the pad is on.
 */
import type { Table } from '../extract/grid.js';
import { labelKey } from '../normalize/text.js';

/** How many rows above a data row its header may be (a section's header, a repeated header). */
const REACH = 8;

export type ColumnRange = readonly [from: number, to: number];

/** The grid column range of each label in the nearest header row above `row`, or null. */
export function headerColumns(table: Table, row: number, labels: readonly string[]): ColumnRange[] | null {
  const keys = labels.map(labelKey);
  const start = table.rows.findIndex((r) => r[0]?.row === row);
  if (start < 0) return null;
  for (let i = start - 1; i >= Math.max(0, start - REACH); i--) {
    const cells = table.rows[i]!;
    // Each header cell keyed once, not once per label looked for in it.
    const cellKeys = cells.map((x) => labelKey(x.text));
    const ranges = keys.map((k) => {
      const at = cellKeys.findIndex((key) => key && (key === k || (key.length >= 2 && (key.includes(k) || k.includes(key)))));
      const c = at < 0 ? undefined : cells[at]!;
      return c ? ([c.col, c.col + c.colSpan] as const) : null;
    });
    if (ranges.every(Boolean)) return ranges as ColumnRange[];
  }
  return null;
}
