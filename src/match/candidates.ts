/**
 * The possible readings of one row's value cells. When a row has exactly its template's number of
 * cells there is one reading. When it has fewer, the cells may be glued digits ("1000001" for
 * 1 0 0 0 0 0 1), blank cells that left no trace (pdftotext), or cells lost by the dump; every
 * reading consistent with the row's own identities is listed and the table's identities later
 * choose among them. When it has more, structural blanks at the ends are dropped first.
 */
import type { ValueCell } from './units.js';
import { mapPacked } from '../normalize/arrays.js';

export type Slot =
  | { kind: 'cell'; vc: ValueCell }
  | { kind: 'part'; vc: ValueCell; digits: string }
  | { kind: 'vanished' }
  | { kind: 'missing' };

/** An equation over slot indices of one row: Σ left = Σ right. */
export interface LocalIdentity {
  left: number[];
  right: number[];
}

export interface RowReadings {
  readings: Slot[][];
  /**
   * Readings under a second hypothesis, tried only when the first breaks identities: the row's
   * empty cells were layout placeholders and the dump lost some of its values.
   */
  alternatives?: Slot[][];
  /** How the readings were obtained. */
  how: 'exact' | 'trimmed' | 'windowed' | 'rebuilt';
  /** The search hit its limit: the list may be incomplete. */
  truncated: boolean;
}

export interface ReadingOptions {
  exact: boolean;
  blanksVanish: boolean;
  /**
   * A flattened dump that marks every blank cell: no cell vanished, and a run of marks (a cell
   * with `run`) is one blank cell or more, up to one per character.
   */
  blanksMarked?: boolean;
  local: LocalIdentity[];
  /**
   * A flattened dump: a signed run ("-916") is glued digits too (−9 then 16), and, per slot,
   * `signed` says whether it may hold a negative number (a 本年增/减 change): a glued reading
   * that puts one anywhere else is no reading.
   */
  flattened?: { signed: readonly boolean[] };
  /** Most cells a text dump may have lost from one row. */
  maxLost?: number;
  /** Exact tables: the grid columns each value column spans, from the header row above. */
  columns?: readonly (readonly [number, number])[] | null;
  limit?: number;
}

/**
 * A row's readings, always of one shape (alternatives undefined when there are none): the builder
 * and the solver read these fields for every row of every report, and objects of one shape keep
 * those reads monomorphic.
 */
export function rowReadingsOf(readings: Slot[][], how: RowReadings['how'], truncated: boolean, alternatives?: Slot[][]): RowReadings {
  return { readings, alternatives, how, truncated };
}

/** The number a slot contributes to identities: null for blank, undefined for unknown. */
export function slotNumber(s: Slot): number | null | undefined {
  switch (s.kind) {
    case 'cell':
      return s.vc.parsed.kind === 'number' ? s.vc.parsed.value : s.vc.parsed.kind === 'blank' ? null : undefined;
    case 'part':
      return Number(s.digits);
    case 'vanished':
      return null;
    case 'missing':
      return undefined;
  }
}

const isBlank = (v: ValueCell) => v.parsed.kind === 'blank';

export function rowReadings(cells: readonly ValueCell[], k: number, opts: ReadingOptions): RowReadings {
  const primary = primaryReadings(cells, k, opts);
  if (opts.exact || opts.blanksVanish) return primary;
  const filled = cells.filter((v) => !v.empty);
  if (filled.length === cells.length || filled.length >= k || filled.length === 0) return primary;
  const alt = rebuild(filled, k, opts);
  return alt.readings.length ? rowReadingsOf(primary.readings, primary.how, primary.truncated, alt.readings) : primary;
}

