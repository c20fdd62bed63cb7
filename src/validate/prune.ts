/**
 * Narrowing rows' readings before the search: a reading that no combination of the other rows'
 * readings can balance in some identity cannot be part of any reading of the table in which every
 * identity holds. Each identity is a ±1 sum, so the sums the other rows can still reach are
 * sets of integers, computed forwards and backwards over the rows it involves (a subset-sum
 * table). Flattened dumps give rows hundreds of readings each; this cuts them to the few that the
 * columns allow before the combinatorial search sees them.
 *
 * Sound only for tables whose identities all hold: the caller keeps the unpruned readings for
 * reports that break an identity.
 */
import type { Identity } from '../template/index.js';
import { type Slot, slotNumber } from '../match/candidates.js';
import { balanced } from './identities.js';
import { emptyPacked, mapPacked } from '../normalize/arrays.js';

/** Largest set of partial sums tracked for one identity before it is left out of the pruning. */
const MAX_SUMS = 50_000;

export interface PruneRow {
  fields: readonly string[];
  readings: Slot[][];
}

/** Per row, which of its readings are still live (same order as PruneRow.readings). */
type Live = boolean[][];

/** Per row, the readings that survive (same order), or 'dead' when some row loses every reading. */
export function pruneReadings(rows: readonly PruneRow[], identities: readonly Identity[]): Slot[][][] | 'dead' {
  const r = pruneRows(tableOf(rows, identities), mapPacked(rows, (r) => mapPacked(r.readings, () => true)), null);
  return r === 'dead' ? r : liveReadings(rows, r.alive);
}

function liveReadings(rows: readonly PruneRow[], alive: Live): Slot[][][] {
  return mapPacked(rows, (r, i) => r.readings.filter((_, j) => alive[i]![j]));
}

/** What pruneRows keeps, and whether it stopped because no identity prunes any more (not at its round limit). */
interface Pruned {
  alive: Live;
  settled: boolean;
}

/**
 * The rows and identities a search prunes over and over, each identity's contribution per
 * reading worked out once (on first use): every branch of the search prunes a subset of the same
 * readings, told by which are live.
 */
interface Table {
  rows: readonly PruneRow[];
  /** Per identity; null when a field of it is outside every row (it cannot prune). */
  shapes: (Shape | null)[];
  plans: (Plan | undefined)[];
}

function tableOf(rows: readonly PruneRow[], identities: readonly Identity[]): Table {
  const fieldRow = new Map<string, { row: number; col: number }>();
  rows.forEach((r, i) => r.fields.forEach((f, col) => fieldRow.set(f, { row: i, col })));
  const shapes = mapPacked(identities, (id) => shapeOf(id, fieldRow));
  return { rows, shapes, plans: mapPacked(shapes, () => undefined) };
}

/**
 * The readings live in `start` that survive the pruning, told which rows changed since a settled
 * pruning of the same readings (`dirty`; null: all of them). An identity prunes nothing when none
 * of its rows changed since it last pruned nothing (pruneOne depends only on its rows' live
 * readings), so it is not run again: the rounds go as before, without the runs that would change
 * nothing — most of them, as the search fixes one row at a time and prunes again.
 */
function pruneRows(table: Table, start: Live, dirty: ReadonlySet<number> | null): Pruned | 'dead' {
  const { rows, shapes, plans } = table;
  const alive = mapPacked(start, (a) => a.slice());
  // Clock of pruneOne runs: when each row last lost a reading, and when each identity last pruned nothing.
  let tick = 1;
  const changedAt: number[] = mapPacked(rows, (_, i) => (dirty === null || dirty.has(i) ? 1 : 0));
  const cleanAt: number[] = mapPacked(shapes, () => (dirty === null ? 0 : 1));
  let changed = true;
  let rounds = 0;
  while (changed && rounds++ < 20) {
    changed = false;
    for (let p = 0; p < shapes.length; p++) {
      const shape = shapes[p]!;
      if (!shape) continue;
      let last = 0;
      for (const ri of shape.involved) last = Math.max(last, changedAt[ri]!);
      if (last < cleanAt[p]!) continue;
      const plan = (plans[p] ??= planOf(shape, rows));
      const now = ++tick;
      const r = pruneOne(plan, alive, changedAt, now);
      if (r === 'dead') return 'dead';
      if (r) changed = true;
      else cleanAt[p] = now;
    }
  }
  return { alive, settled: !changed };
}

