/**
 * Table rules on a page image: long horizontal and vertical runs of ink. A run may jump small
 * gaps (a broken line, a scan's dropout) and may wander by a pixel from row to row (a skew left
 * after deskewing), so each image row is read together with its neighbours. Strokes of
 * characters, speckle and the arcs of a seal are far shorter than the shortest rule looked for.
 * The runs leave in PDF points (display space, origin top-left), as the rules of a PDF drawing
 * do, so that the same frame finder (../pdf/frames.ts) builds the cell grid from them.
 */
import type { PageRules, Rule } from '../pdf/rulings.js';

export interface RuleOptions {
  dpi: number;
  /** Shortest rule, in points. */
  minHorizontal?: number;
  minVertical?: number;
  /** Largest gap jumped inside one rule, in points. */
  gap?: number;
}

/** Shortest rules (pt): a table row is at least a line of text high, a column a few digits wide. */
const MIN_HORIZONTAL_PT = 30;
const MIN_VERTICAL_PT = 16;
const GAP_PT = 1;
/** Gaps bridged between pieces of one rule (pt), and how far apart their positions may be. */
const BRIDGE_PT = 8;
const SAME_LINE_PT = 1.5;
/** Thickest rule (pt): a band of ink thicker than this is a line of text or a drawing, not a rule. */
const MAX_THICKNESS_PT = 3;

/**
 * Gaps may cover at most this share of a rule. A rule is ink from end to end but for a dropout
 * or two (measured: under 2% on the generated scans); a row of characters whose horizontal
 * strokes line up, chained across the small gaps between characters, has gaps every character
 * (4% and more) and must not pass for a rule: it would split the cell it stands in.
 */
const MAX_GAP_SHARE = 0.06;

/**
 * Runs along one axis. `at[i * length + j]` tells whether pixel j of line i (a row or a column,
 * thickened by one pixel each side) is ink: laid out line by line, so a column is read as
 * quickly as a row.
 */
function runs(lines: number, length: number, at: Uint8Array, minLen: number, gap: number): { i: number; from: number; to: number }[] {
  const out: { i: number; from: number; to: number }[] = [];
  for (let i = 0; i < lines; i++) {
    const base = i * length;
    let start = -1;
    let last = -1;
    let gaps = 0;
    const emit = () => {
      const len = last - start + 1;
      if (len >= minLen && gaps <= MAX_GAP_SHARE * len) out.push({ i, from: start, to: last + 1 });
    };
    for (let j = 0; j <= length; j++) {
      const ink = j < length && at[base + j] === 1;
      if (ink) {
        if (start < 0) (start = j), (gaps = 0);
        else if (j - last - 1 > gap) {
          emit();
          start = j;
          gaps = 0;
        } else gaps += j - last - 1;
        last = j;
      } else if (j === length && start >= 0) emit();
    }
  }
  return out;
}

/** Ink thickened by a pixel above and below: row y, pixel x at [y * width + x]. */
function rowsThickened(ink: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const q = row + x;
      out[q] = ink[q] === 1 || (y > 0 && ink[q - width] === 1) || (y + 1 < height && ink[q + width] === 1) ? 1 : 0;
    }
  }
  return out;
}

/** Ink thickened by a pixel left and right, column by column: column x, pixel y at [x * height + y]. */
function columnsThickened(ink: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const q = row + x;
      if (ink[q] === 1 || (x > 0 && ink[q - 1] === 1) || (x + 1 < width && ink[q + 1] === 1)) out[x * height + y] = 1;
    }
  }
  return out;
}

/**
 * Consecutive lines holding overlapping runs are one thick rule: its position is their middle,
 * its extent their union.
 */
interface Band {
  /** First and last pixel line (thickened lines: the ink is within one more line each side). */
  i0: number;
  i1: number;
  from: number;
  to: number;
}

function thickRules(found: { i: number; from: number; to: number }[], maxThickness: number): Band[] {
  const open: { i0: number; i1: number; from: number; to: number }[] = [];
  const done: { i0: number; i1: number; from: number; to: number }[] = [];
  for (const r of found) {
    // The same rule in the next pixel line covers nearly the same extent; a stroke of text
    // beside it does not, and must not join it (the group would then be too thick to be a rule).
    const o = open.find((x) => x.i1 >= r.i - 1 && Math.min(r.to, x.to) - Math.max(r.from, x.from) >= 0.8 * Math.min(r.to - r.from, x.to - x.from) && Math.abs((r.to - r.from) - (x.to - x.from)) <= 0.25 * Math.max(r.to - r.from, x.to - x.from));
    if (o) {
      o.i1 = r.i;
      o.from = Math.min(o.from, r.from);
      o.to = Math.max(o.to, r.to);
    } else open.push({ i0: r.i, i1: r.i, from: r.from, to: r.to });
    for (let k = open.length - 1; k >= 0; k--) if (open[k]!.i1 < r.i - 1) done.push(...open.splice(k, 1));
  }
  done.push(...open);
  return done.filter((t) => t.i1 - t.i0 + 1 <= maxThickness);
}