function primaryReadings(cells: readonly ValueCell[], k: number, opts: ReadingOptions): RowReadings {
  const c = cells.length;
  // (A flattened cell with more than three digits before its first thousands separator is cells glued.)
  if (c === k && !(opts.flattened && cells.some((vc) => (vc.cell.grouped ?? 0) > 3))) return rowReadingsOf([mapPacked(cells, (vc) => ({ kind: 'cell', vc }))], 'exact', false);
  if (c > k) {
    if (!opts.exact && !cells.some((v) => v.cell.inferred)) {
      // Cells with no text at all are merged-cell placeholders or trailing tabs, and in dumps the
      // placeholders of a label spanning columns come before the values: drop those first.
      let lo = 0;
      let hi = c;
      while (hi - lo > k) {
        if (cells[lo]!.empty) lo++;
        else if (cells[hi - 1]!.empty) hi--;
        else if (isBlank(cells[lo]!)) lo++;
        else if (isBlank(cells[hi - 1]!)) hi--;
        else break;
      }
      if (hi - lo === k) return rowReadingsOf([mapPacked(cells.slice(lo, hi), (vc) => ({ kind: 'cell', vc }))], 'trimmed', false);
    }
    // Exact tables (a row padded with an empty cell, as the 2019 fees and procurement rows are),
    // blanks placed by column alignment, or ends that did not trim: every window that drops only
    // blank cells is a reading. An exact table with no such window keeps its last k cells.
    const windows: number[] = [];
    for (let lo = 0; lo + k <= c; lo++) {
      if ([...cells.slice(0, lo), ...cells.slice(lo + k)].every(isBlank)) windows.push(lo);
    }
    if (!windows.length && opts.exact) return rowReadingsOf([mapPacked(cells.slice(c - k), (vc) => ({ kind: 'cell', vc }))], 'trimmed', false);
    // The header says which grid columns hold the values: keep the windows that sit under it.
    if (opts.exact && opts.columns && windows.length > 1) {
      const cols = opts.columns;
      const placed = windows.filter((lo) => cells.slice(lo, lo + k).every((vc, i) => vc.cell.col >= cols[i]![0] && vc.cell.col < cols[i]![1]));
      if (placed.length === 1) return rowReadingsOf([mapPacked(cells.slice(placed[0]!, placed[0]! + k), (vc) => ({ kind: 'cell', vc }))], 'trimmed', false);
    }
    const starts = windows.length ? windows : Array.from({ length: c - k + 1 }, (_, i) => i);
    const readings: Slot[][] = mapPacked(starts, (lo) => mapPacked(cells.slice(lo, lo + k), (vc) => ({ kind: 'cell', vc }) as Slot));
    if (readings.length === 1) return rowReadingsOf(readings, 'trimmed', false);
    const ok = readings.filter((r) => passesLocal(r, opts.local, k));
    return rowReadingsOf(ok.length ? ok : readings, windows.length ? 'trimmed' : 'windowed', false);
  }
  return rebuild(cells, k, opts);
}

