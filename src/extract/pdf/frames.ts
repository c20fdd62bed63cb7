/**
 * Rules → table frames. Producers draw a border in pieces (one per cell edge, twice where two
 * cells meet, as a thin rectangle or a stroke), so collinear pieces are merged first; rules that
 * cross or touch then form connected groups, and each group with at least two columns of cells
 * is a table frame: its column edges (xs) and row edges (ys).
 * Pure geometry.
 */
import type { Box } from './geometry.js';
import { clusterValues } from './geometry.js';
import type { PageRules, Rule } from './rulings.js';
import { emptyPacked } from '../../normalize/arrays.js';

/** Rules whose positions differ by less than this (pt) are the same line (double-drawn borders). */
export const SNAP = 3;
/** Pieces of one line separated by less than this (pt) are joined. */
const JOIN_GAP = 3;
/** How far (pt) a rule may stop short of another and still meet it. */
const MEET = 3;
/** Merged rules shorter than this (pt) are dropped: ticks, dots, glyph parts. */
const MIN_LENGTH = 4;

export interface Frame {
  /** Column edges and row edges, ascending. */
  xs: number[];
  ys: number[];
  horizontal: Rule[];
  vertical: Rule[];
  box: Box;
}

/** Merge collinear, overlapping or nearly touching pieces into whole rules. */
export function mergeRules(rules: readonly Rule[]): Rule[] {
  // Lists of objects are packed from the start, empty ones too, made before the early return so
  // that no call is left to a rare branch (doc/jit-warm-up.md).
  const out = emptyPacked<Rule>();
  if (!rules.length) return out;
  const byPos = [...rules].sort((a, b) => a.pos - b.pos);
  let group: Rule[] = [byPos[0]!];
  const flush = () => {
    const sorted = group.sort((a, b) => a.from - b.from);
    let cur: Rule & { sum: number; n: number } = { ...sorted[0]!, sum: sorted[0]!.pos, n: 1 };
    const emit = () => {
      if (cur.to - cur.from >= MIN_LENGTH) out.push({ pos: cur.sum / cur.n, from: cur.from, to: cur.to });
    };
    for (let i = 1; i < sorted.length; i++) {
      const r = sorted[i]!;
      if (r.from <= cur.to + JOIN_GAP) {
        cur.to = Math.max(cur.to, r.to);
        cur.sum += r.pos;
        cur.n++;
      } else {
        emit();
        cur = { ...r, sum: r.pos, n: 1 };
      }
    }
    emit();
  };
  for (let i = 1; i < byPos.length; i++) {
    const r = byPos[i]!;
    // Rules within half a SNAP of the previous one are one line (a border drawn by both cells).
    if (r.pos - byPos[i - 1]!.pos <= SNAP / 2) group.push(r);
    else {
      flush();
      group = [r];
    }
  }
  flush();
  return out;
}

/** Union-find over indices. */
class Groups {
  private parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }
  join(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[ra] = rb;
  }
}

/** Table frames of one page, top to bottom. */
export function findFrames(rules: PageRules): Frame[] {
  const h = mergeRules(rules.horizontal);
  const v = mergeRules(rules.vertical).sort((a, b) => a.pos - b.pos);
  const frames = emptyPacked<Frame>();
  if (h.length < 2 || v.length < 2) return frames;
  const groups = new Groups(h.length + v.length);
  const vPos = v.map((r) => r.pos);
  h.forEach((hr, i) => {
    // Vertical rules whose x lies within the horizontal rule's extent.
    let lo = lowerBound(vPos, hr.from - MEET);
    for (; lo < v.length && v[lo]!.pos <= hr.to + MEET; lo++) {
      const vr = v[lo]!;
      if (hr.pos >= vr.from - MEET && hr.pos <= vr.to + MEET) groups.join(i, h.length + lo);
    }
  });
  const members = new Map<number, { h: Rule[]; v: Rule[] }>();
  h.forEach((r, i) => add(members, groups.find(i)).h.push(r));
  v.forEach((r, i) => add(members, groups.find(h.length + i)).v.push(r));

  for (const m of members.values()) {
    if (m.h.length < 2 || m.v.length < 2) continue;
    const xs = withOpenEnds(clusterValues(m.v.map((r) => r.pos), SNAP), m.h);
    const ys = withOpenEnds(clusterValues(m.h.map((r) => r.pos), SNAP), m.v);
    // A single column is a box around text (a page border, a framed note) or a table whose
    // column rules are missing: either way its text is better read by alignment.
    if (xs.length < 3 || ys.length < 2) continue;
    frames.push({ xs, ys, horizontal: m.h, vertical: m.v, box: { x0: xs[0]!, y0: ys[0]!, x1: xs[xs.length - 1]!, y1: ys[ys.length - 1]! } });
  }
  return frames.sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0);
}

/**
 * Edges where the crossing rules stop beyond the last edge drawn. WPS leaves out the bottom
 * border of a table cut by a page break, and some tables have no left or right border: the
 * column rules still run down to the end of the last row (the row rules out to the sides), so
 * where two or more of them overshoot, their end is an edge.
 */
function withOpenEnds(edges: number[], crossing: readonly Rule[]): number[] {
  if (!edges.length) return edges;
  const first = edges[0]!;
  const last = edges[edges.length - 1]!;
  const before = crossing.filter((r) => r.from < first - SNAP).map((r) => r.from);
  const after = crossing.filter((r) => r.to > last + SNAP).map((r) => r.to);
  const out = [...edges];
  if (before.length >= 2) out.unshift(Math.min(...before));
  if (after.length >= 2) out.push(Math.max(...after));
  return out;
}

function add(m: Map<number, { h: Rule[]; v: Rule[] }>, k: number): { h: Rule[]; v: Rule[] } {
  let g = m.get(k);
  if (!g) m.set(k, (g = { h: [], v: [] }));
  return g;
}

function lowerBound(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
