/**
 * A page's operator list → the straight horizontal and vertical rules drawn on it, in display
 * space. Table borders come in two kinds: stroked paths (WPS, Word, most producers) and thin
 * filled rectangles (Chromium/Skia, LibreOffice for some borders, Word for shaded rules). Both
 * are read here, through the current transformation matrix as it is changed by q/Q/cm and by
 * form XObjects.
 *
 * pdf.js 5 folds every path into one `constructPath` op: args = [paintOp, [Float32Array], minMax],
 * the array holding DrawOPS codes (moveTo 0, lineTo 1, curveTo 2, quadraticCurveTo 3,
 * closePath 4) each followed by its coordinates, in the user space of the current matrix.
 */
import { type Matrix, IDENTITY, compose, applyX, applyY, asDouble, matrixScale } from './geometry.js';
import { emptyPacked } from '../../normalize/arrays.js';

/** A horizontal rule (pos = y, from/to = x) or a vertical one (pos = x, from/to = y). */
export interface Rule {
  pos: number;
  from: number;
  to: number;
}

export interface PageRules {
  horizontal: Rule[];
  vertical: Rule[];
}

/** The pdf.js OPS codes this module needs (passed in, so that the module stays pure). */
export interface OpCodes {
  save: number;
  restore: number;
  transform: number;
  setLineWidth: number;
  setGState: number;
  constructPath: number;
  paintFormXObjectBegin: number;
  paintFormXObjectEnd: number;
  stroke: number;
  closeStroke: number;
  fill: number;
  eoFill: number;
  fillStroke: number;
  eoFillStroke: number;
  closeFillStroke: number;
  closeEOFillStroke: number;
}

const MOVE = 0;
const LINE = 1;
const CURVE = 2;
const QUAD = 3;
const CLOSE = 4;

/** A filled rectangle no thicker than this (pt) is a rule, not a shaded area. */
export const MAX_RULE_THICKNESS = 3;
/** Shorter pieces are corner joints and dots, not rules. */
const MIN_RULE_LENGTH = 1.5;
/** How far from axis-parallel (pt over the segment) a stroke may be and still count. */
const SKEW = 0.8;

// What a paint op does, as bits: one lookup instead of a chain of `paint === ops.…` tests, whose
// later tests a thread's first pages may never reach; the first page that did deoptimized
// pageRules for want of type feedback (doc/jit-warm-up.md).
const STROKES = 1;
const FILLS = 2;
const CLOSES = 4;
const paintKindsOf = new WeakMap<OpCodes, Map<number, number>>();

function paintKinds(ops: OpCodes): Map<number, number> {
  let kinds = paintKindsOf.get(ops);
  if (!kinds) {
    kinds = new Map();
    const bits: [number, number][] = [
      [ops.stroke, STROKES], [ops.closeStroke, STROKES | CLOSES], [ops.fill, FILLS], [ops.eoFill, FILLS],
      [ops.fillStroke, STROKES | FILLS], [ops.eoFillStroke, STROKES | FILLS],
      [ops.closeFillStroke, STROKES | FILLS | CLOSES], [ops.closeEOFillStroke, STROKES | FILLS | CLOSES],
    ];
    for (const [code, bit] of bits) kinds.set(code, (kinds.get(code) ?? 0) | bit);
    paintKindsOf.set(ops, kinds);
  }
  return kinds;
}

interface State {
  ctm: Matrix;
  lineWidth: number;
}

/**
 * Rules of one page. `viewport` maps user space to display space (pdf.js `viewport.transform`).
 * Pure over the operator list.
 */
