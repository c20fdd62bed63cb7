/**
 * Blank cells in `pdftotext -layout` text. Such text places every item at a character column
 * derived from its x position, so the numbers of one table column line up from row to row on a
 * page. A blank cell leaves only spaces; where a row has fewer numbers than a nearby complete row,
 * its numbers are matched to that row's columns and the gaps become blank cells — but only when
 * the match is tight and unique. Anything less certain is left for the identities to settle.
 */
import { mapPacked } from '../normalize/arrays.js';

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
  const pick: number[] = [];
  const walk = (i: number, from: number) => {
    if (out.length > 1) return;
    if (i === pos.length) {
      out.push(pick.slice());
      return;
    }
    for (let j = from; j <= ref.length - (pos.length - i); j++) {
      if (!near(pos[i]!, ref[j]!)) continue;
      pick.push(j);
      walk(i + 1, j + 1);
      pick.pop();
    }
  };
  walk(0, 0);
  return out;
}

/**
 * For each row, the number of blank cells to insert before each of its trailing numbers and
 * after the last one; null where no confident recovery exists.
 */
export function recoverBlanks(rows: readonly LayoutRow[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const runs = mapPacked(rows, (r) => trailingNumbers(r.tokens));
  const positions = mapPacked(rows, (r, i) => mapPacked(r.tokens.slice(r.tokens.length - runs[i]!), (t): Span => [t.start, t.start + t.text.length]));
  const support = new Map<number, boolean>();
  const supported = (k: number): boolean => {
    let s = support.get(k);
    if (s === undefined) {
      s = rows.some((other, j) => j !== k && other.page === rows[k]!.page && Math.abs(other.line - rows[k]!.line) <= REACH
        && runs[j]! >= runs[k]! - 1 && runs[j]! <= runs[k]! && runs[j]! >= 2 && matchColumns(positions[j]!, positions[k]!).length === 1);
      support.set(k, s);
    }
    return s;
  };
  rows.forEach((row, i) => {
    const n = runs[i]!;
    if (n === 0) return;
    const pos = positions[i]!;
    // References: nearby rows on the same page with more numbers whose column pattern repeats
    // in another row (a table's complete rows), widest then nearest first. A lone wide row — the review
    // table next to the applications table — is never one.
    const refs: number[] = [];
    rows.forEach((other, k) => {
      if (k === i || other.page !== row.page || Math.abs(other.line - row.line) > REACH || runs[k]! <= n) return;
      if (supported(k)) refs.push(k);
    });
    // Only references about as near as the nearest (a wider table further down is another
    // table); among those the widest first, since a reference may itself lack a column.
    const dist = (k: number) => Math.abs(rows[k]!.line - row.line);
    const nearest = Math.min(...refs.map(dist));
    refs.splice(0, refs.length, ...refs.filter((k) => dist(k) <= nearest + NEIGHBOURHOOD));
    refs.sort((a, b) => runs[b]! - runs[a]! || dist(a) - dist(b));
    for (const k of refs) {
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
      if (gaps.every((g) => g === 0)) return;
      out.set(i, gaps);
      return;
    }
  });
  return out;
}
