/**
 * Choosing among row readings with the table's identities. Rows with one reading are fixed; for
 * the rest every combination is tried (within a budget) and the combinations that break the
 * fewest identities win. A row is settled only when every winning combination reads it the same
 * way; otherwise its cells are ambiguous and left out. Cells lost from the source are then filled
 * where an identity determines them.
 */
import type { Identity } from '../template/index.js';
import { type Slot, slotNumber } from '../match/candidates.js';
import { type IdentityResult, type Solved, type ValueMap, evaluate, propagate, violations } from './identities.js';

export interface SolveRow {
  fields: string[];
  readings: Slot[][];
  /** Readings under a second hypothesis (see RowReadings.alternatives). */
  alternatives?: Slot[][];
}

export interface SolveResult {
  /** Per input row: the reading used, or null when the identities could not settle any of it. */
  chosen: (Slot[] | null)[];
  /** Fields the identities could not settle (readings that fit equally well disagree on them). */
  ambiguous: Set<string>;
  /** Cells filled from an identity, with how many identities confirm the value. */
  solved: Map<string, Solved & { confirmations: number }>;
  /** Fields of lost cells that no identity determined. */
  unresolved: string[];
  /** Identities broken by the chosen values. */
  broken: IdentityResult[];
  /** The search was cut short by its budget. */
  exhausted: boolean;
  /** Rows whose readings differ in where a cell was lost but agree on every number. */
  positionUnknown: Set<number>;
  /** Rows read under their alternative hypothesis because it breaks fewer identities. */
  switched: Set<number>;
}

/**
 * Solve with each row's first readings; where identities break, try rows' alternative readings
 * one row at a time and keep a switch only when it strictly lowers the number broken.
 */
export function solve(rows: readonly SolveRow[], identities: readonly Identity[]): SolveResult {
  let current = rows.map((r) => ({ fields: r.fields, readings: r.readings }));
  let best = solveOnce(current, identities);
  const switched = new Set<number>();
  for (;;) {
    if (!best.broken.length) break;
    const blamed = new Set(best.broken.flatMap((b) => [...b.identity.left, ...b.identity.right]));
    let improvement: { i: number; result: SolveResult; rows: typeof current } | null = null;
    rows.forEach((r, i) => {
      if (switched.has(i) || !r.alternatives?.length || !r.fields.some((f) => blamed.has(f))) return;
      const trial = current.map((c, j) => (j === i ? { fields: c.fields, readings: r.alternatives! } : c));
      const result = solveOnce(trial, identities);
      const score = result.broken.length + result.unresolved.length;
      const bestScore = improvement ? improvement.result.broken.length + improvement.result.unresolved.length : best.broken.length + best.unresolved.length;
      if (score < bestScore) improvement = { i, result, rows: trial };
    });
    if (!improvement) break;
    const { i, result, rows: next } = improvement;
    switched.add(i);
    current = next;
    best = result;
  }
  return { ...best, switched };
}

const MAX_COMBINATIONS = 200_000;
const MAX_WINNERS = 64;

function vectorKey(r: Slot[]): string {
  return r.map((s) => {
    const v = slotNumber(s);
    return v === undefined ? 'U' : v === null ? 'B' : String(v);
  }).join(',');
}

function setRow(values: ValueMap, fields: readonly string[], reading: Slot[] | null): void {
  fields.forEach((f, i) => values.set(f, reading ? slotNumber(reading[i]!) : undefined));
}

