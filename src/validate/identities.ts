/**
 * Evaluating the tables' accounting identities over a set of values. A blank cell counts as 0;
 * an unknown cell (lost from the source) makes an identity undecided — unless it is the only
 * unknown, in which case the identity says what it must be.
 */
import type { Identity } from '../template/index.js';

/** null = blank (counts as 0); undefined = unknown. Fields not in the map are not in use. */
export type ValueMap = Map<string, number | null | undefined>;

export interface IdentityResult {
  identity: Identity;
  left: number;
  right: number;
  /** Fields in the identity whose value is unknown. */
  unknown: string[];
  holds: boolean | null;
}

/** Whether an identity's two sides are equal: money cells carry decimals, so within a rounding error. */
export const balanced = (left: number, right: number): boolean => Math.abs(left - right) < 1e-6;

export function evaluate(id: Identity, values: ValueMap): IdentityResult {
  let left = 0;
  let right = 0;
  const unknown: string[] = [];
  for (const f of id.left) {
    const v = values.get(f);
    if (v === undefined) unknown.push(f);
    else left += v ?? 0;
  }
  for (const f of id.right) {
    const v = values.get(f);
    if (v === undefined) unknown.push(f);
    else right += v ?? 0;
  }
  return { identity: id, left, right, unknown, holds: unknown.length ? null : balanced(left, right) };
}

export interface Solved {
  value: number;
  /** Identity that determined the value. */
  by: string;
}

/**
 * Fill unknowns that an identity determines, repeatedly; the fields in `keep` stay unknown. A
 * value that would come out negative or fractional is not filled: the identity itself must then
 * be broken. (A set rather than a predicate: the callers' predicates were closures made per
 * call, which V8 compiles again after each full GC that collects them.)
 */
export function propagate(identities: readonly Identity[], values: ValueMap, keep: ReadonlySet<string>): Map<string, Solved> {
  const solved = new Map<string, Solved>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of identities) {
      const r = tally(id, values);
      if (r.unknowns !== 1) continue;
      // Read out of the shared tally before anything else can tally again.
      const f = r.unknown!;
      const { left, right } = r;
      if (keep.has(f)) continue;
      const onLeft = id.left.includes(f);
      const v = onLeft ? right - left : left - right;
      if (v < 0 || !Number.isInteger(Math.round(v * 1e6) / 1e6)) continue;
      values.set(f, v);
      solved.set(f, { value: v, by: id.id });
      changed = true;
    }
  }
  return solved;
}

export function violations(identities: readonly Identity[], values: ValueMap): IdentityResult[] {
  const out: IdentityResult[] = [];
  for (const id of identities) {
    // Tallied without building a result first: most identities hold.
    const t = tally(id, values);
    if (t.unknowns === 0 && !balanced(t.left, t.right)) out.push(evaluate(id, values));
  }
  return out;
}

/** evaluate's sums and unknowns, counted into one reused record (propagate and violations ask at every leaf of the search). */
interface Tally {
  left: number;
  right: number;
  unknowns: number;
  /** The first unknown field. */
  unknown: string | null;
}

const scratch: Tally = { left: 0, right: 0, unknowns: 0, unknown: null };

function tally(id: Identity, values: ValueMap): Tally {
  let left = 0;
  let right = 0;
  let unknowns = 0;
  let unknown: string | null = null;
  // Every comparison and sum is made for every cell (an unknown adds 0, and left and right are
  // never -0): an increment made only for an unknown cell had no type feedback, and the first
  // identity with one deoptimized tally.
  for (const f of id.left) {
    const v = values.get(f);
    const lost = v === undefined;
    const first = unknowns === 0;
    if (lost && first) unknown = f;
    unknowns += lost ? 1 : 0;
    left += v ?? 0;
  }
  for (const f of id.right) {
    const v = values.get(f);
    const lost = v === undefined;
    const first = unknowns === 0;
    if (lost && first) unknown = f;
    unknowns += lost ? 1 : 0;
    right += v ?? 0;
  }
  scratch.left = left;
  scratch.right = right;
  scratch.unknowns = unknowns;
  scratch.unknown = unknown;
  return scratch;
}