/** Scaled to integers: money cells carry decimals. */
const SCALE = 100;

/** An identity over the rows: the rows it involves and each one's contribution per reading (NaN: an unknown cell). */
interface Plan {
  involved: number[];
  values: number[][];
  /** Per involved row, the readings whose contribution is NaN. */
  unknownAt: number[][];
}

/** Which cells of which rows an identity adds or takes away. */
interface Shape {
  involved: number[];
  terms: Map<number, { col: number; coef: number }[]>;
}

/** The identity's contribution per reading of each row it involves. */
function planOf(shape: Shape, rows: readonly PruneRow[]): Plan {
  const { terms } = shape;
  const values = mapPacked(shape.involved, (ri) =>
    mapPacked(rows[ri]!.readings, (rd) => {
      let s = 0;
      for (const t of terms.get(ri)!) {
        const v = slotNumber(rd[t.col]!);
        if (v === undefined) return NaN; // an unknown cell: anything balances
        s += t.coef * Math.round((v ?? 0) * SCALE);
      }
      return s;
    }),
  );
  const unknownAt = mapPacked(values, (vs) => {
    const at: number[] = [];
    vs.forEach((v, j) => {
      if (Number.isNaN(v)) at.push(j);
    });
    return at;
  });
  return { involved: shape.involved, values, unknownAt };
}

function shapeOf(id: Identity, fieldRow: Map<string, { row: number; col: number }>): Shape | null {
  const terms = new Map<number, { col: number; coef: number }[]>();
  for (const [fields, coef] of [[id.left, 1], [id.right, -1]] as const) {
    for (const f of fields) {
      const at = fieldRow.get(f);
      if (!at) return null;
      if (!terms.has(at.row)) terms.set(at.row, []);
      terms.get(at.row)!.push({ col: at.col, coef });
    }
  }
  return { involved: [...terms.keys()], terms };
}