function solveOnce(rows: readonly SolveRow[], identities: readonly Identity[]): SolveResult {
  // Readings that give the same numbers are the same reading for the identities.
  const readings = rows.map((r) => {
    const seen = new Map<string, Slot[]>();
    for (const rd of r.readings) if (!seen.has(vectorKey(rd))) seen.set(vectorKey(rd), rd);
    return [...seen.values()];
  });
  const free = readings.map((r, i) => i).filter((i) => readings[i]!.length > 1);
  const fixedValues: ValueMap = new Map();
  rows.forEach((r, i) => setRow(fixedValues, r.fields, readings[i]!.length === 1 ? readings[i]![0]! : null));

  let chosen: (Slot[] | null)[] = readings.map((r) => (r.length === 1 ? r[0]! : null));
  let exhausted = false;
  const positionUnknown = new Set<number>();
  const ambiguous = new Set<string>();

  if (free.length) {
    const combos = free.reduce((p, i) => p * readings[i]!.length, 1);
    const settled = combos <= MAX_COMBINATIONS ? searchFree(rows, readings, free, identities, fixedValues) : null;
    if (!settled) exhausted = combos > MAX_COMBINATIONS;
    for (const i of free) {
      const s = settled?.rows.get(i);
      if (!s) {
        for (const f of rows[i]!.fields) ambiguous.add(f);
        continue;
      }
      chosen[i] = s.reading;
      if (s.shapes > 1) positionUnknown.add(i);
      for (const f of s.ambiguous) ambiguous.add(f);
      if (s.ambiguous.length === rows[i]!.fields.length) chosen[i] = null;
    }
  }

  // Final values: chosen readings; ambiguous cells unknown and never filled.
  const values: ValueMap = new Map();
  rows.forEach((r, i) => setRow(values, r.fields, chosen[i]!));
  for (const f of ambiguous) values.set(f, undefined);
  const solvedRaw = propagate(identities, values, (f) => !ambiguous.has(f));
  const solved = new Map<string, Solved & { confirmations: number }>();
  for (const [f, s] of solvedRaw) {
    let confirmations = 0;
    for (const id of identities) {
      if (!id.left.includes(f) && !id.right.includes(f)) continue;
      if (evaluate(id, values).holds === true) confirmations++;
    }
    solved.set(f, { ...s, confirmations });
  }
  const unresolved: string[] = [];
  rows.forEach((r, i) => {
    if (!chosen[i]) return;
    r.fields.forEach((f) => {
      if (values.get(f) === undefined && !ambiguous.has(f)) unresolved.push(f);
    });
  });
  return { chosen, ambiguous, solved, unresolved, broken: violations(identities, values), exhausted, positionUnknown, switched: new Set() };
}

/**
 * Try every combination of the free rows' readings; keep the rows all best combinations agree on.
 * Agreement is on the numbers after lost cells are filled: a cell lost from a row of zeros reads
 * the same wherever it was lost.
 */
function searchFree(
  rows: readonly SolveRow[],
  readings: readonly Slot[][][],
  free: readonly number[],
  identities: readonly Identity[],
  fixed: ValueMap,
): { rows: Map<number, { reading: Slot[]; shapes: number; ambiguous: string[] }> } | null {
  let best = Infinity;
  let winners: { pick: number[]; vectors: string[] }[] = [];
  let capped = false;
  const pick = new Array<number>(free.length).fill(0);
  const values: ValueMap = new Map(fixed);

  const evaluateAll = (): { score: number; vectors: string[] } => {
    const v: ValueMap = new Map(values);
    propagate(identities, v, () => true);
    let bad = violations(identities, v).length;
    // A reading that leaves lost cells no identity can fill is worse than one that explains them.
    for (const x of v.values()) if (x === undefined) bad += 0.01;
    const vectors = free.map((ri) => rows[ri]!.fields.map((f) => {
      const x = v.get(f);
      return x === undefined ? 'U' : x === null ? 'B' : String(x);
    }).join(','));
    return { score: bad, vectors };
  };
  const walk = (d: number) => {
    if (d === free.length) {
      const { score, vectors } = evaluateAll();
      if (score < best - 1e-9) {
        best = score;
        winners = [{ pick: pick.slice(), vectors }];
        capped = false;
      } else if (Math.abs(score - best) < 1e-9) {
        if (winners.length < MAX_WINNERS) winners.push({ pick: pick.slice(), vectors });
        else capped = true;
      }
      return;
    }
    const ri = free[d]!;
    for (let k = 0; k < readings[ri]!.length; k++) {
      pick[d] = k;
      setRow(values, rows[ri]!.fields, readings[ri]![k]!);
      walk(d + 1);
    }
    setRow(values, rows[ri]!.fields, null);
  };
  walk(0);

  // Too many equally good readings to compare: settle nothing rather than trust a sample.
  if (capped || !winners.length) return null;
  const out = new Map<number, { reading: Slot[]; shapes: number; ambiguous: string[] }>();
  free.forEach((ri, d) => {
    const fields = rows[ri]!.fields;
    const split = winners.map((w) => w.vectors[d]!.split(','));
    const ambiguous = fields.filter((_, fi) => new Set(split.map((v) => v[fi])).size > 1);
    out.set(ri, { reading: readings[ri]![winners[0]!.pick[d]!]!, shapes: new Set(winners.map((w) => w.pick[d]!)).size, ambiguous });
  });
  return { rows: out };
}