// ocr-guard.ts's placements also puts a short row's cells in order among lost slots, but never
// splits a cell and checks no identity (OCR cells are doubted after placing): see there.
function rebuild(cells: readonly ValueCell[], k: number, opts: ReadingOptions): RowReadings {
  const limit = opts.limit ?? 20000;
  const maxInsert = opts.blanksMarked ? 0 : opts.blanksVanish ? k - 1 : (opts.maxLost ?? 2);
  const insertKind: Slot['kind'] = opts.blanksVanish ? 'vanished' : 'missing';
  const out: Slot[][] = [];
  let truncated = false;
  let steps = 0;
  const MAX_STEPS = 2_000_000;

  // Identities that become checkable once slot s is placed.
  const checkAt: LocalIdentity[][] = Array.from({ length: k }, () => []);
  for (const id of opts.local) checkAt[Math.max(...id.left, ...id.right)]!.push(id);

  const splittable = mapPacked(cells, (vc) => {
    const p = vc.parsed;
    if (p.kind !== 'number') return null;
    if (p.digits) return p.digits.length > 1 ? p.digits : null;
    // "-916", "减少916", "增加916" in a flattened dump: a sign, then digits glued as any others.
    return opts.flattened && !p.unit && /^(?:[-+－＋−]|增加|减少)/.test(p.raw.trim()) && /^[0-9]{2,}$/.test(p.decimal) ? p.decimal : null;
  });
  // A run of marks fills 1 to `run` blank slots; the walk's offset counts those placed.
  const run = mapPacked(cells, (vc) => (opts.blanksMarked && vc.run && vc.run > 1 ? vc.run : 0));
  // Most slots the cells from index t on can fill.
  const capacity = new Array<number>(cells.length + 1).fill(0);
  for (let t = cells.length - 1; t >= 0; t--) capacity[t] = capacity[t + 1]! + (splittable[t]?.length ?? (run[t] || 1));
  // Fewest slots the digits of cell t from `offset` on can fill: a part never starts with 0 unless
  // it is that 0 alone, so each leading zero is a slot and the rest can be one ("00120" → 0 0 120).
  const fewestInCell = (t: number, offset: number): number => {
    const d = splittable[t];
    if (run[t]) return offset > 0 ? 0 : 1;
    if (!d) return 1;
    let z = offset;
    while (z < d.length && d.charCodeAt(z) === 48) z++;
    return z - offset + (z < d.length ? 1 : 0);
  };
  // Fewest slots the cells from index t on can fill.
  const fewest = new Array<number>(cells.length + 1).fill(0);
  for (let t = cells.length - 1; t >= 0; t--) fewest[t] = fewest[t + 1]! + fewestInCell(t, 0);

  // A row whose last cell is the sum of the others (the applications table's 总计): the cells
  // placed so far can never add up to more than the number the remaining digits spell, so a
  // prefix that already does is abandoned (glued runs of 7 cells have many prefixes).
  const rowTotal = opts.local.some((id) => id.right.length === 1 && id.right[0] === k - 1 && id.left.length === k - 1 && id.left.every((x, i) => x === i));
  const tail: string[] = mapPacked(cells, (vc, t) => (splittable[t] ?? '') + '');
  let partial = 0;

  // A row total that closes the row: the total is then a suffix of the digits still to place
  // (or vanished), which bounds what the cells before it may still add up to (totalFits).
  const allDigits = splittable.every((d, i) => d !== null || cells[i]!.parsed.kind !== 'number');
  const suffixBound = rowTotal && opts.blanksVanish && allDigits && cells.every((vc) => vc.parsed.kind === 'number');
  const allText = tail.join('');
  const digitSums = [0];
  for (let i = 0; i < allText.length; i++) digitSums.push(digitSums[i]! + allText.charCodeAt(i) - 48);
  // Where token t starts in allText.
  const tokenStart = [0];
  for (const x of tail) tokenStart.push(tokenStart[tokenStart.length - 1]! + x.length);

  // Subtrees that gave no reading, by everything their outcome depends on: where the walk is in
  // the digits, how many cells were inserted, the slot, and the running sums of the identities
  // still open (and the row's partial sum when the row-total bound uses it). Glued runs revisit
  // the same state through many different splits of the digits before it.
  const ids = opts.local;
  const lastOf = mapPacked(ids, (id) => Math.max(...id.left, ...id.right));
  const firstOf = mapPacked(ids, (id) => Math.min(...id.left, ...id.right));
  // Per slot: the identities it enters (+1 left, −1 right); per depth: the identities open there.
  const entersAt: [number, number][][] = Array.from({ length: k }, () => []);
  ids.forEach((id, n) => {
    for (const i of id.left) entersAt[i]!.push([n, 1]);
    for (const i of id.right) entersAt[i]!.push([n, -1]);
  });
  const openAt: number[][] = Array.from({ length: k + 1 }, (_, s) => mapPacked(ids, (_, n) => n).filter((n) => firstOf[n]! < s && lastOf[n]! >= s));
  const diff = new Array<number>(ids.length).fill(0);
  const unknownLeft = new Array<number>(ids.length).fill(0);
  const unknownRight = new Array<number>(ids.length).fill(0);
  // A state is its numbers (below); dead states are kept by a hash of them, each bucket checked
  // number by number, rather than as strings: the walk asks at every step, and building and
  // hashing a string per step was most of the walk's time.
  const dead = new DeadStates();
  // Written in place (stateLen numbers) rather than pushed: emptying an array by setting its
  // length is a call into the runtime, at every step.
  const stateMax = 5 + 3 * ids.length;
  const state = new Float64Array(stateMax);
  let stateLen = 0;
  /** The state in `state`; false when it must not be remembered. */
  const stateOf = (t: number, offset: number, inserted: number, s: number): boolean => {
    stateLen = 0;
    // The insertions left matter only up to the slots left: past that they never run out.
    state[0] = t;
    state[1] = offset;
    state[2] = Math.min(maxInsert - inserted, k - s);
    state[3] = s;
    stateLen = 4;
    for (const n of openAt[s]!) {
      // Past 2^53 sums are not exact: two different states could share a key.
      if (Math.abs(diff[n]!) > 1e15) return false;
      state[stateLen++] = diff[n]!;
      state[stateLen++] = unknownLeft[n]!;
      state[stateLen++] = unknownRight[n]!;
    }
    if (rowTotal) state[stateLen++] = partial;
    return true;
  };

  // Per slot s, the identities it enters as two flat lists (identity, +1 left / −1 right).
  const entersN = mapPacked(entersAt, (e) => mapPacked(e, (x) => x[0]));
  const entersSign = mapPacked(entersAt, (e) => mapPacked(e, (x) => x[1]));
  // What the walk places, made once per rebuild rather than once per step: each cell's whole slot,
  // its number and whether it is written with a sign, and (lazily) each part of a glued run by
  // where it starts and how long it is. Readings share these objects, as they already shared
  // the slots of a common prefix; nothing downstream tells two equal slots apart.
  const insertSlot = { kind: insertKind } as Slot;
  const insertNum = slotNumber(insertSlot);
  const cellSlot: Slot[] = mapPacked(cells, (vc) => ({ kind: 'cell', vc }));
  const cellNum = mapPacked(cellSlot, slotNumber);
  // Whether each cell is written with a sign, asked only of the cells the walk reaches (most rows
  // are short and most of their cells plain digits: a regex per cell per rebuild adds up).
  const signedAt: (boolean | undefined)[] = [];
  const cellSigned = (t: number): boolean => (signedAt[t] ??= writtenSigned(cellSlot[t]!));
  const partSlot: (Slot | undefined)[][] = mapPacked(cells, () => []);
  const partNum: number[][] = mapPacked(cells, () => []);
  // The number the digits from `from` on spell, where they are at most 15 (the row-total check).
  // Built only for the rows that check it.
  const suffixValue = new Float64Array(rowTotal && opts.blanksVanish && allDigits ? allText.length + 1 : 0);
  for (let from = 0; from < suffixValue.length; from++) if (allText.length - from <= 15) suffixValue[from] = Number(allText.slice(from) || '0');

  const slots: Slot[] = [];
  // The number each placed slot contributes (slotNumber), kept beside it: the identities are
  // checked at every step, and a part's number would otherwise be parsed from its digits again
  // for each identity it enters.
  const nums: (number | null | undefined)[] = [];
  // One save area per depth (a depth is active once at a time): place runs for every split of
  // every glued run, and must not allocate for it.
  const savedAt: number[][] = mapPacked(entersAt, (e) => new Array<number>(e.length).fill(0));
  // One copy of the search state per level of the walk's recursion (a run of marks recurses
  // without placing a slot, so the slot count is not the level), copied out only when it dies.
  const keyAt: Float64Array[] = [];
  let level = 0;
  const place = (slot: Slot, num: number | null | undefined, signed: boolean, nt: number, noff: number, nins: number): void => {
    const s = slots.length;
    // A number written with a sign (−, +, 增加, 减少) or read negative is a change: only in a 增/减 slot.
    if (opts.flattened && !opts.flattened.signed[s] && ((num !== null && num !== undefined && num < 0) || signed)) return;
    slots.push(slot);
    nums.push(num);
    // Clamped so that adding and taking back a 20-digit run stays exact in floating point.
    const v = s < k - 1 ? Math.min(num ?? 0, 1e15) : 0;
    partial += v;
    // Restored from a copy, not by subtracting: a 20-digit part does not subtract back exactly.
    const en = entersN[s]!;
    const es = entersSign[s]!;
    const saved = savedAt[s]!;
    for (let j = 0; j < en.length; j++) saved[j] = diff[en[j]!]!;
    for (let j = 0; j < en.length; j++) {
      const n = en[j]!;
      if (num === undefined) {
        if (es[j]! > 0) unknownLeft[n]!++;
        else unknownRight[n]!++;
      } else diff[n]! += es[j]! * (num ?? 0);
    }
    const checks = checkAt[s]!;
    let holds = true;
    for (let j = 0; j < checks.length && holds; j++) holds = holdsNumbers(nums, checks[j]!);
    if (holds) walk(nt, noff, nins);
    for (let j = 0; j < en.length; j++) {
      const n = en[j]!;
      diff[n] = saved[j]!;
      if (num === undefined) {
        if (es[j]! > 0) unknownLeft[n]!--;
        else unknownRight[n]!--;
      }
    }
    partial -= v;
    slots.pop();
    nums.pop();
  };
  const walk = (t: number, offset: number, inserted: number): void => {
    if (out.length >= limit || ++steps > MAX_STEPS) {
      truncated = true;
      return;
    }
    const s = slots.length;
    if (rowTotal && opts.blanksVanish && s > 0 && s < k && allDigits) {
      // (A run of marks holds no digits: its offset counts blanks.)
      const from = t < cells.length ? tokenStart[t]! + (run[t] ? 0 : offset) : allText.length;
      if (allText.length - from <= 15 && partial > suffixValue[from]!) return;
      if (suffixBound && !totalFits(allText, from, digitSums, partial, k - 1 - s)) return;
    }
    if (s === k) {
      if (t === cells.length || (t === cells.length - 1 && run[t] && offset > 0)) out.push(slots.slice());
      return;
    }
    // A run of marks with a blank placed already needs no more slots.
    const remainingTokens = cells.length - t - (t < cells.length && run[t] && offset > 0 ? 1 : 0);
    const remainingDigits = capacity[t]! - (offset > 0 ? offset : 0);
    // Every remaining cell (the current one included) needs at least one slot.
    if (k - s < remainingTokens) return;
    if (k - s > remainingDigits + (maxInsert - inserted)) return;
    // A run of zeros is a slot per digit: a prefix that leaves more zeros than slots never fits.
    if (t < cells.length && k - s < fewestInCell(t, offset) + fewest[t + 1]!) return;

    const key = s > 0 && stateOf(t, offset, inserted, s) ? dead.hash(state, stateLen) : null;
    if (key !== null && dead.has(key, state, stateLen)) return;
    // Kept now: the walk below reuses `state`, and its partial sum comes back only to within
    // rounding, so the state is not rebuilt afterwards.
    const keyState = key !== null ? (keyAt[level] ??= new Float64Array(stateMax)) : null;
    const keyLen = stateLen;
    if (keyState) for (let i = 0; i < keyLen; i++) keyState[i] = state[i]!;
    level++;
    const before = out.length;
    if (inserted < maxInsert) place(insertSlot, insertNum, false, t, offset, inserted + 1);
    if (t < cells.length) {
      const vc = cells[t]!;
      const digits = splittable[t];
      if (run[t]) {
        // The run ends here, or takes one more blank.
        if (offset > 0) walk(t + 1, 0, inserted);
        if (offset < run[t]!) place(cellSlot[t]!, cellNum[t], cellSigned(t), offset + 1 < run[t]! ? t : t + 1, offset + 1 < run[t]! ? offset + 1 : 0, inserted);
      } else if (!digits) {
        place(cellSlot[t]!, cellNum[t], cellSigned(t), t + 1, 0, inserted);
      } else {
        const rest = digits.length - offset;
        // Written with thousands separators from `grouped` on: the number there starts 1 to 3
        // digits before and runs to the end; no cell starts inside it.
        const grouped = opts.flattened ? vc.cell.grouped : undefined;
        // A sign belongs to the first number of its run ("-80" may be −8 then 0), never −0.
        const sign = offset === 0 && cellSigned(t) ? (vc.parsed.kind === 'number' && vc.parsed.negative ? '-' : '+') : '';
        const parts = partSlot[t]!;
        const partNums = partNum[t]!;
        for (let len = 1; len <= rest; len++) {
          if (len > 1 && digits.charCodeAt(offset) === 48) break;
          if (grouped !== undefined && (offset >= grouped || (offset + len >= grouped && (offset < grouped - 3 || len < rest)))) continue;
          const whole = offset === 0 && len === rest;
          if (sign && len === 1 && digits.charCodeAt(offset) === 48 && !whole) continue;
          const nt = len === rest ? t + 1 : t;
          const noff = len === rest ? 0 : offset + len;
          if (whole) {
            place(cellSlot[t]!, cellNum[t], cellSigned(t), nt, noff, inserted);
            continue;
          }
          const at = offset * (digits.length + 1) + len;
          let slot = parts[at];
          if (!slot) {
            const part = `${sign}${digits.slice(offset, offset + len)}`;
            parts[at] = slot = { kind: 'part', vc, digits: part };
            partNums[at] = Number(part);
          }
          place(slot, partNums[at], sign !== '', nt, noff, inserted);
        }
      }
    }
    level--;
    if (keyState && out.length === before && !truncated) dead.add(key!, keyState.slice(0, keyLen));
  };
  walk(0, 0, 0);
  return rowReadingsOf(out, 'rebuilt', truncated);
}

