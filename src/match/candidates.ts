/**
 * The possible readings of one row's value cells. When a row has exactly its template's number of
 * cells there is one reading. When it has fewer, the cells may be glued digits ("1000001" for
 * 1 0 0 0 0 0 1), blank cells that left no trace (pdftotext), or cells lost by the dump; every
 * reading consistent with the row's own identities is listed and the table's identities later
 * choose among them. When it has more, structural blanks at the ends are dropped first.
 */
import type { ValueCell } from './units.js';
import { emptyPacked, mapPacked } from '../normalize/arrays.js';

/**
 * A reading's slot. Every slot is made with the same four properties in the same order (kind,
 * vc, digits, partValue; undefined where a kind has none: see the constructors below), so that all slots
 * have one map: slotNumber and the solver's loops over slots, inlined in many places, were each
 * deoptimized ("wrong map") and compiled again when a kind they had not yet seen first came.
 */
export type Slot =
  | { kind: 'cell'; vc: ValueCell; digits?: undefined; partValue?: undefined }
  | { kind: 'part'; vc: ValueCell; digits: string; partValue: number }
  | { kind: 'vanished'; vc?: undefined; digits?: undefined; partValue?: undefined }
  | { kind: 'missing'; vc?: undefined; digits?: undefined; partValue?: undefined };

export const cellSlot = (vc: ValueCell): Slot => ({ kind: 'cell', vc, digits: undefined, partValue: undefined });
/** A part of a glued run; its number is Number(digits). */
export const partSlot = (vc: ValueCell, digits: string): Slot => ({ kind: 'part', vc, digits, partValue: Number(digits) });
export const lostSlot = (kind: 'vanished' | 'missing'): Slot => ({ kind, vc: undefined, digits: undefined, partValue: undefined });

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
  // A part's number is read whatever the kind: a read reached only by the rare glued part has no
  // type feedback, and the first part would throw away the code of every function inlining this.
  const partValue = s.partValue;
  switch (s.kind) {
    case 'cell':
      return s.vc.parsed.kind === 'number' ? s.vc.parsed.value : s.vc.parsed.kind === 'blank' ? null : undefined;
    case 'part':
      return partValue;
    case 'vanished':
      return null;
    case 'missing':
      return undefined;
  }
}

// The functions below that the readings pass to mapPacked, some and filter are module-level rather
// than arrows written at the call: an arrow is a new closure at every call, and closures made per
// call do not keep their optimized code (TurboFan compiled each of them again and again, long
// after warm-up). Where a callback would capture the caller's locals, the caller loops instead.
const isBlank = (v: ValueCell) => v.parsed.kind === 'blank';
const isFilled = (v: ValueCell) => !v.empty;
const isInferred = (v: ValueCell) => v.cell.inferred;
const isNumberCell = (v: ValueCell) => v.parsed.kind === 'number';
// (A flattened cell with more than three digits before its first thousands separator is cells glued.)
const isGlued = (v: ValueCell) => (v.cell.grouped ?? 0) > 3;
const digitsOrNone = (d: string | null): string => (d ?? '') + '';
const lastSlotOf = (id: LocalIdentity): number => Math.max(...id.left, ...id.right);
const firstSlotOf = (id: LocalIdentity): number => Math.min(...id.left, ...id.right);
const noSlots = (): (Slot | undefined)[] => [];
const zerosFor = (xs: readonly number[]): number[] => new Array<number>(xs.length).fill(0);

export function rowReadings(cells: readonly ValueCell[], k: number, opts: ReadingOptions): RowReadings {
  const primary = primaryReadings(cells, k, opts);
  if (opts.exact || opts.blanksVanish) return primary;
  const filled = cells.filter(isFilled);
  if (filled.length === cells.length || filled.length >= k || filled.length === 0) return primary;
  const alt = rebuild(filled, k, opts);
  return alt.readings.length ? rowReadingsOf(primary.readings, primary.how, primary.truncated, alt.readings) : primary;
}

