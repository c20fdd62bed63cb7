/**
 * Text pieces → the cells of a grid. A piece goes to the cell under its centre; a run that
 * crosses a border (producers sometimes write a whole row of numbers as one run) is first cut
 * at the border. Pieces outside the grid are returned for the prose around the table.
 */
import { floorIndex } from './geometry.js';
import type { CellGrid } from './cells.js';
import { emptyPacked } from '../../normalize/arrays.js';
import { type TextPiece, splitPiece } from './text-items.js';

/** How far (pt) a piece may reach past a border before it is cut there. */
const OVERHANG = 1.5;
/** How far (pt) outside the outer border a piece's centre may lie and still belong to the table. */
const MARGIN = 1;

export interface Placement {
  /** Pieces of each cell, by cell index. */
  byCell: TextPiece[][];
  /** Pieces outside the grid. */
  outside: TextPiece[];
}

/**
 * `overflow`: text that belongs to the table though it lies outside its rules (a cell cut by a
 * page break); it goes to the nearest cell.
 */
export function placePieces(grid: CellGrid, pieces: readonly TextPiece[], overflow: readonly TextPiece[] = []): Placement {
  // Lists packed whoever calls this (doc/jit-warm-up.md): `cells.map(() => [])` is holey once
  // its caller is optimized, and each `[]` a list of small integers until its first piece.
  const byCell = emptyPacked<TextPiece[]>();
  for (let k = 0; k < grid.cells.length; k++) byCell.push(emptyPacked());
  const outside = emptyPacked<TextPiece>();
  const { xs, ys } = grid;
  const cols = xs.length - 1;
  const rows = ys.length - 1;
  const x0 = xs[0]! - MARGIN;
  const x1 = xs[cols]! + MARGIN;
  const y0 = ys[0]! - MARGIN;
  const y1 = ys[rows]! + MARGIN;

  for (const p of pieces) {
    const cx = (p.x0 + p.x1) / 2;
    const cy = (p.y0 + p.y1) / 2;
    if (cx < x0 || cx > x1 || cy < y0 || cy > y1) {
      outside.push(p);
      continue;
    }
    const cuts = p.vertical ? rowCuts(grid, p) : columnCuts(grid, p);
    if (!cuts.length) put(grid, byCell, p);
    else for (const q of splitPiece(p, cuts)) put(grid, byCell, q);
  }
  for (const p of overflow) put(grid, byCell, p);
  return { byCell, outside };
}

/** A piece to the cell under its centre (or the nearest one). Module-level, not a closure per table (doc/jit-warm-up.md). */
function put(grid: CellGrid, byCell: TextPiece[][], p: TextPiece): void {
  const { xs, ys } = grid;
  const cols = xs.length - 1;
  const c = clamp(floorIndex(xs, (p.x0 + p.x1) / 2), 0, cols - 1);
  const r = clamp(floorIndex(ys, (p.y0 + p.y1) / 2), 0, ys.length - 2);
  byCell[grid.owner[r * cols + c]!]!.push(p);
}

/**
 * Column borders a horizontal run crosses, at the slot row of its centre. Each slot edge crossed
 * is written and kept only when it is a border: a push made only at a ruled border had no type
 * feedback while a thread's first documents crossed none, and deoptimized this at the first one
 * (doc/jit-warm-up.md).
 */
function columnCuts(grid: CellGrid, p: TextPiece): number[] {
  const { xs, ys } = grid;
  const r = clamp(floorIndex(ys, (p.y0 + p.y1) / 2), 0, ys.length - 2);
  const out = emptyPacked<number>();
  let n = 0;
  for (let k = Math.max(1, floorIndex(xs, p.x0 + OVERHANG) + 1); k < xs.length - 1 && xs[k]! < p.x1 - OVERHANG; k++) {
    out[n] = xs[k]!;
    n += grid.verticalEdge(k, r) ? 1 : 0;
  }
  out.length = n;
  return out;
}

/** Row borders a vertical run crosses, at the slot column of its centre (as columnCuts). */
function rowCuts(grid: CellGrid, p: TextPiece): number[] {
  const { xs, ys } = grid;
  const c = clamp(floorIndex(xs, (p.x0 + p.x1) / 2), 0, xs.length - 2);
  const out = emptyPacked<number>();
  let n = 0;
  for (let k = Math.max(1, floorIndex(ys, p.y0 + OVERHANG) + 1); k < ys.length - 1 && ys[k]! < p.y1 - OVERHANG; k++) {
    out[n] = ys[k]!;
    n += grid.horizontalEdge(k, c) ? 1 : 0;
  }
  out.length = n;
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