export function pageRules(fnArray: ArrayLike<number>, argsArray: readonly unknown[], ops: OpCodes, viewport: Matrix): PageRules {
  // Lists of objects packed from the start, empty ones too (doc/jit-warm-up.md).
  const out: PageRules = { horizontal: emptyPacked(), vertical: emptyPacked() };
  const stack = emptyPacked<State>();
  // A double from the start: a line width of 1 would make the field one of small integers (see asDouble).
  let st: State = { ctm: IDENTITY, lineWidth: asDouble(1) };
  let toDisplay: Matrix = viewport;
  const kinds = paintKinds(ops);

  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i]!;
    const args = argsArray[i] as unknown[] | null;
    if (fn === ops.save) {
      stack.push(st);
    } else if (fn === ops.restore) {
      const prev = stack.pop();
      if (prev) {
        st = prev;
        toDisplay = compose(viewport, st.ctm);
      }
    } else if (fn === ops.transform) {
      if (args && args.length >= 6) {
        st = { ...st, ctm: compose(st.ctm, args.slice(0, 6) as unknown as Matrix) };
        toDisplay = compose(viewport, st.ctm);
      }
    } else if (fn === ops.paintFormXObjectBegin) {
      stack.push(st);
      const m = args?.[0];
      if (Array.isArray(m) || ArrayBuffer.isView(m)) {
        st = { ...st, ctm: compose(st.ctm, Array.from(m as ArrayLike<number>).slice(0, 6) as unknown as Matrix) };
        toDisplay = compose(viewport, st.ctm);
      }
    } else if (fn === ops.paintFormXObjectEnd) {
      const prev = stack.pop();
      if (prev) {
        st = prev;
        toDisplay = compose(viewport, st.ctm);
      }
    } else if (fn === ops.setLineWidth) {
      const w = Number(args?.[0]);
      if (Number.isFinite(w)) st = { ...st, lineWidth: w };
    } else if (fn === ops.setGState) {
      // [[key, value], …]: only the line width matters here.
      const pairs = args?.[0];
      if (Array.isArray(pairs)) {
        for (const p of pairs) if (Array.isArray(p) && p[0] === 'LW' && Number.isFinite(Number(p[1]))) st = { ...st, lineWidth: Number(p[1]) };
      }
    } else if (fn === ops.constructPath && args) {
      const paint = args[0] as number;
      const data = (args[1] as unknown[] | undefined)?.[0];
      if (!data || !ArrayBuffer.isView(data)) continue;
      const kind = kinds.get(paint) ?? 0;
      const stroke = (kind & STROKES) !== 0;
      const fill = (kind & FILLS) !== 0;
      if (!stroke && !fill) continue;
      const subpaths = readSubpaths(data as unknown as ArrayLike<number>, toDisplay);
      // Both called for every painted path, each doing nothing unless the paint is its kind: a call
      // made only for strokes had no type feedback while a thread's first pages were all filled
      // rectangles, and the first stroked border deoptimized pageRules (doc/jit-warm-up.md).
      strokeRules(subpaths, kind, st.lineWidth * matrixScale(toDisplay), out);
      fillRules(subpaths, kind, out);
    }
  }
  return out;
}

interface Subpath {
  xs: number[];
  ys: number[];
  closed: boolean;
  curved: boolean;
}

/** Subpaths with their points already in display space. */
function readSubpaths(d: ArrayLike<number>, m: Matrix): Subpath[] {
  const out = emptyPacked<Subpath>();
  let cur: Subpath | null = null;
  const point = (x: number, y: number) => {
    if (!cur) {
      cur = { xs: [], ys: [], closed: false, curved: false };
      out.push(cur);
    }
    cur.xs.push(applyX(m, x, y));
    cur.ys.push(applyY(m, x, y));
  };
  for (let k = 0; k < d.length;) {
    const op = d[k++];
    if (op === MOVE) {
      cur = null;
      point(d[k]!, d[k + 1]!);
      k += 2;
    } else if (op === LINE) {
      point(d[k]!, d[k + 1]!);
      k += 2;
    } else if (op === CURVE) {
      if (cur) (cur as Subpath).curved = true;
      point(d[k + 4]!, d[k + 5]!);
      k += 6;
    } else if (op === QUAD) {
      if (cur) (cur as Subpath).curved = true;
      point(d[k + 2]!, d[k + 3]!);
      k += 4;
    } else if (op === CLOSE) {
      if (cur) (cur as Subpath).closed = true;
      cur = null;
    } else {
      break; // unknown code: the rest cannot be read reliably
    }
  }
  return out;
}