function primaryReadings(cells: readonly ValueCell[], k: number, opts: ReadingOptions): RowReadings {
  const c = cells.length;
  if (c === k && !(opts.flattened && cells.some(isGlued))) return rowReadingsOf([mapPacked(cells, cellSlot)], 'exact', false);
  if (c > k) {
    if (!opts.exact && !cells.some(isInferred)) {
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
      if (hi - lo === k) return rowReadingsOf([mapPacked(cells.slice(lo, hi), cellSlot)], 'trimmed', false);
    }
    // Exact tables (a row padded with an empty cell, as the 2019 fees and procurement rows are),
    // blanks placed by column alignment, or ends that did not trim: every window that drops only
    // blank cells is a reading. An exact table with no such window keeps its last k cells.
    const windows: number[] = [];
    for (let lo = 0; lo + k <= c; lo++) {
      if ([...cells.slice(0, lo), ...cells.slice(lo + k)].every(isBlank)) windows.push(lo);
    }
    if (!windows.length && opts.exact) return rowReadingsOf([mapPacked(cells.slice(c - k), cellSlot)], 'trimmed', false);
    // The header says which grid columns hold the values: keep the windows that sit under it.
    if (opts.exact && opts.columns && windows.length > 1) {
      const cols = opts.columns;
      const placed: number[] = [];
      for (const lo of windows) if (underColumns(cells, lo, k, cols)) placed.push(lo);
      if (placed.length === 1) return rowReadingsOf([mapPacked(cells.slice(placed[0]!, placed[0]! + k), cellSlot)], 'trimmed', false);
    }
    const readings = emptyPacked<Slot[]>();
    if (windows.length) for (const lo of windows) readings.push(mapPacked(cells.slice(lo, lo + k), cellSlot));
    else for (let lo = 0; lo + k <= c; lo++) readings.push(mapPacked(cells.slice(lo, lo + k), cellSlot));
    if (readings.length === 1) return rowReadingsOf(readings, 'trimmed', false);
    const ok = emptyPacked<Slot[]>();
    for (const r of readings) if (passesLocal(r, opts.local, k)) ok.push(r);
    return rowReadingsOf(ok.length ? ok : readings, windows.length ? 'trimmed' : 'windowed', false);
  }
  return rebuild(cells, k, opts);
}

/** Whether the k cells from `lo` on each sit in the grid columns of their value column. */
function underColumns(cells: readonly ValueCell[], lo: number, k: number, cols: readonly (readonly [number, number])[]): boolean {
  for (let i = 0; i < k; i++) {
    const col = cells[lo + i]!.cell.col;
    if (!(col >= cols[i]![0] && col < cols[i]![1])) return false;
  }
  return true;
}

// ocr-guard.ts's placements also puts a short row's cells in order among lost slots, but never
// splits a cell and checks no identity (OCR cells are doubted after placing): see there.
function rebuild(cells: readonly ValueCell[], k: number, opts: ReadingOptions): RowReadings {
  const search = new RowSearch(cells, k, opts);
  search.walk(0, 0, 0);
  return rowReadingsOf(search.out, 'rebuilt', search.truncated);
}

const MAX_STEPS = 2_000_000;

/**
 * rebuild's search, as one object and its methods rather than closures over rebuild's locals:
 * closures made per call do not keep their optimized code, and TurboFan compiled the walk again
 * and again for as long as a thread ran (its compile threads took a third of a text dump's CPU).
 * Every field is set in the constructor, always with the same type, so that the walk's reads of
 * them see one shape.
 */
