/**
 * Choosing among row readings with the table's identities. Rows with one reading are fixed; for
 * the rest every combination is tried (within a budget) and the combinations that break the
 * fewest identities win. A row is settled only when every winning combination reads it the same
 * way; otherwise its cells are ambiguous and left out. Cells lost from the source are then filled
 * where an identity determines them.
 */
import type { Identity } from '../template/index.js';
import { type Slot, slotNumber } from '../match/candidates.js';
import { type IdentityResult, type Solved, type ValueMap, balanced, evaluate, propagate, violations } from './identities.js';
import { consistentReadings } from './prune.js';
import { emptyPacked, mapPacked } from '../normalize/arrays.js';

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
 * Solve each group of rows that identities connect on its own: the proactive rows share no
 * identity with the applications table, and a combined search would multiply their readings
 * together (and give up). Within a group, readings that cannot balance the identities are pruned
 * first; a group that breaks an identity is solved again from all its readings.
 */
export function solve(rows: readonly SolveRow[], identities: readonly Identity[]): SolveResult {
  const out: SolveResult = { chosen: mapPacked(rows, () => null), ambiguous: new Set(), solved: new Map(), unresolved: [], broken: [], exhausted: false, positionUnknown: new Set(), switched: new Set() };
  for (const group of components(rows, identities)) {
    const sub = mapPacked(group.rows, (i) => rows[i]!);
    let r: SolveResult | null = singleRow(sub, group.identities);
    // Rows with several readings and identities to choose by: keep the readings that occur in
    // some reading of the group where every identity holds (or, when there are too many to list
    // them all, the readings the pruning alone keeps).
    const searched = !r && group.identities.length && sub.some((x) => x.readings.length > 1);
    const settled = searched ? consistentReadings(sub, group.identities) : null;
    if (settled) {
      // Cells lost from the source are filled by the identities: that is solveGroup's work, over
      // the narrowed readings.
      const lost = anyMissing(settled);
      const narrowed = mapPacked(sub, (row, j) => ({ fields: row.fields, readings: settled[j]!, alternatives: row.alternatives }));
      r = lost ? solveGroup(narrowed, group.identities) : fromConsistent(narrowed, settled, group.identities);
      if (r.broken.length || r.unresolved.length || r.exhausted) r = null;
    }
    r ??= solveGroup(sub, group.identities);
    group.rows.forEach((i, j) => {
      out.chosen[i] = r.chosen[j]!;
      if (r.positionUnknown.has(j)) out.positionUnknown.add(i);
      if (r.switched.has(j)) out.switched.add(i);
    });
    for (const f of r.ambiguous) out.ambiguous.add(f);
    for (const [f, v] of r.solved) out.solved.set(f, v);
    out.unresolved.push(...r.unresolved);
    out.broken.push(...r.broken);
    out.exhausted ||= r.exhausted;
  }
  return out;
}

/** Whether some reading of some row has a cell lost from the source. */
function anyMissing(rows: readonly Slot[][][]): boolean {
  // Loops, not nested some() callbacks: closures made per call lose their optimized code (see solveOnce).
  for (const rs of rows) for (const rd of rs) for (const x of rd) if (x.kind === 'missing') return true;
  return false;
}

/**
 * A row that no identity joins to another (a proactive row, the review table's one run): when
 * every reading is complete and keeps every identity, all are equally good, so a cell is settled
 * exactly when all readings agree on it — however many readings there are. Used past the point
 * where the combinatorial search would cap its winners and settle nothing; below it, the search
 * gives the same answer.
 */