/**
 * A set of search states, each a short list of numbers. Two states are the same when their
 * numbers are, with 0 and -0 the same and NaN the same as NaN (as their decimal strings would be).
 */
class DeadStates {
  private readonly buckets = new Map<number, Float64Array[]>();
  private readonly f64 = new Float64Array(1);
  private readonly u32 = new Uint32Array(this.f64.buffer);

  /** The hash of xs[0, n), kept within a small integer so that the map's keys are never boxed. */
  hash(xs: Float64Array, n: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      if (x === (x | 0)) h = Math.imul(h ^ x, 0x01000193);
      else if (x !== x) h = Math.imul(h ^ 0x7ff80000, 0x01000193);
      else {
        this.f64[0] = x;
        h = Math.imul(h ^ this.u32[0]!, 0x01000193);
        h = Math.imul(h ^ this.u32[1]!, 0x01000193);
      }
    }
    return h & 0x3fffffff;
  }

  /** Whether the state xs[0, n) is in the set. */
  has(h: number, xs: Float64Array, n: number): boolean {
    const bucket = this.buckets.get(h);
    if (!bucket) return false;
    for (let i = 0; i < bucket.length; i++) if (sameNumbers(xs, n, bucket[i]!)) return true;
    return false;
  }

  add(h: number, xs: Float64Array): void {
    const bucket = this.buckets.get(h);
    if (bucket) bucket.push(xs);
    else this.buckets.set(h, [xs]);
  }
}

