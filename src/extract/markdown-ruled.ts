/**
 * Pandoc's drawn tables in Markdown: grid tables (`+----+----+` borders, `|` walls, `+====+` under
 * the header, cells over several lines, merged cells where a wall or border is missing) and
 * simple and multiline tables (columns marked by runs of dashes). Both are read by column
 * position. Pandoc measures a line in display columns (a Chinese character is two wide); other
 * writers count characters: each table is read in the measure under which its walls line up.
 */
import { type Cell, cell } from './grid.js';

/** East Asian Wide and Fullwidth code points: two display columns each. */
function isWide(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) || (cp >= 0xac00 && cp <= 0xd7a3)
    || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6)
    || (cp >= 0x20000 && cp <= 0x3fffd);
}

/** A line as display columns: a wide character fills its column and leaves the next one ''. */
function toColumns(line: string, wide: boolean): string[] {
  const out: string[] = [];
  for (const ch of line) {
    out.push(ch);
    if (wide && isWide(ch.codePointAt(0)!)) out.push('');
  }
  return out;
}

/** Pieces of one cell's text from consecutive lines: a wrapped Chinese label joins without a space. */
export function joinWrapped(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) {
    if (!p) continue;
    out += out && !/[\p{Script=Han}\p{P}]$/u.test(out) && !/^[\p{Script=Han}\p{P}]/u.test(p) ? ` ${p}` : p;
  }
  return out;
}

const slice = (cols: readonly string[], from: number, to: number) => cols.slice(from, to).join('').trim();

/** The top or bottom border of a grid table, or the header separator. */
export const GRID_BORDER_RE = /^\s{0,3}\+(?:[-=:]+\+)+\s*$/;

/** The lines of a grid table starting at `from`: its border, then lines starting with + or |. */
export function gridTableEnd(lines: readonly string[], from: number): number {
  let i = from + 1;
  while (i < lines.length && /^\s{0,3}[+|]/.test(lines[i]!)) i++;
  // The table ends on a border line.
  while (i > from + 1 && !GRID_BORDER_RE.test(lines[i - 1]!)) i--;
  return i;
}

/**
 * A grid table's cells with their spans, or null when its walls do not line up. Borders are
 * ASCII, so the corner columns are the same in either measure; the content lines tell which.
 */
export function readGridTable(lines: readonly string[], wrap: (text: string) => string): Cell[][] | null {
  if (lines.length < 3) return null;
  for (const wide of [true, false]) {
    const rows = gridCells(lines.map((l) => toColumns(l.trimEnd(), wide)), wrap);
    if (rows) return rows;
  }
  return null;
}

