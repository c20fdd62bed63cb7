/**
 * The possible readings of one row's value cells. When a row has exactly its template's number of
 * cells there is one reading. When it has fewer, the cells may be glued digits ("1000001" for
 * 1 0 0 0 0 0 1), blank cells that left no trace (pdftotext), or cells lost by the dump; every
 * reading consistent with the row's own identities is listed and the table's identities later
 * choose among them. When it has more, structural blanks at the ends are dropped first.
 */
import type { ValueCell } from './units.js';

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
  local: LocalIdentity[];
  /** Most cells a text dump may have lost from one row. */
  maxLost?: number;
  /** Exact tables: the grid columns each value column spans, from the header row above. */
  columns?: readonly (readonly [number, number])[] | null;
  limit?: number;
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
  return alt.readings.length ? { ...primary, alternatives: alt.readings } : primary;
}

function primaryReadings(cells: readonly ValueCell[], k: number, opts: ReadingOptions): RowReadings {
  const c = cells.length;
  if (c === k) return { readings: [cells.map((vc) => ({ kind: 'cell', vc }))], how: 'exact', truncated: false };
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
      if (hi - lo === k) return { readings: [cells.slice(lo, hi).map((vc) => ({ kind: 'cell', vc }))], how: 'trimmed', truncated: false };
    }
    // Exact tables (a row padded with an empty cell, as the 2019 fees and procurement rows are),
    // blanks placed by column alignment, or ends that did not trim: every window that drops only
    // blank cells is a reading. An exact table with no such window keeps its last k cells.
    const windows: number[] = [];
    for (let lo = 0; lo + k <= c; lo++) {
      if ([...cells.slice(0, lo), ...cells.slice(lo + k)].every(isBlank)) windows.push(lo);
    }
    if (!windows.length && opts.exact) return { readings: [cells.slice(c - k).map((vc) => ({ kind: 'cell', vc }))], how: 'trimmed', truncated: false };
    // The header says which grid columns hold the values: keep the windows that sit under it.
    if (opts.exact && opts.columns && windows.length > 1) {
      const cols = opts.columns;
      const placed = windows.filter((lo) => cells.slice(lo, lo + k).every((vc, i) => vc.cell.col >= cols[i]![0] && vc.cell.col < cols[i]![1]));
      if (placed.length === 1) return { readings: [cells.slice(placed[0]!, placed[0]! + k).map((vc) => ({ kind: 'cell', vc }))], how: 'trimmed', truncated: false };
    }
    const starts = windows.length ? windows : Array.from({ length: c - k + 1 }, (_, i) => i);
    const readings: Slot[][] = starts.map((lo) => cells.slice(lo, lo + k).map((vc) => ({ kind: 'cell', vc }) as Slot));
    if (readings.length === 1) return { readings, how: 'trimmed', truncated: false };
    const ok = readings.filter((r) => passesLocal(r, opts.local, k));
    return { readings: ok.length ? ok : readings, how: windows.length ? 'trimmed' : 'windowed', truncated: false };
  }
  return rebuild(cells, k, opts);
}