/**
 * The share of a band's length with ink just beside it (either side). A rule has paper on both
 * sides but where a rule crosses it; a row of characters whose strokes line up into a long run
 * has the rest of the characters above and below it all along.
 */
function flankedShare(b: Band, inkAt: (i: number, j: number) => boolean, off: number): { either: number; before: number; after: number; both: number } {
  let either = 0;
  let before = 0;
  let after = 0;
  let both = 0;
  for (let j = b.from; j < b.to; j++) {
    const x = inkAt(b.i0 - off, j) || inkAt(b.i0 - off - 1, j);
    const y = inkAt(b.i1 + off, j) || inkAt(b.i1 + off + 1, j);
    if (x || y) either++;
    if (x) before++;
    if (y) after++;
    if (x && y) both++;
  }
  const n = Math.max(1, b.to - b.from);
  return { either: either / n, before: before / n, after: after / n, both: both / n };
}

/** Most of a rule's length that may have ink beside it (see flankedShare). */
const MAX_FLANKED = Number(process.env.NIANBAO_OCR_MAX_FLANKED) || 0.2;

/** Rules at least this long (pt) are kept whatever is beside them (see flankedShare). */
const LONG_RULE_PT = 100;

function toRule(b: Band, scale: number): Rule {
  return { pos: ((b.i0 + b.i1 + 1) / 2) * scale, from: b.from * scale, to: b.to * scale };
}

/**
 * Pieces of one line with a short gap between them become one rule: a seal's red ink dropped
 * from a rule, or a scan's dropout, leaves such a gap; two rules of a table on one line are a
 * cell apart.
 */
function bridge(rules: Rule[]): Rule[] {
  const sorted = [...rules].sort((a, b) => a.pos - b.pos || a.from - b.from);
  const out: Rule[] = [];
  for (const r of sorted) {
    const prev = out.findLast((o) => Math.abs(o.pos - r.pos) <= SAME_LINE_PT && r.from - o.to <= BRIDGE_PT && r.to > o.to);
    if (prev) prev.to = r.to;
    else out.push({ ...r });
  }
  return out;
}

/** Horizontal and vertical rules of a binarized page image (1 = ink), in points. */
export function imageRules(ink: Uint8Array, width: number, height: number, opts: RuleOptions): PageRules {
  const px = opts.dpi / 72;
  const gap = Math.max(1, Math.round((opts.gap ?? GAP_PT) * px));
  const scale = 1 / px;
  const inkAt = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && ink[y * width + x] === 1;
  // A pixel counts as on a row's rule when it or a pixel directly above or below is ink.
  const hRuns = runs(height, width, rowsThickened(ink, width, height), Math.round((opts.minHorizontal ?? MIN_HORIZONTAL_PT) * px), gap);
  const vRuns = runs(width, height, columnsThickened(ink, width, height), Math.round((opts.minVertical ?? MIN_VERTICAL_PT) * px), gap);
  // Each line was read thickened by a pixel each side: two more than the rule's own thickness.
  const thick = Math.round(MAX_THICKNESS_PT * px) + 2;
  const off = 1 + Math.max(1, Math.round(0.5 * px));
  const clean = (bands: Band[], at: (i: number, j: number) => boolean) => {
    // A row of strokes is a few characters long; a rule longer than that may pass a seal's ink
    // along a good part of it on a grey scan, where the seal cannot be told by its colour.
    // A long one is kept where it has ink on one side at a time (a seal's ring crossing it); a
    // thin echo of a rule beside the rule itself has the rule all along one side, and goes.
    const kept = bands.filter((b) => {
      const f = flankedShare(b, at, off);
      if (f.either <= MAX_FLANKED) return true;
      return b.to - b.from >= LONG_RULE_PT * px && f.both <= MAX_FLANKED && Math.max(f.before, f.after) < 0.6;
    });
    return bridge(kept.map((b) => toRule(b, scale)));
  };
  return { horizontal: clean(thickRules(hRuns, thick), (y, x) => inkAt(x, y)), vertical: clean(thickRules(vRuns, thick), (x, y) => inkAt(x, y)) };
}

/**
 * The ink of the rules, whited out of a copy of the image, so that Tesseract reads the cells'
 * text without taking rules for 1s and Is. `rules` in points, as imageRules returns them.
 */
export function eraseRules(data: Uint8Array, width: number, height: number, rules: PageRules, dpi: number): Uint8Array {
  const out = new Uint8Array(data);
  const px = dpi / 72;
  const half = Math.max(3, Math.round(1.5 * px));
  const clear = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < width && y < height) out[y * width + x] = 255;
  };
  for (const r of rules.horizontal) {
    const y = Math.round(r.pos * px);
    for (let x = Math.floor(r.from * px); x < Math.ceil(r.to * px); x++) {
      // The whole band, grey fringe included: a faint edge left behind reads as a stroke.
      for (let d = -half; d <= half; d++) clear(x, y + d);
    }
  }
  for (const r of rules.vertical) {
    const x = Math.round(r.pos * px);
    for (let y = Math.floor(r.from * px); y < Math.ceil(r.to * px); y++) {
      for (let d = -half; d <= half; d++) clear(x + d, y);
    }
  }
  return out;
}