function gridCells(g: readonly string[][], wrap: (text: string) => string): Cell[][] | null {
  // Corner columns: every '+' of the full borders (a merged header cell leaves one out of the top).
  const xs = new Set<number>();
  g.forEach((cols) => {
    if (GRID_BORDER_RE.test(cols.join(''))) cols.forEach((ch, x) => ch === '+' && xs.add(x));
  });
  const X = [...xs].sort((a, b) => a - b);
  if (X.length < 2) return null;
  const K = X.length - 1;
  // A border over column k on line y: dashes (or =) all the way between its corners.
  const hwall = (y: number, k: number) => /^[-=:]+$/.test(g[y]!.slice(X[k]! + 1, X[k + 1]!).join(''));
  const borders = g.map((_, y) => Array.from({ length: K }, (_, k) => hwall(y, k)).some(Boolean));
  if (!borders[0] || !borders[g.length - 1]) return null;
  const Y = borders.flatMap((b, y) => (b ? [y] : []));
  const R = Y.length - 1;
  // Every content line must have its outer walls at the outer corners, or this is the wrong measure.
  for (let y = 0; y < g.length; y++) {
    if (borders[y]) continue;
    const at = (x: number) => g[y]![x];
    if (!/[|+]/.test(at(X[0]!) ?? '') || !/[|+]/.test(at(X[K]!) ?? '')) return null;
  }
  const wallAt = (r: number, x: number) => {
    for (let y = Y[r]! + 1; y < Y[r + 1]!; y++) if (!/[|+]/.test(g[y]![x] ?? '')) return false;
    return Y[r + 1]! > Y[r]! + 1;
  };
  // Union of slots (band r, column k) not parted by a wall or a border.
  const parent = Array.from({ length: R * K }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const join = (a: number, b: number) => {
    parent[find(a)] = find(b);
  };
  for (let r = 0; r < R; r++) {
    for (let k = 0; k < K; k++) {
      if (k + 1 < K && !wallAt(r, X[k + 1]!)) join(r * K + k, r * K + k + 1);
      if (r + 1 < R && !hwall(Y[r + 1]!, k)) join(r * K + k, (r + 1) * K + k);
    }
  }
  const boxes = new Map<number, { r0: number; r1: number; k0: number; k1: number }>();
  for (let r = 0; r < R; r++) {
    for (let k = 0; k < K; k++) {
      const root = find(r * K + k);
      const b = boxes.get(root);
      if (!b) boxes.set(root, { r0: r, r1: r, k0: k, k1: k });
      else Object.assign(b, { r1: Math.max(b.r1, r), k0: Math.min(b.k0, k), k1: Math.max(b.k1, k) });
    }
  }
  const rows: Cell[][] = Array.from({ length: R }, () => []);
  for (const b of [...boxes.values()].sort((a, c) => a.r0 - c.r0 || a.k0 - c.k0)) {
    const parts: string[] = [];
    for (let y = Y[b.r0]! + 1; y < Y[b.r1 + 1]!; y++) parts.push(slice(g[y]!, X[b.k0]! + 1, X[b.k1 + 1]!));
    rows[b.r0]!.push(cell(wrap(joinWrapped(parts)), b.r0, b.k0, { rowSpan: b.r1 - b.r0 + 1, colSpan: b.k1 - b.k0 + 1 }));
  }
  return rows.filter((r) => r.length);
}

/** The dashed line under a simple table's header: two or more runs of dashes apart. */
export const COLUMN_RULE_RE = /^\s*-{2,}(?:[ \t]+-{2,})+\s*$/;
const FULL_RULE_RE = /^\s*-{3,}\s*$/;

/**
 * A pandoc simple or multiline table around the column rule at `at`: the header above it (after a
 * full-width rule, for a multiline table), the rows below to a blank line (simple) or to the
 * closing full-width rule (multiline, rows parted by blank lines). Null when it is neither.
 */
export function readDashedTable(lines: readonly string[], at: number, wrap: (text: string) => string): { rows: Cell[][]; from: number; to: number } | null {
  let from = at;
  while (from > 0 && lines[from - 1]!.trim() && !FULL_RULE_RE.test(lines[from - 1]!)) from--;
  const multiline = from > 0 && FULL_RULE_RE.test(lines[from - 1]!);
  const header = lines.slice(from, at);
  let to = at + 1;
  const body: string[][] = [];
  if (multiline) {
    let rec: string[] = [];
    for (; to < lines.length && !FULL_RULE_RE.test(lines[to]!); to++) {
      if (lines[to]!.trim()) rec.push(lines[to]!);
      else if (rec.length) (body.push(rec), (rec = []));
    }
    if (to >= lines.length) return null;
    if (rec.length) body.push(rec);
    to++;
    from--;
  } else {
    for (; to < lines.length && lines[to]!.trim() && !COLUMN_RULE_RE.test(lines[to]!); to++) body.push([lines[to]!]);
    if (to < lines.length && COLUMN_RULE_RE.test(lines[to]!)) to++;
  }
  if (!body.length) return null;
  const records = header.length ? [header, ...body] : body;
  for (const wide of [true, false]) {
    const rule = toColumns(lines[at]!, false);
    const runs: [number, number][] = [];
    rule.forEach((ch, x) => {
      if (ch !== '-') return;
      const last = runs[runs.length - 1];
      if (last && last[1] === x) last[1] = x + 1;
      else runs.push([x, x + 1]);
    });
    const grid = records.map((rec) => rec.map((l) => toColumns(l, wide)));
    // Pandoc keeps every cell inside its run of dashes: the gaps between runs are blank.
    const fits = grid.every((rec) => rec.every((cols) => runs.every(([, end], k) => k + 1 === runs.length || !slice(cols, end, runs[k + 1]![0]))));
    if (!fits && wide) continue;
    const rows = grid.map((rec, r) =>
      runs.map(([start], k) => {
        const end = k + 1 < runs.length ? runs[k + 1]![0] : Infinity;
        return cell(wrap(joinWrapped(rec.map((cols) => slice(cols, start, end)))), r, k);
      }),
    );
    return { rows, from, to };
  }
  return null;
}