class RowSearch {
  readonly out: Slot[][] = [];
  truncated = false;
  private steps = 0;
  private partial = 0;
  private stateLen = 0;
  private level = 0;
  private readonly slots: Slot[] = [];
  // The number each placed slot contributes (slotNumber), kept beside it: the identities are
  // checked at every step, and a part's number would otherwise be parsed from its digits again
  // for each identity it enters.
  private readonly nums: (number | null | undefined)[] = [];
  // Whether each cell is written with a sign, asked only of the cells the walk reaches (most rows
  // are short and most of their cells plain digits: a regex per cell per rebuild adds up).
  private readonly signedAt: (boolean | undefined)[] = [];
  // One copy of the search state per level of the walk's recursion (a run of marks recurses
  // without placing a slot, so the slot count is not the level), copied out only when it dies.
  private readonly keyAt: Float64Array[] = [];
  private readonly cells: readonly ValueCell[];
  private readonly k: number;
  private readonly limit: number;
  private readonly maxInsert: number;
  private readonly flattened: boolean;
  /** Per slot, whether it may hold a negative number; null unless the dump is flattened. */
  private readonly signedSlots: readonly boolean[] | null;
  private readonly checkAt: LocalIdentity[][];
  private readonly splittable: (string | null)[];
  private readonly run: number[];
  private readonly capacity: number[];
  private readonly fewest: number[];
  private readonly rowTotal: boolean;
  /** The row-total checks of the walk apply: a row total, blanks vanish, every number digits. */
  private readonly totalChecked: boolean;
  private readonly suffixBound: boolean;
  private readonly allText: string;
  private readonly digitSums: number[];
  private readonly tokenStart: number[];
  private readonly openAt: number[][];
  private readonly diff: number[];
  private readonly unknownLeft: number[];
  private readonly unknownRight: number[];
  private readonly dead: DeadStates;
  private readonly stateMax: number;
  private readonly state: Float64Array;
  private readonly entersN: number[][];
  private readonly entersSign: number[][];
  private readonly insertSlot: Slot;
  private readonly insertNum: number | null | undefined;
  private readonly cellSlot: Slot[];
  private readonly cellNum: (number | null | undefined)[];
  private readonly partSlot: (Slot | undefined)[][];
  private readonly suffixValue: Float64Array;
  private readonly savedAt: number[][];