function singleRow(rows: readonly SolveRow[], identities: readonly Identity[]): SolveResult | null {
  if (rows.length !== 1) return null;
  const row = rows[0]!;
  // One check per distinct vector of numbers would do (readings that give the same numbers keep
  // the same identities), but a row can have thousands of readings, all distinct: counting them
  // stops at the first past MAX_WINNERS, and every reading is checked on its numbers instead.
  if (row.readings.length <= MAX_WINNERS) return null;
  const distinct = new Set<string>();
  for (const rd of row.readings) {
    distinct.add(vectorKey(rd));
    if (distinct.size > MAX_WINNERS) break;
  }
  if (distinct.size <= MAX_WINNERS) return null;
  const col = new Map<string, number>();
  row.fields.forEach((f, c) => col.set(f, c));
  // Each identity's columns; a field outside the row leaves it unknown (it cannot hold).
  const sides = mapPacked(identities, (id) => [mapPacked(id.left, (f) => col.get(f)), mapPacked(id.right, (f) => col.get(f))]);
  if (sides.some((side) => side.some((cs) => cs.some((c) => c === undefined)))) return null;
  for (const rd of row.readings) {
    const nums = mapPacked(rd, slotNumber);
    if (nums.some((v) => v === undefined)) return null;
    // Summed as evaluate() sums them, in the same order, so the same tolerance gives the same answer.
    for (const [left, right] of sides) {
      let l = 0;
      let r = 0;
      for (const c of left!) l += nums[c!] ?? 0;
      for (const c of right!) r += nums[c!] ?? 0;
      if (!balanced(l, r)) return null;
    }
  }
  return fromConsistent(rows, [row.readings], identities);
}

/** Rows joined by shared identities, with the identities of each group. */
function components(rows: readonly SolveRow[], identities: readonly Identity[]): { rows: number[]; identities: Identity[] }[] {
  const parent = mapPacked(rows, rowIndex);
  const rowOf = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) for (const f of rows[i]!.fields) rowOf.set(f, i);
  // Each identity's rows joined to the first of them (its left fields, then its right), read in
  // place rather than through a list of its fields and a list of their rows. (Loops and
  // module-level functions, not closures made per call: see solveOnce.)
  const idRow = emptyPacked<number | null>();
  for (const id of identities) {
    let first = -1;
    for (let s = 0; s < 2; s++) {
      const side = s === 0 ? id.left : id.right;
      for (let k = 0; k < side.length; k++) {
        const x = rowOf.get(side[k]!);
        if (x === undefined) continue;
        if (first < 0) first = x;
        else {
          const at = root(parent, x);
          parent[at] = root(parent, first);
        }
      }
    }
    idRow.push(first >= 0 ? first : null);
  }
  const groups = new Map<number, { rows: number[]; identities: Identity[] }>();
  for (let i = 0; i < rows.length; i++) {
    const g = root(parent, i);
    if (!groups.has(g)) groups.set(g, { rows: [], identities: [] });
    groups.get(g)!.rows.push(i);
  }
  for (let k = 0; k < identities.length; k++) {
    const r = idRow[k];
    if (r !== null && r !== undefined) groups.get(root(parent, r))!.identities.push(identities[k]!);
  }
  return [...groups.values()];
}

const rowIndex = (_: unknown, i: number): number => i;

/** The root of i's tree in a union-find forest, with the path to it compressed. */
function root(parent: number[], i: number): number {
  return parent[i] === i ? i : (parent[i] = root(parent, parent[i]!));
}

/**
 * Solve with each row's first readings; where identities break, try rows' alternative readings
 * one row at a time and keep a switch only when it strictly lowers the number broken.
 */