function rebuild(cells: readonly ValueCell[], k: number, opts: ReadingOptions): RowReadings {
  const limit = opts.limit ?? 20000;
  const maxInsert = opts.blanksVanish ? k - 1 : (opts.maxLost ?? 2);
  const insertKind: Slot['kind'] = opts.blanksVanish ? 'vanished' : 'missing';
  const out: Slot[][] = [];
  let truncated = false;
  let steps = 0;
  const MAX_STEPS = 2_000_000;

  // Identities that become checkable once slot s is placed.
  const checkAt: LocalIdentity[][] = Array.from({ length: k }, () => []);
  for (const id of opts.local) checkAt[Math.max(...id.left, ...id.right)]!.push(id);

  const splittable = cells.map((vc) => (vc.parsed.kind === 'number' && vc.parsed.digits && vc.parsed.digits.length > 1 ? vc.parsed.digits : null));
  // Most slots the cells from index t on can fill.
  const capacity = new Array<number>(cells.length + 1).fill(0);
  for (let t = cells.length - 1; t >= 0; t--) capacity[t] = capacity[t + 1]! + (splittable[t]?.length ?? 1);
  // Fewest slots the digits of cell t from `offset` on can fill: a part never starts with 0 unless
  // it is that 0 alone, so each leading zero is a slot and the rest can be one ("00120" → 0 0 120).
  const fewestInCell = (t: number, offset: number): number => {
    const d = splittable[t];
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
  const boundByTotal = rowTotal && opts.blanksVanish && splittable.every((d, i) => d !== null || cells[i]!.parsed.kind !== 'number');
  // The digits of cells t.. (non-splittable cells spell none), joined once.
  const suffix = new Array<string>(cells.length + 1).fill('');
  for (let t = cells.length - 1; t >= 0; t--) suffix[t] = (splittable[t] ?? '') + suffix[t + 1];
  let partial = 0;

  // The search runs millions of steps on a glued row: the slots placed and their numbers (as
  // slotNumber gives them) are kept side by side, so that checking an identity reads numbers.
  const slots: Slot[] = [];
  const nums: (number | null | undefined)[] = [];
  const inserted_: Slot = { kind: insertKind } as Slot;
  const insertedNum = slotNumber(inserted_);
  const place = (slot: Slot, num: number | null | undefined, nt: number, noff: number, nins: number) => {
    const s = slots.length;
    slots.push(slot);
    nums.push(num);
    // Clamped so that adding and taking back a 20-digit run stays exact in floating point.
    const v = s < k - 1 ? Math.min(num ?? 0, 1e15) : 0;
    partial += v;
    const checks = checkAt[s]!;
    let ok = true;
    for (let i = 0; ok && i < checks.length; i++) ok = holdsOn(nums, checks[i]!);
    if (ok) walk(nt, noff, nins);
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
    if (boundByTotal && s > 0 && s < k) {
      const restLength = t < cells.length ? suffix[t]!.length - offset : 0;
      if (restLength <= 15 && partial > (restLength ? Number(suffix[t]!.slice(offset)) : 0)) return;
    }
    if (s === k) {
      if (t === cells.length) out.push(slots.slice());
      return;
    }
    const remainingTokens = cells.length - t;
    const remainingDigits = capacity[t]! - (offset > 0 ? offset : 0);
    // Every remaining cell (the current one included) needs at least one slot.
    if (k - s < remainingTokens) return;
    if (k - s > remainingDigits + (maxInsert - inserted)) return;
    // A run of zeros is a slot per digit: a prefix that leaves more zeros than slots never fits.
    if (t < cells.length && k - s < fewestInCell(t, offset) + fewest[t + 1]!) return;

    // Each placement is a slot of its own (readings share no slot objects).
    if (inserted < maxInsert) place({ ...inserted_ }, insertedNum, t, offset, inserted + 1);
    if (t >= cells.length) return;
    const vc = cells[t]!;
    const digits = splittable[t];
    if (!digits) {
      const slot: Slot = { kind: 'cell', vc };
      place(slot, slotNumber(slot), t + 1, 0, inserted);
      return;
    }
    const rest = digits.length - offset;
    for (let len = 1; len <= rest; len++) {
      const part = digits.slice(offset, offset + len);
      if (len > 1 && part.startsWith('0')) break;
      const whole = offset === 0 && len === rest;
      const slot: Slot = whole ? { kind: 'cell', vc } : { kind: 'part', vc, digits: part };
      const num = whole ? slotNumber(slot) : Number(part);
      if (len === rest) place(slot, num, t + 1, 0, inserted);
      else place(slot, num, t, offset + len, inserted);
    }
  };
  walk(0, 0, 0);
  return { readings: out, how: 'rebuilt', truncated };
}

function holdsLocal(slots: readonly Slot[], id: LocalIdentity): boolean {
  return holdsOn(slots.map(slotNumber), id);
}

/** An identity over slot numbers (slotNumber's: null blank, undefined unknown) holds, or may still. */
function holdsOn(nums: readonly (number | null | undefined)[], id: LocalIdentity): boolean {
  let unknown = 0;
  let unknownLeft = false;
  let diff = 0;
  for (const i of id.left) {
    const v = nums[i];
    if (v === undefined) {
      unknown++;
      unknownLeft = true;
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
  return unknownLeft ? diff <= 1e-9 : diff >= -1e-9;
}

export function passesLocal(slots: readonly Slot[], local: readonly LocalIdentity[], k: number): boolean {
  return slots.length === k && local.every((id) => holdsLocal(slots, id));
}