  constructor(cells: readonly ValueCell[], k: number, opts: ReadingOptions) {
    this.cells = cells;
    this.k = k;
    this.limit = opts.limit ?? 20000;
    this.maxInsert = opts.blanksMarked ? 0 : opts.blanksVanish ? k - 1 : (opts.maxLost ?? 2);
    this.flattened = Boolean(opts.flattened);
    this.signedSlots = opts.flattened ? opts.flattened.signed : null;

    // Identities that become checkable once slot s is placed.
    const checkAt = emptyPacked<LocalIdentity[]>();
    for (let s = 0; s < k; s++) checkAt.push(emptyPacked<LocalIdentity>());
    for (const id of opts.local) checkAt[lastSlotOf(id)]!.push(id);
    this.checkAt = checkAt;

    const marked = Boolean(opts.blanksMarked);
    const splittable = emptyPacked<string | null>();
    // A run of marks fills 1 to `run` blank slots; the walk's offset counts those placed.
    const run = emptyPacked<number>();
    for (const vc of cells) {
      splittable.push(splittableDigits(vc, this.flattened));
      run.push(marked && vc.run && vc.run > 1 ? vc.run : 0);
    }
    this.splittable = splittable;
    this.run = run;
    // Most slots the cells from index t on can fill.
    const capacity = new Array<number>(cells.length + 1).fill(0);
    for (let t = cells.length - 1; t >= 0; t--) capacity[t] = capacity[t + 1]! + (splittable[t]?.length ?? (run[t] || 1));
    this.capacity = capacity;
    // Fewest slots the cells from index t on can fill.
    const fewest = new Array<number>(cells.length + 1).fill(0);
    for (let t = cells.length - 1; t >= 0; t--) fewest[t] = fewest[t + 1]! + fewestInCell(splittable[t], run[t]!, 0);
    this.fewest = fewest;

    // A row whose last cell is the sum of the others (the applications table's 总计): the cells
    // placed so far can never add up to more than the number the remaining digits spell, so a
    // prefix that already does is abandoned (glued runs of 7 cells have many prefixes).
    const rowTotal = hasRowTotal(opts.local, k);
    this.rowTotal = rowTotal;
    const tail: string[] = mapPacked(splittable, digitsOrNone);

    // A row total that closes the row: the total is then a suffix of the digits still to place
    // (or vanished), which bounds what the cells before it may still add up to (totalFits).
    let allDigits = true;
    for (let i = 0; i < cells.length; i++) if (splittable[i] === null && cells[i]!.parsed.kind === 'number') allDigits = false;
    this.totalChecked = rowTotal && opts.blanksVanish && allDigits;
    this.suffixBound = rowTotal && opts.blanksVanish && allDigits && cells.every(isNumberCell);
    const allText = tail.join('');
    this.allText = allText;
    const digitSums = [0];
    for (let i = 0; i < allText.length; i++) digitSums.push(digitSums[i]! + allText.charCodeAt(i) - 48);
    this.digitSums = digitSums;
    // Where token t starts in allText.
    const tokenStart = [0];
    for (const x of tail) tokenStart.push(tokenStart[tokenStart.length - 1]! + x.length);
    this.tokenStart = tokenStart;

    // Subtrees that gave no reading, by everything their outcome depends on: where the walk is in
    // the digits, how many cells were inserted, the slot, and the running sums of the identities
    // still open (and the row's partial sum when the row-total bound uses it). Glued runs revisit
    // the same state through many different splits of the digits before it.
    const ids = opts.local;
    const lastOf = mapPacked(ids, lastSlotOf);
    const firstOf = mapPacked(ids, firstSlotOf);
    // Per slot s, the identities it enters as two flat lists (identity, +1 left / −1 right).
    const entersN = emptyPacked<number[]>();
    const entersSign = emptyPacked<number[]>();
    for (let s = 0; s < k; s++) {
      entersN.push(emptyPacked<number>());
      entersSign.push(emptyPacked<number>());
    }
    for (let n = 0; n < ids.length; n++) {
      for (const i of ids[n]!.left) {
        entersN[i]!.push(n);
        entersSign[i]!.push(1);
      }
      for (const i of ids[n]!.right) {
        entersN[i]!.push(n);
        entersSign[i]!.push(-1);
      }
    }
    this.entersN = entersN;
    this.entersSign = entersSign;
    // Per depth: the identities open there.
    const openAt = emptyPacked<number[]>();
    for (let s = 0; s <= k; s++) {
      const open: number[] = [];
      for (let n = 0; n < ids.length; n++) if (firstOf[n]! < s && lastOf[n]! >= s) open.push(n);
      openAt.push(open);
    }
    this.openAt = openAt;
    this.diff = new Array<number>(ids.length).fill(0);
    this.unknownLeft = new Array<number>(ids.length).fill(0);
    this.unknownRight = new Array<number>(ids.length).fill(0);
    // A state is its numbers (below); dead states are kept by a hash of them, each bucket checked
    // number by number, rather than as strings: the walk asks at every step, and building and
    // hashing a string per step was most of the walk's time.
    this.dead = new DeadStates();
    // Written in place (stateLen numbers) rather than pushed: emptying an array by setting its
    // length is a call into the runtime, at every step.
    this.stateMax = 5 + 3 * ids.length;
    this.state = new Float64Array(this.stateMax);

    // What the walk places, made once per rebuild rather than once per step: each cell's whole slot,
    // its number and whether it is written with a sign, and (lazily) each part of a glued run by
    // where it starts and how long it is. Readings share these objects, as they already shared
    // the slots of a common prefix; nothing downstream tells two equal slots apart.
    this.insertSlot = lostSlot(opts.blanksVanish ? 'vanished' : 'missing');
    this.insertNum = slotNumber(this.insertSlot);
    this.cellSlot = mapPacked(cells, cellSlot);
    this.cellNum = mapPacked(this.cellSlot, slotNumber);
    this.partSlot = mapPacked(cells, noSlots);
    // The number the digits from `from` on spell, where they are at most 15 (the row-total check).
    // Built only for the rows that check it.
    const suffixValue = new Float64Array(this.totalChecked ? allText.length + 1 : 0);
    for (let from = 0; from < suffixValue.length; from++) if (allText.length - from <= 15) suffixValue[from] = Number(allText.slice(from) || '0');
    this.suffixValue = suffixValue;
    // One save area per depth (a depth is active once at a time): place runs for every split of
    // every glued run, and must not allocate for it.
    this.savedAt = mapPacked(entersN, zerosFor);
  }