/** One identity's pruning of its rows' live readings; a row that loses one gets `now` in changedAt. */
function pruneOne(plan: Plan, alive: boolean[][], changedAt: number[], now: number): boolean | 'dead' {
  const { involved } = plan;
  // Each involved row's contributions over its live readings (plan.values where alive), without
  // copying them: this runs for every identity in every round of every branch of the search.
  for (let d = 0; d < involved.length; d++) {
    const live = alive[involved[d]!]!;
    for (const j of plan.unknownAt[d]!) if (live[j]) return false;
  }
  // Most runs find every row down to one contribution (nothing to prune) or one row emptied:
  // told apart here without building the sets below.
  let single = true;
  for (let d = 0; d < involved.length; d++) {
    const live = alive[involved[d]!]!;
    const values = plan.values[d]!;
    let any = false;
    let v0 = 0;
    for (let j = 0; j < values.length; j++) {
      if (!live[j]) continue;
      if (!any) {
        any = true;
        v0 = values[j]!;
      } else if (values[j] !== v0) {
        single = false;
        break;
      }
    }
    if (!any) return 'dead';
  }
  if (single) return false;
  const options: number[][] = mapPacked(involved, (ri, d) => {
    const live = alive[ri]!;
    const distinct = new Set<number>();
    plan.values[d]!.forEach((v, j) => {
      if (live[j]) distinct.add(v);
    });
    return [...distinct];
  });
  if (options.some((o) => o.length === 0)) return 'dead';
  if (options.every((o) => o.length === 1)) return false;

  const kept = keptInSmallRange(options);
  if (kept === 'dead') return 'dead';
  if (kept) {
    let changed = false;
    involved.forEach((ri, d) => {
      if (dropOutside(plan.values[d]!, kept[d]!, alive[ri]!)) {
        changed = true;
        changedAt[ri] = now;
      }
    });
    return changed;
  }

  // back[d]: the sums rows d.. can reach. Past MAX_SUMS the identity is left out, found as soon
  // as a set passes it. back[0] is never read, only its size: it is built only when the sizes it
  // comes from allow more than MAX_SUMS sums.
  const back: Set<number>[] = new Array(involved.length + 1);
  back[involved.length] = new Set([0]);
  for (let d = involved.length - 1; d >= 0; d--) {
    if (d === 0 && back[1]!.size * options[0]!.length <= MAX_SUMS) break;
    const next = new Set<number>();
    for (const b of back[d + 1]!) {
      for (const o of options[d]!) next.add(b + o);
      if (next.size > MAX_SUMS) return false;
    }
    back[d] = next;
  }
  let front = new Set([0]);
  let changed = false;
  for (let d = 0; d < involved.length; d++) {
    const ri = involved[d]!;
    const keep = new Set<number>();
    for (const o of options[d]!) {
      for (const a of front) {
        if (back[d + 1]!.has(-(a + o))) {
          keep.add(o);
          break;
        }
      }
    }
    if (!keep.size) return 'dead';
    // A reading is dropped only here, by its own row's turn (rows are involved once each), so
    // `alive` still says which readings were live when the options were taken.
    if (dropOutside(plan.values[d]!, keep, alive[ri]!)) {
      changed = true;
      changedAt[ri] = now;
    }
    // The sums after the last row are never read: its turn ends the walk either way.
    if (d === involved.length - 1) break;
    const next = new Set<number>();
    for (const a of front) {
      for (const o of keep) next.add(a + o);
      if (next.size > MAX_SUMS) return changed;
    }
    front = next;
  }
  return changed;
}

/** Marks dead each live reading of a row whose value is not kept; says whether any was. */
function dropOutside(values: readonly number[], keep: ReadonlySet<number>, live: boolean[]): boolean {
  let dropped = false;
  values.forEach((v, j) => {
    if (live[j] && !keep.has(v)) {
      live[j] = false;
      dropped = true;
    }
  });
  return dropped;
}

/**
 * The options of each row that some option of every other row balances (the pruning below, by
 * another route), when all the sums the rows can reach lie in a range of at most MAX_SUMS
 * integers once divided by the options' common divisor — counts are scaled by 100 and a row's
 * options are a few dozen apart, so nearly always. No set of sums can then pass MAX_SUMS, so the
 * result is the one the sets below give, from byte maps of the range instead of hashed sets
 * (which were most of the search's time on dumps with blank zeros). Null: outside that range.
 */
