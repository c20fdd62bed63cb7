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
  return { identity: id, left, right, unknown, holds: unknown.length ? null : Math.abs(left - right) < 1e-6 };
}

export interface Solved {
  value: number;
  /** Identity that determined the value. */
  by: string;
}

/**
 * Fill unknowns that an identity determines, repeatedly. A value that would come out negative or
 * fractional is not filled: the identity itself must then be broken.
 */
export function propagate(identities: readonly Identity[], values: ValueMap, unknownAllowed: (field: string) => boolean): Map<string, Solved> {
  const solved = new Map<string, Solved>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of identities) {
      const r = evaluate(id, values);
      if (r.unknown.length !== 1) continue;
      const f = r.unknown[0]!;
      if (!unknownAllowed(f)) continue;
      const onLeft = id.left.includes(f);
      const v = onLeft ? r.right - r.left : r.left - r.right;
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
    const r = evaluate(id, values);
    if (r.holds === false) out.push(r);
  }
  return out;
}