/** Whether a[0, n) and b hold the same numbers (0 and -0 alike, NaN equal to NaN). */
function sameNumbers(a: Float64Array, n: number, b: Float64Array): boolean {
  if (n !== b.length) return false;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && (x === x || y === y)) return false;
  }
  return true;
}

/**
 * Whether the digits from `start` on can end a row whose last cell is the total of the others:
 * the total is a suffix of them (no leading zero) or vanished, and the `slots` cells before it
 * take the digits in between, so the total equals the partial sum plus those cells — at least
 * their digit sum, at most the number they spell — and no cell is longer than the total.
 * A q past 15 digits is not compared with the total. `digitSums[i]` is the digit sum of d[0, i).
 */
function totalFits(d: string, start: number, digitSums: readonly number[], partial: number, slots: number): boolean {
  const end = d.length;
  // The total vanished: every cell is blank or zero.
  if (partial === 0 && digitSums[end] === digitSums[start] && !/[1-9]/.test(d.slice(start))) return true;
  let total = 0;
  let scale = 1;
  for (let lt = 1; lt <= end - start; lt++) {
    // A total past 15 digits is no count (and not exact in floating point): no reading has one.
    if (lt > 15) return false;
    const first = d.charCodeAt(end - lt) - 48;
    total += first * scale;
    scale *= 10;
    if (lt > 1 && first === 0) continue;
    const qLen = end - lt - start;
    if (qLen > slots * lt) continue;
    if (qLen === 0) {
      if (total === partial) return true;
      continue;
    }
    if (total < partial + digitSums[end - lt]! - digitSums[start]!) continue;
    if (qLen <= 15) {
      let q = 0;
      for (let i = start; i < end - lt; i++) q = q * 10 + d.charCodeAt(i) - 48;
      if (total > partial + q) continue;
    }
    return true;
  }
  return false;
}