  walk(t: number, offset: number, inserted: number): void {
    if (this.out.length >= this.limit || ++this.steps > MAX_STEPS) {
      this.truncated = true;
      return;
    }
    const cells = this.cells;
    const k = this.k;
    const run = this.run;
    const s = this.slots.length;
    if (this.totalChecked && s > 0 && s < k) {
      // (A run of marks holds no digits: its offset counts blanks.)
      const allText = this.allText;
      const from = t < cells.length ? this.tokenStart[t]! + (run[t] ? 0 : offset) : allText.length;
      if (allText.length - from <= 15 && this.partial > this.suffixValue[from]!) return;
      if (this.suffixBound && !totalFits(allText, from, this.digitSums, this.partial, k - 1 - s)) return;
    }
    if (s === k) {
      if (t === cells.length || (t === cells.length - 1 && run[t] && offset > 0)) this.out.push(this.slots.slice());
      return;
    }
    // A run of marks with a blank placed already needs no more slots.
    const remainingTokens = cells.length - t - (t < cells.length && run[t] && offset > 0 ? 1 : 0);
    const remainingDigits = this.capacity[t]! - (offset > 0 ? offset : 0);
    // Every remaining cell (the current one included) needs at least one slot.
    if (k - s < remainingTokens) return;
    if (k - s > remainingDigits + (this.maxInsert - inserted)) return;
    // A run of zeros is a slot per digit: a prefix that leaves more zeros than slots never fits.
    if (t < cells.length && k - s < fewestInCell(this.splittable[t], run[t]!, offset) + this.fewest[t + 1]!) return;

    const dead = this.dead;
    const key = s > 0 && this.stateOf(t, offset, inserted, s) ? dead.hash(this.state, this.stateLen) : null;
    if (key !== null && dead.has(key, this.state, this.stateLen)) return;
    // Kept now: the walk below reuses `state`, and its partial sum comes back only to within
    // rounding, so the state is not rebuilt afterwards.
    const keyState = key !== null ? (this.keyAt[this.level] ??= new Float64Array(this.stateMax)) : null;
    const keyLen = this.stateLen;
    if (keyState) for (let i = 0; i < keyLen; i++) keyState[i] = this.state[i]!;
    this.level++;
    const before = this.out.length;
    if (inserted < this.maxInsert) this.place(this.insertSlot, this.insertNum, false, t, offset, inserted + 1);
    if (t < cells.length) {
      const vc = cells[t]!;
      const digits = this.splittable[t];
      if (run[t]) {
        // The run ends here, or takes one more blank.
        if (offset > 0) this.walk(t + 1, 0, inserted);
        if (offset < run[t]!) this.place(this.cellSlot[t]!, this.cellNum[t], this.cellSigned(t), offset + 1 < run[t]! ? t : t + 1, offset + 1 < run[t]! ? offset + 1 : 0, inserted);
      } else if (!digits) {
        this.place(this.cellSlot[t]!, this.cellNum[t], this.cellSigned(t), t + 1, 0, inserted);
      } else {
        const rest = digits.length - offset;
        // Written with thousands separators from `grouped` on: the number there starts 1 to 3
        // digits before and runs to the end; no cell starts inside it.
        const grouped = this.flattened ? vc.cell.grouped : undefined;
        // A sign belongs to the first number of its run ("-80" may be −8 then 0), never −0.
        const sign = offset === 0 && this.cellSigned(t) ? (vc.parsed.kind === 'number' && vc.parsed.negative ? '-' : '+') : '';
        const parts = this.partSlot[t]!;
        for (let len = 1; len <= rest; len++) {
          if (len > 1 && digits.charCodeAt(offset) === 48) break;
          if (grouped !== undefined && (offset >= grouped || (offset + len >= grouped && (offset < grouped - 3 || len < rest)))) continue;
          const whole = offset === 0 && len === rest;
          if (sign && len === 1 && digits.charCodeAt(offset) === 48 && !whole) continue;
          const nt = len === rest ? t + 1 : t;
          const noff = len === rest ? 0 : offset + len;
          if (whole) {
            this.place(this.cellSlot[t]!, this.cellNum[t], this.cellSigned(t), nt, noff, inserted);
            continue;
          }
          const at = offset * (digits.length + 1) + len;
          let slot = parts[at];
          if (!slot) {
            const part = `${sign}${digits.slice(offset, offset + len)}`;
            parts[at] = slot = partSlot(vc, part);
          }
          this.place(slot, slot.partValue, sign !== '', nt, noff, inserted);
        }
      }
    }
    this.level--;
    if (keyState && this.out.length === before && !this.truncated) dead.add(key!, keyState.slice(0, keyLen));
  }