function solveGroup(rows: readonly SolveRow[], identities: readonly Identity[]): SolveResult {
  // Rows of one shape (SolveRow's three fields) wherever they are made: finish and solveOnce read them all.
  let current: SolveRow[] = mapPacked(rows, (r) => ({ fields: r.fields, readings: r.readings, alternatives: undefined }));
  let best = solveOnce(current, identities);
  const switched = new Set<number>();
  for (;;) {
    if (!best.broken.length) break;
    const blamed = new Set(best.broken.flatMap((b) => [...b.identity.left, ...b.identity.right]));
    let improvement: { i: number; result: SolveResult; rows: typeof current } | null = null;
    rows.forEach((r, i) => {
      if (switched.has(i) || !r.alternatives?.length || !r.fields.some((f) => blamed.has(f))) return;
      const trial = mapPacked(current, (c, j) => (j === i ? { fields: c.fields, readings: r.alternatives!, alternatives: undefined } : c));
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

/** Search nodes tried before the free rows are declared too many to settle. */
const MAX_NODES = 60_000;
/** A complete combination costs this many nodes: it propagates and checks every identity. */
const LEAF_COST = 25;
const MAX_WINNERS = 64;

/** A reading's numbers as one string ("3,B,U,0"): U unknown, B blank. */
function vectorKey(r: Slot[]): string {
  let key = '';
  for (let i = 0; i < r.length; i++) {
    const v = slotNumber(r[i]!);
    if (i > 0) key += ',';
    key += v === undefined ? 'U' : v === null ? 'B' : String(v);
  }
  return key;
}

function setRow(values: ValueMap, fields: readonly string[], reading: Slot[] | null): void {
  for (let i = 0; i < fields.length; i++) values.set(fields[i]!, reading ? slotNumber(reading[i]!) : undefined);
}

/** Readings that give the same numbers are the same reading for the identities: the first of each. */
function distinctReadings(r: SolveRow): Slot[][] {
  if (r.readings.length <= 1) return [...r.readings];
  const seen = new Map<string, Slot[]>();
  for (const rd of r.readings) {
    const key = vectorKey(rd);
    if (!seen.has(key)) seen.set(key, rd);
  }
  return [...seen.values()];
}

const onlyReading = (r: Slot[][]): Slot[] | null => (r.length === 1 ? r[0]! : null);

// The per-row work of solveOnce and the functions after it is in module-level functions and
// loops rather than closures made on each call: V8 holds a function's optimized code only
// through its live closures, so a closure made per call loses it at a full GC and is compiled
// again, document after document.
function solveOnce(rows: readonly SolveRow[], identities: readonly Identity[]): SolveResult {
  const readings = mapPacked(rows, distinctReadings);
  const free = mapPacked(readings, rowIndex).filter(hasChoice, readings);
  const fixedValues: ValueMap = new Map();
  for (let i = 0; i < rows.length; i++) setRow(fixedValues, rows[i]!.fields, onlyReading(readings[i]!));

  const chosen: (Slot[] | null)[] = mapPacked(readings, onlyReading);
  const positionUnknown = new Set<number>();
  const ambiguous = new Set<string>();

  // The free rows (most often none) are settled by forEach's callback rather than by a branch of
  // solveOnce: work reached only when a document first has one would have no type feedback in
  // solveOnce's optimized code, and that first one would throw the code away.
  const search: FreeSearch = { rows, readings, free, identities, fixedValues, settled: undefined, chosen, positionUnknown, ambiguous, exhausted: false };
  free.forEach(settleFree, search);

  return finish(rows, chosen, ambiguous, identities, search.exhausted, positionUnknown);
}

function hasChoice(this: readonly Slot[][][], i: number): boolean {
  return this[i]!.length > 1;
}

interface FreeSearch {
  rows: readonly SolveRow[];
  readings: readonly Slot[][][];
  free: readonly number[];
  identities: readonly Identity[];
  fixedValues: ValueMap;
  /** searchFree's answer, once asked (undefined before). */
  settled: ReturnType<typeof searchFree> | undefined;
  chosen: (Slot[] | null)[];
  positionUnknown: Set<number>;
  ambiguous: Set<string>;
  exhausted: boolean;
}

/** Free row i as the search over every free row (made at the first) settles it. */
function settleFree(this: FreeSearch, i: number): void {
  if (this.settled === undefined) {
    this.settled = searchFree(this.rows, this.readings, this.free, this.identities, this.fixedValues);
    if (!this.settled) this.exhausted = true;
  }
  const s = this.settled?.rows.get(i);
  if (!s) {
    for (const f of this.rows[i]!.fields) this.ambiguous.add(f);
    return;
  }
  this.chosen[i] = s.reading;
  if (s.shapes > 1) this.positionUnknown.add(i);
  for (const f of s.ambiguous) this.ambiguous.add(f);
  if (s.ambiguous.length === this.rows[i]!.fields.length) this.chosen[i] = null;
}

/**
 * A group whose every consistent reading is known (prune.ts): a row is read the way all of them
 * read it; a cell they read differently is ambiguous.
 */
function fromConsistent(rows: readonly SolveRow[], readings: readonly Slot[][][], identities: readonly Identity[]): SolveResult {
  const ambiguous = new Set<string>();
  const positionUnknown = new Set<number>();
  const chosen = emptyPacked<Slot[] | null>();
  for (let i = 0; i < readings.length; i++) {
    const rs = readings[i]!;
    const fields = rows[i]!.fields;
    const differs = differingCells(rs, fields.length);
    for (let c = 0; c < fields.length; c++) if (differs[c]) ambiguous.add(fields[c]!);
    if (rs.length > 1 && !differs.includes(true)) positionUnknown.add(i);
    chosen.push(allIn(fields, ambiguous) ? null : rs[0]!);
  }
  return finish(rows, chosen, ambiguous, identities, false, positionUnknown);
}

/**
 * Per cell, whether the readings give it different numbers (as vectorKey writes them: a blank
 * and an unknown are not 0). Compared with the first reading cell by cell: a row whose blanks
 * vanished can have thousands of readings.
 */
function differingCells(readings: readonly Slot[][], width: number): boolean[] {
  const first = readings[0] ?? [];
  const differs: boolean[] = [];
  for (const rd of readings) {
    for (let c = 0; c < Math.max(width, rd.length, first.length); c++) {
      if (differs[c]) continue;
      const a = cellNumber(first, c);
      const b = cellNumber(rd, c);
      // Two different numbers write alike only when both are NaN. Both comparisons are made every
      // time: one made only now and then would have no type feedback, and would throw away the
      // optimized code the first time.
      const aNaN = a !== a;
      const bNaN = b !== b;
      differs[c] = a !== b && !(aNaN && bNaN);
    }
  }
  return differs;
}

function allIn(fields: readonly string[], set: ReadonlySet<string>): boolean {
  for (const f of fields) if (!set.has(f)) return false;
  return true;
}

/** Whether f is the only cell of the identity that an identity filled. */
const fillsAlone = (id: Identity, f: string, filled: ReadonlyMap<string, Solved>) => !id.left.some((g) => g !== f && filled.has(g)) && !id.right.some((g) => g !== f && filled.has(g));

/** Whether the identity's filled cells are all 0 and on f's side. */
function zerosOnOneSide(id: Identity, f: string, filled: ReadonlyMap<string, Solved>): boolean {
  const [mine, other] = id.left.includes(f) ? [id.left, id.right] : [id.right, id.left];
  return !other.some((g) => filled.has(g)) && mine.every((g) => !filled.has(g) || filled.get(g)!.value === 0);
}

const NONE: ReadonlySet<string> = new Set();

/** A cell past the end of a shorter reading. */
const ABSENT = Symbol('absent');

const cellNumber = (rd: readonly Slot[], c: number) => (c < rd.length ? slotNumber(rd[c]!) : ABSENT);

function setUnknown(this: ValueMap, f: string): void {
  this.set(f, undefined);
}

function finish(rows: readonly SolveRow[], chosen: (Slot[] | null)[], ambiguous: Set<string>, identities: readonly Identity[], exhausted: boolean, positionUnknown: Set<number>): SolveResult {
  // Final values: chosen readings; ambiguous cells unknown and never filled.
  const values: ValueMap = new Map();
  for (let i = 0; i < rows.length; i++) setRow(values, rows[i]!.fields, chosen[i]!);
  // Through a module-level callback: a loop's read of its first cell had no type feedback until a
  // document had an ambiguous cell, and deoptimized finish then (doc/jit-warm-up.md).
  ambiguous.forEach(setUnknown, values);
  const solvedRaw = propagate(identities, values, ambiguous);
  const solved = new Map<string, Solved & { confirmations: number }>();
  // An identity that filled a cell holds by construction: it confirms that cell's value (as the
  // one that gave it) and no other of its cells.
  const filler = new Set(mapPacked([...solvedRaw.values()], (s) => s.by));
  for (const [f, s] of solvedRaw) {
    let confirmations = 0;
    for (const id of identities) {
      if (!id.left.includes(f) && !id.right.includes(f)) continue;
      if (filler.has(id.id) && id.id !== s.by) continue;
      // One holding with another filled cell checks the fills' sum, not this one: two misreads
      // that cancel (158 → 159 in one row, 21 → 20 in the next) would confirm each other. Unless
      // the fills are all 0 and on one side: the identities' terms are counts, never negative,
      // so a sum of 0 makes each of them 0.
      if (id.id !== s.by && !fillsAlone(id, f, solvedRaw) && !zerosOnOneSide(id, f, solvedRaw)) continue;
      if (evaluate(id, values).holds === true) confirmations++;
    }
    solved.set(f, { ...s, confirmations });
  }
  const unresolved: string[] = [];
  // Loops, not forEach closures made per call (see solveOnce).
  for (let i = 0; i < rows.length; i++) {
    if (!chosen[i]) continue;
    for (const f of rows[i]!.fields) if (values.get(f) === undefined && !ambiguous.has(f)) unresolved.push(f);
  }
  return { chosen, ambiguous, solved, unresolved, broken: violations(identities, values), exhausted, positionUnknown, switched: new Set() };
}

/**
 * Try every combination of the free rows' readings; keep the cells all best combinations agree on.
 * Agreement is on the numbers after lost cells are filled: a cell lost from a row of zeros reads
 * the same wherever it was lost. Every identity is a ±1 sum, so a partial combination whose
 * remaining rows can no longer balance an identity is abandoned early.
 */
function searchFree(
  rows: readonly SolveRow[],
  readings: readonly Slot[][][],
  free: readonly number[],
  identities: readonly Identity[],
  fixed: ValueMap,
): { rows: Map<number, { reading: Slot[]; shapes: number; ambiguous: string[] }> } | null {
  // Each free row's contribution (Σ coefficient × value) to each identity, per reading; null if a
  // reading leaves a cell unknown there. The fixed rows' part is a constant per identity.
  const fieldRow = new Map<string, number>();
  free.forEach((ri, d) => rows[ri]!.fields.forEach((f) => fieldRow.set(f, d)));
  const contrib: (number | null)[][][] = mapPacked(free, (ri) => mapPacked(readings[ri]!, () => new Array(identities.length).fill(0)));
  const constant = new Array<number | null>(identities.length).fill(0);
  const involved: boolean[][] = mapPacked(free, () => new Array(identities.length).fill(false));
  identities.forEach((id, k) => {
    const terms: [string, number][] = [...id.left.map((f) => [f, 1] as [string, number]), ...id.right.map((f) => [f, -1] as [string, number])];
    for (const [f, coef] of terms) {
      const d = fieldRow.get(f);
      if (d === undefined) {
        const v = fixed.get(f);
        if (v === undefined) constant[k] = null;
        else if (constant[k] !== null) constant[k]! += coef * (v ?? 0);
        continue;
      }
      involved[d]![k] = true;
      const col = rows[free[d]!]!.fields.indexOf(f);
      readings[free[d]!]!.forEach((rd, r) => {
        const v = slotNumber(rd[col]!);
        const cur = contrib[d]![r]![k];
        contrib[d]![r]![k] = v === undefined || cur === null ? null : cur! + coef * (v ?? 0);
      });
    }
  });
  // Bounds of what the rows from depth d on can still contribute to each identity.
  const lo: number[][] = Array.from({ length: free.length + 1 }, () => new Array(identities.length).fill(0));
  const hi: number[][] = Array.from({ length: free.length + 1 }, () => new Array(identities.length).fill(0));
  for (let d = free.length - 1; d >= 0; d--) {
    for (let k = 0; k < identities.length; k++) {
      const vals = mapPacked(contrib[d]!, (c) => c[k]!);
      const unknown = vals.some((v) => v === null);
      lo[d]![k] = unknown ? -Infinity : lo[d + 1]![k]! + Math.min(...(vals as number[]));
      hi[d]![k] = unknown ? Infinity : hi[d + 1]![k]! + Math.max(...(vals as number[]));
    }
  }

  let best = Infinity;
  let winners: { pick: number[]; vectors: string[] }[] = [];
  let capped = false;
  let nodes = 0;
  const pick = new Array<number>(free.length).fill(0);
  const partial = constant.slice();
  const values: ValueMap = new Map(fixed);

  const evaluateAll = (): { score: number; vectors: string[] } => {
    const v: ValueMap = new Map(values);
    propagate(identities, v, NONE);
    let bad = violations(identities, v).length;
    // A reading that leaves lost cells no identity can fill is worse than one that explains them.
    for (const x of v.values()) if (x === undefined) bad += 0.01;
    const vectors = mapPacked(free, (ri) => mapPacked(rows[ri]!.fields, (f) => {
      const x = v.get(f);
      return x === undefined ? 'U' : x === null ? 'B' : String(x);
    }).join(','));
    return { score: bad, vectors };
  };
  /** Identities that can no longer balance, whatever the rows from depth d on read. */
  const doomed = (d: number): number => {
    let n = 0;
    for (let k = 0; k < identities.length; k++) {
      const p = partial[k];
      if (p === null || p === undefined) continue;
      if (p + lo[d]![k]! > 1e-9 || p + hi[d]![k]! < -1e-9) n++;
    }
    return n;
  };
  const walk = (d: number): boolean => {
    if (++nodes > MAX_NODES) return false;
    if (doomed(d) > best + 1e-9) return true;
    if (d === free.length) {
      nodes += LEAF_COST;
      const { score, vectors } = evaluateAll();
      if (score < best - 1e-9) {
        best = score;
        winners = [{ pick: pick.slice(), vectors }];
        capped = false;
      } else if (Math.abs(score - best) < 1e-9) {
        if (winners.length < MAX_WINNERS) winners.push({ pick: pick.slice(), vectors });
        else capped = true;
      }
      return true;
    }
    const ri = free[d]!;
    for (let r = 0; r < readings[ri]!.length; r++) {
      pick[d] = r;
      setRow(values, rows[ri]!.fields, readings[ri]![r]!);
      for (let k = 0; k < identities.length; k++) {
        if (!involved[d]![k]) continue;
        const c = contrib[d]![r]![k]!;
        partial[k] = partial[k] === null || c === null ? null : partial[k]! + c;
      }
      const ok = walk(d + 1);
      for (let k = 0; k < identities.length; k++) {
        if (!involved[d]![k]) continue;
        const c = contrib[d]![r]![k]!;
        // Undo; a null stays null only if it was null before this row (recomputed below).
        partial[k] = c === null ? recompute(k, d) : partial[k] === null ? recompute(k, d) : partial[k]! - c;
      }
      if (!ok) return false;
    }
    setRow(values, rows[ri]!.fields, null);
    return true;
  };
  /** The partial sum of identity k over the fixed rows and the picks above depth d. */
  const recompute = (k: number, d: number): number | null => {
    let p = constant[k]!;
    if (p === null) return null;
    for (let e = 0; e < d; e++) {
      if (!involved[e]![k]) continue;
      const c = contrib[e]![pick[e]!]![k]!;
      if (c === null) return null;
      p += c;
    }
    return p;
  };
  if (!walk(0)) return null;

  // Too many equally good readings to compare: settle nothing rather than trust a sample.
  if (capped || !winners.length) return null;
  const out = new Map<number, { reading: Slot[]; shapes: number; ambiguous: string[] }>();
  free.forEach((ri, d) => {
    const fields = rows[ri]!.fields;
    const split = mapPacked(winners, (w) => w.vectors[d]!.split(','));
    const ambiguous = fields.filter((_, fi) => new Set(mapPacked(split, (v) => v[fi])).size > 1);
    out.set(ri, { reading: readings[ri]![winners[0]!.pick[d]!]!, shapes: new Set(mapPacked(winners, (w) => w.pick[d]!)).size, ambiguous });
  });
  return { rows: out };
}