function strokeRules(paths: Subpath[], kind: number, thickness: number, out: PageRules): void {
  // A stroke thicker than a rule is a drawing (a bar, a box), not a table border.
  if (thickness > MAX_RULE_THICKNESS * 2 || (kind & STROKES) === 0) return;
  const closeAll = (kind & CLOSES) !== 0;
  for (const p of paths) {
    if (p.curved) continue;
    const n = p.xs.length;
    const edges = p.closed || closeAll ? n : n - 1;
    for (let i = 0; i < edges; i++) {
      const j = (i + 1) % n;
      addSegment(p.xs[i]!, p.ys[i]!, p.xs[j]!, p.ys[j]!, out);
    }
  }
}

function addSegment(x0: number, y0: number, x1: number, y1: number, out: PageRules): void {
  const dx = Math.abs(x1 - x0);
  const dy = Math.abs(y1 - y0);
  if (dy <= SKEW && dx >= MIN_RULE_LENGTH) out.horizontal.push(rule((y0 + y1) / 2, Math.min(x0, x1), Math.max(x0, x1)));
  else if (dx <= SKEW && dy >= MIN_RULE_LENGTH) out.vertical.push(rule((x0 + x1) / 2, Math.min(y0, y1), Math.max(y0, y1)));
}

/**
 * Every rule of a page is made here, its fields doubles from the first (see asDouble), by a class
 * rather than a literal: the literal's allocation site tied pageRules, which inlines this, to the
 * site's tenuring decision, and the first full GC deoptimized it ("code dependencies",
 * doc/jit-warm-up.md).
 */
class DrawnRule implements Rule {
  constructor(readonly pos: number, readonly from: number, readonly to: number) {}
}

function rule(pos: number, from: number, to: number): Rule {
  return new DrawnRule(asDouble(pos), asDouble(from), asDouble(to));
}

function fillRules(paths: Subpath[], kind: number, out: PageRules): void {
  if ((kind & FILLS) === 0) return;
  for (const p of paths) {
    const box = rectangleOf(p);
    if (!box) continue;
    const w = box.x1 - box.x0;
    const h = box.y1 - box.y0;
    if (Math.min(w, h) > MAX_RULE_THICKNESS || Math.max(w, h) < MIN_RULE_LENGTH) continue;
    if (w >= h) out.horizontal.push(rule((box.y0 + box.y1) / 2, box.x0, box.x1));
    else out.vertical.push(rule((box.x0 + box.x1) / 2, box.y0, box.y1));
  }
}

/** The box of a subpath that is an axis-parallel rectangle (4 corners, maybe repeated), else null. */
function rectangleOf(p: Subpath): { x0: number; y0: number; x1: number; y1: number } | null {
  if (p.curved) return null;
  let n = p.xs.length;
  if (n === 5 && Math.abs(p.xs[4]! - p.xs[0]!) < 0.01 && Math.abs(p.ys[4]! - p.ys[0]!) < 0.01) n = 4;
  if (n === 2) {
    // A zero-height "re" arrives as moveTo + lineTo.
    return { x0: Math.min(p.xs[0]!, p.xs[1]!), y0: Math.min(p.ys[0]!, p.ys[1]!), x1: Math.max(p.xs[0]!, p.xs[1]!), y1: Math.max(p.ys[0]!, p.ys[1]!) };
  }
  if (n !== 4) return null;
  // Each edge must be axis-parallel.
  for (let i = 0; i < 4; i++) {
    const j = (i + 1) % 4;
    const dx = Math.abs(p.xs[j]! - p.xs[i]!);
    const dy = Math.abs(p.ys[j]! - p.ys[i]!);
    if (dx > 0.05 && dy > 0.05) return null;
  }
  return {
    x0: Math.min(...p.xs.slice(0, 4)),
    y0: Math.min(...p.ys.slice(0, 4)),
    x1: Math.max(...p.xs.slice(0, 4)),
    y1: Math.max(...p.ys.slice(0, 4)),
  };
}