  private place(slot: Slot, num: number | null | undefined, signed: boolean, nt: number, noff: number, nins: number): void {
    const s = this.slots.length;
    // A number written with a sign (−, +, 增加, 减少) or read negative is a change: only in a 增/减 slot.
    if (this.signedSlots && !this.signedSlots[s] && ((num !== null && num !== undefined && num < 0) || signed)) return;
    this.slots.push(slot);
    this.nums.push(num);
    // Clamped so that adding and taking back a 20-digit run stays exact in floating point.
    const v = s < this.k - 1 ? Math.min(num ?? 0, 1e15) : 0;
    this.partial += v;
    // Restored from a copy, not by subtracting: a 20-digit part does not subtract back exactly.
    const diff = this.diff;
    const en = this.entersN[s]!;
    const es = this.entersSign[s]!;
    const saved = this.savedAt[s]!;
    for (let j = 0; j < en.length; j++) saved[j] = diff[en[j]!]!;
    for (let j = 0; j < en.length; j++) {
      const n = en[j]!;
      if (num === undefined) {
        if (es[j]! > 0) this.unknownLeft[n]!++;
        else this.unknownRight[n]!++;
      } else diff[n]! += es[j]! * (num ?? 0);
    }
    const checks = this.checkAt[s]!;
    let holds = true;
    for (let j = 0; j < checks.length && holds; j++) holds = holdsNumbers(this.nums, checks[j]!);
    if (holds) this.walk(nt, noff, nins);
    for (let j = 0; j < en.length; j++) {
      const n = en[j]!;
      diff[n] = saved[j]!;
      if (num === undefined) {
        if (es[j]! > 0) this.unknownLeft[n]!--;
        else this.unknownRight[n]!--;
      }
    }
    this.partial -= v;
    this.slots.pop();
    this.nums.pop();
  }

  /** The state in `state`; false when it must not be remembered. */
  private stateOf(t: number, offset: number, inserted: number, s: number): boolean {
    const state = this.state;
    // The insertions left matter only up to the slots left: past that they never run out.
    state[0] = t;
    state[1] = offset;
    state[2] = Math.min(this.maxInsert - inserted, this.k - s);
    state[3] = s;
    let len = 4;
    for (const n of this.openAt[s]!) {
      // Past 2^53 sums are not exact: two different states could share a key.
      if (Math.abs(this.diff[n]!) > 1e15) return false;
      state[len++] = this.diff[n]!;
      state[len++] = this.unknownLeft[n]!;
      state[len++] = this.unknownRight[n]!;
    }
    if (this.rowTotal) state[len++] = this.partial;
    this.stateLen = len;
    return true;
  }

  private cellSigned(t: number): boolean {
    return (this.signedAt[t] ??= writtenSigned(this.cellSlot[t]!));
  }
}

/** The digits a cell's number may be split into (its run of glued cells), or null. */
function splittableDigits(vc: ValueCell, flattened: boolean): string | null {
  const p = vc.parsed;
  if (p.kind !== 'number') return null;
  if (p.digits) return p.digits.length > 1 ? p.digits : null;
  // "-916", "减少916", "增加916" in a flattened dump: a sign, then digits glued as any others.
  return flattened && !p.unit && /^(?:[-+－＋−]|增加|减少)/.test(p.raw.trim()) && /^[0-9]{2,}$/.test(p.decimal) ? p.decimal : null;
}

/**
 * Fewest slots a cell's digits from `offset` on can fill (a run of marks: `run` its length): a
 * part never starts with 0 unless it is that 0 alone, so each leading zero is a slot and the rest
 * can be one ("00120" → 0 0 120).
 */
function fewestInCell(d: string | null | undefined, run: number, offset: number): number {
  if (run) return offset > 0 ? 0 : 1;
  if (!d) return 1;
  let z = offset;
  while (z < d.length && d.charCodeAt(z) === 48) z++;
  return z - offset + (z < d.length ? 1 : 0);
}

/** Whether one of the identities says the row's last slot is the sum of all the others. */
function hasRowTotal(local: readonly LocalIdentity[], k: number): boolean {
  for (const id of local) if (closesRow(id, k)) return true;
  return false;
}

function closesRow(id: LocalIdentity, k: number): boolean {
  if (id.right.length !== 1 || id.right[0] !== k - 1 || id.left.length !== k - 1) return false;
  for (let i = 0; i < id.left.length; i++) if (id.left[i] !== i) return false;
  return true;
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