function keptInSmallRange(options: readonly number[][]): Set<number>[] | 'dead' | null {
  const n = options.length;
  let g = 0;
  for (const o of options) {
    for (const v of o) {
      if (!Number.isSafeInteger(v)) return null;
      g = gcd(g, Math.abs(v));
    }
  }
  if (g === 0) return null;
  const scaled = mapPacked(options, (o) => mapPacked(o, (v) => v / g));
  const min = mapPacked(scaled, (o) => Math.min(...o));
  const max = mapPacked(scaled, (o) => Math.max(...o));
  // back[d] covers [lo[d], lo[d] + width[d]): the sums rows d.. can reach; back[n] is {0}.
  const lo = new Array<number>(n + 1).fill(0);
  const width = new Array<number>(n + 1).fill(1);
  for (let d = n - 1; d >= 0; d--) {
    lo[d] = lo[d + 1]! + min[d]!;
    width[d] = width[d + 1]! + max[d]! - min[d]!;
  }
  if (width[0]! > MAX_SUMS) return null;
  const back: Uint8Array[] = new Array(n + 1);
  back[n] = Uint8Array.of(1);
  // back[0] is never read (the sets below build it only to see it stays under MAX_SUMS).
  for (let d = n - 1; d >= 1; d--) {
    const from = back[d + 1]!;
    const to = new Uint8Array(width[d]!);
    for (const q of scaled[d]!) {
      const shift = q - min[d]!;
      for (let i = 0; i < from.length; i++) if (from[i]) to[i + shift] = 1;
    }
    back[d] = to;
  }
  // front covers [frontLo, frontLo + front.length): the sums of the kept options of rows before d.
  let front = Uint8Array.of(1);
  let frontLo = 0;
  const kept: Set<number>[] = [];
  for (let d = 0; d < n; d++) {
    const after = back[d + 1]!;
    const keep = new Set<number>();
    const keptScaled: number[] = [];
    scaled[d]!.forEach((q, k) => {
      for (let i = 0; i < front.length; i++) {
        if (!front[i]) continue;
        const at = -(frontLo + i + q) - lo[d + 1]!;
        if (at >= 0 && at < after.length && after[at]) {
          keep.add(options[d]![k]!);
          keptScaled.push(q);
          break;
        }
      }
    });
    if (!keep.size) return 'dead';
    kept.push(keep);
    if (d === n - 1) break;
    const next = new Uint8Array(front.length + max[d]! - min[d]!);
    for (const q of keptScaled) {
      const shift = q - min[d]!;
      for (let i = 0; i < front.length; i++) if (front[i]) next[i + shift] = 1;
    }
    front = next;
    frontLo += min[d]!;
  }
  return kept;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Most branchings tried, and most complete readings of the table kept, before giving up. */
const MAX_BRANCHES = 400;
const MAX_SOLUTIONS = 64;

/**
 * The readings of each row that the identities leave, searched with the pruning above after each
 * choice (a row fixed to one reading often settles its neighbours). Null when no reading of the
 * whole table keeps every identity (one the report itself breaks) or none was found within
 * MAX_BRANCHES.
 *
 * When every reading of the table that keeps the identities is listed (at most MAX_SOLUTIONS),
 * a row keeps the readings that occur in at least one of them. When there are too many to list,
 * but one was seen: the readings the first pruning keeps. Every complete reading uses only kept
 * readings, so a row whose kept readings all give the same numbers is read that way in all of
 * them; the other rows stay open.
 */
export function consistentReadings(rows: readonly PruneRow[], identities: readonly Identity[]): Slot[][][] | null {
  // Readings that give the same numbers (a blank counts as 0) are one choice for the search: an
  // all-zero row with two blanks somewhere has 21 readings but one set of numbers. The pruning
  // keeps or drops a class whole (it sees only the numbers), so it runs over one reading of each.
  // (Loops and module-level functions, not closures made per call: V8 holds a function's
  // optimized code only through its live closures, so one made per call is compiled again after
  // a full GC, document after document.)
  const classOf = emptyPacked<number[]>();
  const classes = emptyPacked<Slot[][][]>();
  for (const r of rows) {
    const index = new Map<string, number>();
    const of: number[] = [];
    const out: Slot[][][] = [];
    for (const rd of r.readings) {
      const key = numbersKey(rd);
      let k = index.get(key);
      if (k === undefined) {
        index.set(key, (k = out.length));
        out.push([]);
      }
      of.push(k);
      out[k]!.push(rd);
    }
    classOf.push(of);
    classes.push(out);
  }
  const table = tableOf(mapPacked(rows, (r, i) => ({ fields: r.fields, readings: mapPacked(classes[i]!, (c) => c[0]!) })), identities);
  const places = placesOf(rows, identities);
  const start = pruneRows(table, mapPacked(classes, (c) => mapPacked(c, () => true)), null);
  if (start === 'dead') return null;
  const used = mapPacked(classes, (c) => mapPacked(c, () => false));
  let solutions = 0;
  let branches = 0;
  const walk = (pruned: Pruned): boolean => {
    const { alive } = pruned;
    let pick = -1;
    let fewest = Infinity;
    alive.forEach((a, i) => {
      const n = count(a);
      if (n > 1 && n < fewest) [pick, fewest] = [i, n];
    });
    if (pick < 0) {
      // Every row has one reading; the pruning only proves each identity balanceable, so check it.
      const first = mapPacked(alive, (a) => a.indexOf(true));
      if (!allHold(places, mapPacked(first, (k, i) => classes[i]![k]?.[0]!))) return true;
      first.forEach((k, i) => (used[i]![k] = true));
      return ++solutions <= MAX_SOLUTIONS;
    }
    const choices = alive[pick]!;
    for (let k = 0; k < choices.length; k++) {
      if (!choices[k]) continue;
      if (++branches > MAX_BRANCHES) return false;
      const trial = mapPacked(alive, (a, i) => (i === pick ? mapPacked(a, (_, j) => j === k) : a));
      // Only the picked row differs from a settled pruning: the identities of the others prune nothing.
      const next = pruneRows(table, trial, pruned.settled ? new Set([pick]) : null);
      if (next !== 'dead' && !walk(next)) return false;
    }
    return true;
  };
  if (walk(start)) return solutions ? mapPacked(classes, (c, i) => c.filter((_, k) => used[i]![k]).flat()) : null;
  // Cut short (too many readings of the table, or branches): one complete reading is enough,
  // as long as the search saw one before its branches ran out.
  return solutions ? mapPacked(rows, (r, i) => r.readings.filter((_, j) => start.alive[i]![classOf[i]![j]!])) : null;
}

/** A reading's numbers as one string ("3,0,U"): U unknown, a blank 0. */
function numbersKey(rd: readonly Slot[]): string {
  let key = '';
  for (let i = 0; i < rd.length; i++) {
    const v = slotNumber(rd[i]!);
    if (i > 0) key += ',';
    key += v === undefined ? 'U' : String(v ?? 0);
  }
  return key;
}

function count(a: readonly boolean[]): number {
  let n = 0;
  for (const x of a) if (x) n++;
  return n;
}

/** Each identity's fields as [row, column] (the last row holding a field), null where no row holds one. */
type Places = { left: ([number, number] | null)[]; right: ([number, number] | null)[] }[];

function placesOf(rows: readonly PruneRow[], identities: readonly Identity[]): Places {
  const at = new Map<string, [number, number]>();
  for (let i = 0; i < rows.length; i++) {
    const fields = rows[i]!.fields;
    for (let c = 0; c < fields.length; c++) at.set(fields[c]!, [i, c]);
  }
  const out: Places = emptyPacked();
  for (const id of identities) out.push({ left: placesIn(id.left, at), right: placesIn(id.right, at) });
  return out;
}

function placesIn(fields: readonly string[], at: ReadonlyMap<string, [number, number]>): ([number, number] | null)[] {
  const out = emptyPacked<[number, number] | null>();
  for (const f of fields) out.push(at.get(f) ?? null);
  return out;
}

/** Whether every identity holds on the given reading of each row (one with an unknown or absent cell holds). */
function allHold(places: Places, reading: Slot[][]): boolean {
  for (const id of places) if (!holds(id, reading)) return false;
  return true;
}

function holds(id: Places[number], reading: Slot[][]): boolean {
  let d = 0;
  for (const p of id.left) {
    const v = p ? slotNumber(reading[p[0]]![p[1]]!) : undefined;
    if (v === undefined) return true;
    d += v ?? 0;
  }
  for (const p of id.right) {
    const v = p ? slotNumber(reading[p[0]]![p[1]]!) : undefined;
    if (v === undefined) return true;
    d -= v ?? 0;
  }
  return balanced(d, 0);
}