/** Written with a sign ("-8", "+3", "增加5", "减少2"), or the first part of such a run. */
function writtenSigned(slot: Slot): boolean {
  if (slot.kind === 'part') return /^[-+]/.test(slot.digits);
  return slot.kind === 'cell' && slot.vc.parsed.kind === 'number' && /^(?:[-+－＋−]|增加|减少)/.test(slot.vc.parsed.raw.trim());
}

function holdsLocal(slots: readonly Slot[], id: LocalIdentity): boolean {
  return holdsNumbers(mapPacked(slots, slotNumber), id);
}

/** holdsLocal over the slots' numbers (slotNumber of each). */
function holdsNumbers(nums: readonly (number | null | undefined)[], id: LocalIdentity): boolean {
  let unknown = 0;
  let diff = 0;
  let onLeft = false;
  for (const i of id.left) {
    const v = nums[i];
    if (v === undefined) {
      unknown++;
      onLeft = true;
    } else diff += v ?? 0;
  }
  for (const i of id.right) {
    const v = nums[i];
    if (v === undefined) unknown++;
    else diff -= v ?? 0;
  }
  if (unknown === 0) return Math.abs(diff) < 1e-9;
  if (unknown > 1) return true;
  // One unknown: it must come out a non-negative count.
  return onLeft ? diff <= 1e-9 : diff >= -1e-9;
}

export function passesLocal(slots: readonly Slot[], local: readonly LocalIdentity[], k: number): boolean {
  return slots.length === k && local.every((id) => holdsLocal(slots, id));
}
