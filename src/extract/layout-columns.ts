/**
 * Blank cells in `pdftotext -layout` text. Such text places every item at a character column
 * derived from its x position, so the numbers of one table column line up from row to row on a
 * page. A blank cell leaves only spaces; where a row has fewer numbers than a nearby complete row,
 * its numbers are matched to that row's columns and the gaps become blank cells — but only when
 * the match is tight and unique. Anything less certain is left for the identities to settle.
 */
import { emptyPacked, mapPacked } from '../normalize/arrays.js';

export interface Token {
  text: string;
  /** Character column where the token starts. */
  start: number;
  numeric: boolean;
}

export interface LayoutRow {
  line: number;
  page: number;
  tokens: Token[];
}

/** Largest distance, in characters, between a number and the column it is matched to. */
const TOLERANCE = 3;
/** References within this many lines of the nearest one are taken as the same table. */
const NEIGHBOURHOOD = 6;
/** How far (in lines) to look for a complete row of the same table. */
const REACH = 40;

/** Spaces that separate columns in laid-out text; -raw text uses one. */
const MIN_GAP = 2;

/**
 * Length of a row's trailing run of numbers, if the run is laid out in columns (each number
 * preceded by at least MIN_GAP spaces); 0 otherwise, so raw text never takes part.
 */
function trailingNumbers(tokens: readonly Token[]): number {
  let n = 0;
  while (n < tokens.length && tokens[tokens.length - 1 - n]!.numeric) n++;
  for (let i = tokens.length - n; i < tokens.length; i++) {
    const prev = tokens[i - 1];
    if (prev && tokens[i]!.start - (prev.start + prev.text.length) < MIN_GAP) return 0;
  }
  return n;
}

/**
 * Monotone injective matches of `pos` into `ref` with every distance within TOLERANCE.
 * Returns up to two matches (enough to know whether it is unique).
 */
export type Span = readonly [start: number, end: number];

/** Numbers may be left-, right- or centre-aligned in their cells; any of the three lines up. */
function near(a: Span, b: Span): boolean {
  return Math.abs(a[0] - b[0]) <= TOLERANCE || Math.abs(a[1] - b[1]) <= TOLERANCE || Math.abs(a[0] + a[1] - b[0] - b[1]) <= 2 * TOLERANCE;
}

export function matchColumns(pos: readonly Span[], ref: readonly Span[]): number[][] {
  const out: number[][] = [];
  walkMatches(pos, ref, 0, 0, [], out);
  return out;
}

// This file's helpers are module-level functions given their state, not closures made per call:
// V8 holds a function's optimized code only through its live closures, so a closure made per
// document loses it at a full GC and is compiled again, document after document.

/** Extends `pick` (the places of pos[0..i) in ref) in every way that places pos[i..] from `from` on, into `out`, until there are two. */
function walkMatches(pos: readonly Span[], ref: readonly Span[], i: number, from: number, pick: number[], out: number[][]): void {
  if (out.length > 1) return;
  if (i === pos.length) {
    out.push(pick.slice());
    return;
  }
  for (let j = from; j <= ref.length - (pos.length - i); j++) {
    if (!near(pos[i]!, ref[j]!)) continue;
    pick.push(j);
    walkMatches(pos, ref, i + 1, j + 1, pick, out);
    pick.pop();
  }
}

/**
 * For each row, the number of blank cells to insert before each of its trailing numbers and
 * after the last one; null where no confident recovery exists.
 */
export function recoverBlanks(rows: readonly LayoutRow[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const runs = mapPacked(rows, rowRun);
  const positions = emptyPacked<Span[]>();
  for (let i = 0; i < rows.length; i++) positions.push(trailingSpans(rows[i]!.tokens, runs[i]!));
  const t: Runs = { rows, runs, positions, support: new Map() };
  for (let i = 0; i < rows.length; i++) {
    if (runs[i] === 0) continue;
    const gaps = gapsOf(t, i);
    if (gaps) out.set(i, gaps);
  }
  return out;
}

/** recoverBlanks' rows, each one's trailing run of numbers (its length and its spans), and which rows are known to be supported. */
interface Runs {
  rows: readonly LayoutRow[];
  runs: number[];
  positions: Span[][];
  support: Map<number, boolean>;
}

const rowRun = (r: LayoutRow): number => trailingNumbers(r.tokens);
const tokenSpan = (t: Token): Span => [t.start, t.start + t.text.length];
const trailingSpans = (tokens: readonly Token[], n: number): Span[] => mapPacked(tokens.slice(tokens.length - n), tokenSpan);
const isZero = (g: number): boolean => g === 0;

/** Whether row k's column pattern repeats in a nearby row of the same page with as many numbers or one fewer. */
function supported(t: Runs, k: number): boolean {
  let s = t.support.get(k);
  if (s === undefined) {
    const { rows, runs, positions } = t;
    s = false;
    for (let j = 0; j < rows.length; j++) {
      const other = rows[j]!;
      if (j !== k && other.page === rows[k]!.page && Math.abs(other.line - rows[k]!.line) <= REACH
        && runs[j]! >= runs[k]! - 1 && runs[j]! <= runs[k]! && runs[j]! >= 2 && matchColumns(positions[j]!, positions[k]!).length === 1) {
        s = true;
        break;
      }
    }
    t.support.set(k, s);
  }
  return s;
}

/** A reference row for another: its index, its count of numbers, its distance in lines. */
interface Ref {
  row: number;
  run: number;
  dist: number;
}

const widestThenNearest = (a: Ref, b: Ref): number => b.run - a.run || a.dist - b.dist;

/** Row i's blanks (see recoverBlanks); null when none can be told, or there are none. */
function gapsOf(t: Runs, i: number): number[] | null {
  const { rows, runs, positions } = t;
  const row = rows[i]!;
  const n = runs[i]!;
  const pos = positions[i]!;
  // References: nearby rows on the same page with more numbers whose column pattern repeats
  // in another row (a table's complete rows), widest then nearest first. A lone wide row — the review
  // table next to the applications table — is never one.
  const found: Ref[] = [];
  let nearest = Infinity;
  for (let k = 0; k < rows.length; k++) {
    const other = rows[k]!;
    if (k === i || other.page !== row.page || Math.abs(other.line - row.line) > REACH || runs[k]! <= n) continue;
    if (!supported(t, k)) continue;
    const dist = Math.abs(other.line - row.line);
    found.push({ row: k, run: runs[k]!, dist });
    nearest = Math.min(nearest, dist);
  }
  // Only references about as near as the nearest (a wider table further down is another
  // table); among those the widest first, since a reference may itself lack a column.
  const refs: Ref[] = [];
  for (const r of found) if (r.dist <= nearest + NEIGHBOURHOOD) refs.push(r);
  refs.sort(widestThenNearest);
  for (const { row: k } of refs) {
    const refPos = positions[k]!;
    // The row's numbers must sit inside the reference row's span of columns.
    const matches = matchColumns(pos, refPos);
    if (matches.length !== 1) continue;
    const m = matches[0]!;
    const gaps: number[] = [];
    let prev = -1;
    for (const j of m) {
      gaps.push(j - prev - 1);
      prev = j;
    }
    gaps.push(refPos.length - prev - 1);
    return gaps.every(isZero) ? null : gaps;
  }
  return null;
}
