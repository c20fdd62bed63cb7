/**
 * A table frame → its cells. The column edges (xs) and row edges (ys) cut the frame into slots;
 * a slot edge that no rule covers is not a border, so the slots on both sides belong to one
 * merged cell. Cells are grown from their top-left slot: rightwards while the edge to the right
 * is missing, then downwards while the edge below is missing under the whole width — the shape
 * of an HTML or Word table with colspan and rowspan. Pure geometry.
 */
import { type Box, asDouble } from './geometry.js';
import { emptyPacked } from '../../normalize/arrays.js';
import { SNAP } from './frames.js';
import type { Rule } from './rulings.js';

export interface GridCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  box: Box;
}

export interface CellGrid {
  xs: number[];
  ys: number[];
  cells: GridCell[];
  /** Cell index of each slot, row-major (ys.length - 1 rows × xs.length - 1 columns). */
  owner: Int32Array;
  /** Whether a border runs along column edge k (0 … cols) beside slot row r. */
  verticalEdge(k: number, r: number): boolean;
  /** Whether a border runs along row edge k (0 … rows) above/below slot column c. */
  horizontalEdge(k: number, c: number): boolean;
}

/** Share of a slot edge that rules must cover for it to count as a border. */
const COVERED = 0.5;

/**
 * Coverage of each slot edge: cover[k][band] = length of the edge at position k within band that
 * rules along it cover.
 */
function coverage(edges: readonly number[], bands: readonly number[], rules: readonly Rule[]): Float64Array[] {
  // Packed whoever calls it (`edges.map` is holey once its caller is optimized: doc/jit-warm-up.md).
  const out = emptyPacked<Float64Array>();
  for (let k = 0; k < edges.length; k++) out.push(new Float64Array(Math.max(0, bands.length - 1)));
  for (const r of rules) {
    const k = nearest(edges, r.pos);
    if (k < 0) continue;
    const row = out[k]!;
    for (let b = 0; b < bands.length - 1; b++) {
      const lo = Math.max(r.from, bands[b]!);
      const hi = Math.min(r.to, bands[b + 1]!);
      if (hi > lo) row[b]! += hi - lo;
    }
  }
  return out;
}

/** Index of the edge within SNAP of v, or -1. */
function nearest(edges: readonly number[], v: number): number {
  let best = -1;
  let bestD = SNAP;
  for (let i = 0; i < edges.length; i++) {
    const d = Math.abs(edges[i]! - v);
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}

export function buildCells(xs: readonly number[], ys: readonly number[], horizontal: readonly Rule[], vertical: readonly Rule[]): CellGrid {
  const rows = ys.length - 1;
  const cols = xs.length - 1;
  const grid = new Grid([...xs], [...ys], coverage(xs, ys, vertical), coverage(ys, xs, horizontal));

  const { owner, cells } = grid;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (owner[r * cols + c]! >= 0) continue;
      let colSpan = 1;
      while (c + colSpan < cols && !grid.verticalEdge(c + colSpan, r) && owner[r * cols + c + colSpan]! < 0) colSpan++;
      let rowSpan = 1;
      while (r + rowSpan < rows) {
        let open = true;
        for (let cc = c; cc < c + colSpan && open; cc++) {
          if (grid.horizontalEdge(r + rowSpan, cc) || owner[(r + rowSpan) * cols + cc]! >= 0) open = false;
        }
        if (!open) break;
        rowSpan++;
      }
      const idx = cells.length;
      for (let rr = r; rr < r + rowSpan; rr++) for (let cc = c; cc < c + colSpan; cc++) owner[rr * cols + cc] = idx;
      const box = { x0: asDouble(xs[c]!), y0: asDouble(ys[r]!), x1: asDouble(xs[c + colSpan]!), y1: asDouble(ys[r + rowSpan]!) };
      cells.push({ row: r, col: c, rowSpan, colSpan, box });
    }
  }
  return grid;
}

/**
 * The grid as a class whose methods read its fields: the edge tests were closures made per
 * table, whose optimized code V8 drops with them (doc/jit-warm-up.md).
 */
class Grid implements CellGrid {
  readonly cells: GridCell[] = emptyPacked();
  readonly owner: Int32Array;

  constructor(readonly xs: number[], readonly ys: number[], private readonly vCover: Float64Array[], private readonly hCover: Float64Array[]) {
    this.owner = new Int32Array(Math.max(0, (ys.length - 1) * (xs.length - 1))).fill(-1);
  }

  verticalEdge(k: number, r: number): boolean {
    const { xs, ys } = this;
    return k <= 0 || k >= xs.length - 1 || this.vCover[k]![r]! >= COVERED * (ys[r + 1]! - ys[r]!);
  }

  horizontalEdge(k: number, c: number): boolean {
    const { xs, ys } = this;
    return k <= 0 || k >= ys.length - 1 || this.hCover[k]![c]! >= COVERED * (xs[c + 1]! - xs[c]!);
  }
}
