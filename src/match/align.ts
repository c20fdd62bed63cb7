/**
 * Template rows ↔ units by dynamic programming. Rows come in template order and their values in
 * document order, so the best monotone assignment is found, scoring each pairing by label
 * evidence (the unit's own label, or the label text around it when a PDF's text order put the
 * label above or below its numbers) and by how well the number of cells fits the row.
 */
import type { ResolvedRow } from '../template/index.js';
import { labelKey } from '../normalize/text.js';
import { bestLabelScore, labelScore } from './similarity.js';
import type { Unit, ValueCell } from './units.js';
import { emptyPacked, mapPacked } from '../normalize/arrays.js';

export interface RowAssignment {
  row: ResolvedRow;
  /** The unit(s) holding this row's values; empty when the row was not found. */
  units: Unit[];
  score: number;
}

export interface Alignment {
  rows: RowAssignment[];
  score: number;
}

const W_LABEL = 3;
const SKIP_ROW = -2.5;
const SKIP_UNIT_MANY = -1.2;
const SKIP_UNIT_ONE = -0.4;
const MIN_OWN_LABEL = 0.3;
const MIN_WEAK_LABEL = 0.75;

interface Candidate {
  unit: Unit;
  /** All value cells are empty strings: trailing tabs or merged-cell placeholders, unless the label says otherwise. */
  weak: boolean;
  before: string;
  after: string;
  /** before + own key + after, built once: scored against every row's keys. */
  context: string;
  /** Flattened units: the key's tails by length, cut once (see ownScore). */
  tails: Map<number, string> | null;
  /** Blank cells the unit's values start and end with (see countTerm). */
  leadBlanks: number;
  trailBlanks: number;
}

/**
 * A section's candidates and their scores against each row's keys (the keys are shared per row
 * label set, see rowKeys): one array of every candidate's score per keys, rather than a map per
 * candidate. Own scores are all wanted and filled at once; around scores are filled as asked
 * (NaN until then).
 */
interface SectionCands {
  last: Unit | null;
  cands: Candidate[];
  own: Map<readonly string[], Float64Array>;
  around: Map<readonly string[], Float64Array>;
}

/** True when a unit carries values worth aligning: a number, or an explicit blank (nbsp, "-"). */
function isWeak(u: Unit): boolean {
  return !u.exact && u.values.every(isEmptyCell);
}

/**
 * A section's candidates, built once per document: the matcher aligns the same section's units
 * for each alternative layout (and for both templates when no label decides), and the strings
 * built here are then the same string objects each time, so that the score memo finds them
 * without hashing them again. Keyed by the range's first unit (units belong to one document).
 */
function sectionCandidates(units: readonly Unit[]): SectionCands {
  const first = units[0];
  if (!first) return { last: null, cands: [], own: new Map(), around: new Map() };
  let byLength = candidateCache.get(first);
  if (!byLength) candidateCache.set(first, (byLength = new Map()));
  let out = byLength.get(units.length);
  // The range is a slice of the document's units: same first unit and length, same units; the
  // last unit is checked as well, so that a caller's own array cannot be taken for another.
  if (!out || out.last !== units[units.length - 1]) byLength.set(units.length, (out = { last: units[units.length - 1]!, cands: candidates(units), own: new Map(), around: new Map() }));
  return out;
}

const candidateCache = new WeakMap<Unit, Map<number, SectionCands>>();

function candidates(units: readonly Unit[]): Candidate[] {
  const out: Candidate[] = [];
  let pending: string[] = [];
  let last: Candidate | null = null;
  for (const u of units) {
    const isValue = u.values.length > 0 && !isWeak(u);
    if (!isValue) {
      if (u.key) pending.push(u.key);
      if (u.values.length > 0) out.push({ unit: u, weak: true, before: '', after: '', context: '', tails: null, leadBlanks: 0, trailBlanks: 0 });
      continue;
    }
    const text = pending.join('');
    if (last) last.after = text;
    out.push((last = { unit: u, weak: false, before: text, after: '', context: '', tails: null, leadBlanks: 0, trailBlanks: 0 }));
    pending = [];
  }
  if (last) last.after = pending.join('');
  // Weak units take the context of the value units around them.
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    if (!c.weak) continue;
    c.before = out[i - 1]?.after ?? '';
    c.after = out[i + 1]?.before ?? '';
  }
  // Every row is scored against every candidate: the strings it is scored on are built once, so
  // that the score memo finds them without hashing a new string each time.
  for (const c of out) {
    c.context = c.before + c.unit.key + c.after;
    if (c.unit.flattened) c.tails = new Map();
    // Counted here for every unit, not in countTerm for the few with more cells than columns:
    // there the first blank reached a read optimized on numbers only and deoptimized alignRows.
    const vs = c.unit.values;
    while (c.leadBlanks < vs.length && isBlank(vs[c.leadBlanks]!)) c.leadBlanks++;
    while (c.trailBlanks < vs.length && isBlank(vs[vs.length - 1 - c.trailBlanks]!)) c.trailBlanks++;
  }
  return out;
}

function countTerm(row: ResolvedRow, cand: Candidate): number {
  const u = cand.unit;
  const k = row.columns.length;
  const c = u.values.length;
  if (c === k) return 1;
  // More cells than columns: fits when leading and trailing blanks trimmed leave exactly k.
  if (c > k) return cand.leadBlanks + cand.trailBlanks >= c - k ? 0.7 : -0.5;
  return u.values.some(gluedNumber) ? -0.3 : -0.6;
}

// Callbacks here are module-level functions, not closures made per call: V8 holds a function's
// optimized code only through its live closures, so one made per call is compiled again after
// a full GC, document after document.
const gluedNumber = (v: ValueCell): boolean => v.parsed.kind === 'number' && !!v.parsed.digits && v.parsed.digits.length > 1;
const isBlank = (v: ValueCell): boolean => v.parsed.kind === 'blank';

/**
 * A row's comparison keys: its labels, and its labels behind their group labels, since a report
 * row often carries the merged group label with it ("三、本年度办理结果（一）予以公开").
 */
export function rowKeys(row: ResolvedRow): readonly string[] {
  // Built once per template row and shared by every layout that holds the row (the layouts copy
  // the row's label arrays, not the strings): the same array then keys each candidate's scores.
  let byGroup = rowKeyCache.get(row.labels);
  if (!byGroup) rowKeyCache.set(row.labels, (byGroup = new Map()));
  let keys = byGroup.get(row.group);
  if (!keys) byGroup.set(row.group, (keys = buildRowKeys(row)));
  return keys;
}

const rowKeyCache = new WeakMap<readonly string[], Map<readonly string[] | undefined, readonly string[]>>();

function buildRowKeys(row: ResolvedRow): string[] {
  const keys = mapPacked(row.labels, labelKey);
  const groups = row.group ?? [];
  for (const label of row.labels) {
    for (let g = 0; g < groups.length; g++) keys.push(labelKey(groups.slice(g).join('') + label));
  }
  return keys;
}

/** A unit whose own label names a row this well speaks only for that row, not through its context. */
const DECISIVE_OWN = 0.8;

/**
 * A flattened dump glues each label to the headings and labels before it; the row's label is the
 * end of the unit's key. Compare each template key with that many characters (plus a few for a
 * typo's slack), so that a heading shared by several rows speaks for none of them.
 */
const TAIL_SLACK = 3;

function ownScore(keys: readonly string[], c: Candidate): number {
  const u = c.unit;
  if (!u.flattened) return bestLabelScore(keys, u.key);
  let best = 0;
  for (const k of keys) {
    const n = k.length + TAIL_SLACK;
    let tail = c.tails?.get(n);
    if (tail === undefined) {
      tail = u.key.slice(-n);
      c.tails?.set(n, tail);
    }
    best = Math.max(best, labelScore(k, tail));
  }
  return best;
}

/** ownScore of every candidate, once per row keys in a document: every layout aligns the same candidates. */
function ownsOf(sec: SectionCands, keys: readonly string[]): Float64Array {
  let v = sec.own.get(keys);
  if (v === undefined) {
    const cands = sec.cands;
    v = new Float64Array(cands.length);
    for (let j = 0; j < cands.length; j++) v[j] = ownScore(keys, cands[j]!);
    sec.own.set(keys, v);
  }
  return v;
}

/** The scores a row's keys have for the label text around each candidate (NaN: not yet asked). */
function aroundsOf(sec: SectionCands, keys: readonly string[]): Float64Array {
  let v = sec.around.get(keys);
  if (v === undefined) sec.around.set(keys, (v = new Float64Array(sec.cands.length).fill(NaN)));
  return v;
}

/** The evidence of the label text around a candidate, once per (row keys, candidate). */
function aroundOf(arounds: Float64Array, j: number, keys: readonly string[], c: Candidate): number {
  let v = arounds[j]!;
  if (v !== v) arounds[j] = v = Math.max(0.9 * bestLabelScore(keys, c.context), 0.85 * bestLabelScore(keys, c.before), 0.85 * bestLabelScore(keys, c.after));
  return v;
}

const ITEM_RE = /^\s*(\d{1,2})\s*[.、．]/;
const BARE_ITEM_RE = /^\D*?(\d{1,2})\s*[.、．]?\s*$/;

/**
 * The item number a unit's label still shows when nothing else of it is left ("8." under a
 * seal's ink or a scan's smudge): the label's words are gone, so its key is empty.
 */
function bareItemNumber(u: Unit): number | null {
  if (u.key) return null;
  const m = BARE_ITEM_RE.exec(u.label);
  return m ? Number(m[1]) : null;
}

/** The item number a row's first label starts with ("3. 行政许可"), if any. */
function itemNumber(r: ResolvedRow): number | null {
  const hit = ITEM_RE.exec(r.labels[0] ?? '');
  return hit ? Number(hit[1]) : null;
}

const candidateItemNumber = (c: Candidate): number | null => bareItemNumber(c.unit);

/** Whether candidate j's own label decides it: flattened, or some row's own score (owns, row i at i * m) reaches DECISIVE_OWN. */
function decides(c: Candidate, j: number, owns: Float64Array, n: number, m: number): boolean {
  if (c.unit.flattened) return true;
  if (!c.unit.key) return false;
  for (let i = 0; i < n; i++) if (owns[i * m + j]! >= DECISIVE_OWN) return true;
  return false;
}

const isEmptyLabelled = (c: Candidate): boolean => c.unit.exact && c.unit.key !== '' && c.unit.values.every(isEmptyCell);
const isEmptyCell = (v: ValueCell): boolean => v.empty;
const addDigits = (n: number, v: ValueCell): number => n + (v.parsed.kind === 'number' ? v.parsed.decimal.length : 0);
const unplaced = (row: ResolvedRow): RowAssignment => ({ row, units: emptyPacked<Unit>(), score: 0 });
/** A row's group labels as keys, once per group label list (like rowKeys). */
function groupKeysOf(r: ResolvedRow): readonly string[] {
  const group = r.group;
  if (!group) return NO_GROUP_KEYS;
  let keys = groupKeyCache.get(group);
  if (!keys) groupKeyCache.set(group, (keys = mapPacked(group, labelKey)));
  return keys;
}
const NO_GROUP_KEYS: readonly string[] = emptyPacked<string>();
const groupKeyCache = new WeakMap<readonly string[], readonly string[]>();

/**
 * Likewise a labelled row of cells with no characters at all in an exact table (a group heading
 * over merged-cell padding, "| 第二十条第（一）项 | | | |"): only its own label can make its
 * blanks a row's values — not the labels around it, and not a label that is only the row's group
 * heading. 1 where row i may not take candidate j (row i at i * m). Worked out for every section,
 * not in assignScore's rare branch: a first such row reached reads without type feedback there and
 * deoptimized alignRows (doc/jit-warm-up.md).
 */
function emptyLabelledVetoes(rows: readonly ResolvedRow[], cands: readonly Candidate[], owns: Float64Array): Uint8Array {
  const n = rows.length;
  const m = cands.length;
  const out = new Uint8Array(n * m);
  for (let j = 0; j < m; j++) {
    const c = cands[j]!;
    if (!isEmptyLabelled(c)) continue;
    for (let i = 0; i < n; i++) {
      if (owns[i * m + j]! < MIN_WEAK_LABEL || isGroupLabel(groupKeysOf(rows[i]!), c.unit.key)) out[i * m + j] = 1;
    }
  }
  return out;
}

function isGroupLabel(groupKeys: readonly string[], key: string): boolean {
  for (const g of groupKeys) if (labelScore(g, key) >= 0.9) return true;
  return false;
}
const skipCost = (c: Candidate): number => (c.weak ? 0 : c.unit.values.length > 1 ? SKIP_UNIT_MANY : SKIP_UNIT_ONE);

/** Align rows (in template order) to the units of one section. */
export function alignRows(rows: readonly ResolvedRow[], units: readonly Unit[]): Alignment {
  const sec = sectionCandidates(units);
  const cands = sec.cands;
  const n = rows.length;
  const m = cands.length;
  const keys = mapPacked(rows, rowKeys);
  const items = mapPacked(rows, itemNumber);
  const bare = mapPacked(cands, candidateItemNumber);

  // In a flattened dump a label's values follow it directly: a unit whose own label is some other
  // row's must never be read through the labels around it.
  // (For a unit that is not flattened, its own score is the best score of its key.)
  // Every row's own score against every candidate, looked up once here (row i at i * m).
  const owns = new Float64Array(n * m);
  if (m > 0) for (let i = 0; i < n; i++) owns.set(ownsOf(sec, keys[i]!), i * m);
  const decisive = emptyPacked<boolean>();
  for (let j = 0; j < m; j++) decisive.push(decides(cands[j]!, j, owns, n, m));
  const vetoed = emptyLabelledVetoes(rows, cands, owns);
  // Every row's score for every candidate (row i at i * m).
  const assign = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const arounds = m > 0 ? aroundsOf(sec, keys[i]!) : null;
    for (let j = 0; j < m; j++) assign[i * m + j] = assignScore(i, j, row, cands[j]!, arounds!);
  }
  function assignScore(i: number, j: number, row: ResolvedRow, c: Candidate, arounds: Float64Array): number {
    const own = owns[i * m + j]!;
    const e = decisive[j] ? own : Math.max(own, aroundOf(arounds, j, keys[i]!, c));
    if (c.weak && own < MIN_WEAK_LABEL) return -Infinity;
    if (vetoed[i * m + j]) return -Infinity;
    // A row placed by order alone must not take a row whose printed item number says otherwise:
    // when the row above it was lost, order alone would shift it onto its neighbour.
    if (bare[j] !== null && items[i] !== null && bare[j] !== items[i]) return -Infinity;
    if (c.unit.key && own < MIN_OWN_LABEL && e < 0.6) return -Infinity;
    return W_LABEL * e + countTerm(row, c);
  }
  const skipUnit = mapPacked(cands, skipCost);

  // dp[i][j]: best score with rows[0..i) placed using candidates[0..j), stored flat (row i at
  // i * w): one typed array each rather than one per row, and one relax for the whole table
  // rather than a closure per cell.
  const NEG = -Infinity;
  const w = m + 1;
  const dp = new Float64Array((n + 1) * w).fill(NEG);
  const move = new Int8Array((n + 1) * w);
  // A move improves its target only when strictly better, in the order tried below.
  const relax = (to: number, v: number, mv: number): void => {
    if (v > dp[to]!) {
      dp[to] = v;
      move[to] = mv;
    }
  };
  dp[0] = 0;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      const at = i * w + j;
      const cur = dp[at]!;
      if (cur === NEG) continue;
      if (j < m) relax(at + 1, cur + skipUnit[j]!, 1);
      if (i < n) relax(at + w, cur + SKIP_ROW, 2);
      const a = i < n && j < m ? assign[i * m + j]! : NEG;
      if (!(a > NEG)) continue;
      relax(at + w + 1, cur + a, 3);
      // A row whose cells a page or block break split over two value runs.
      if (j + 1 < m) {
        const ua = cands[j]!.unit;
        const ub = cands[j + 1]!.unit;
        const k = rows[i]!.columns.length;
        if (!ub.key && !cands[j + 1]!.weak && ua.values.length < k && ua.values.length + ub.values.length === k) relax(at + w + 2, cur + a - countTerm(rows[i]!, cands[j]!) + 0.8, 4);
      }
    }
  }

  const out: RowAssignment[] = mapPacked(rows, unplaced);
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const mv = move[i * w + j]!;
    if (mv === 1) j -= 1;
    else if (mv === 2) i -= 1;
    else if (mv === 3) {
      out[i - 1] = { row: rows[i - 1]!, units: [cands[j - 1]!.unit], score: assign[(i - 1) * m + j - 1]! };
      i -= 1;
      j -= 1;
    } else if (mv === 4) {
      out[i - 1] = { row: rows[i - 1]!, units: [cands[j - 2]!.unit, cands[j - 1]!.unit], score: assign[(i - 1) * m + j - 2]! };
      i -= 1;
      j -= 2;
    } else break;
  }
  return { rows: out, score: dp[n * w + m]! };
}

/**
 * The review table has no row labels: one run of 15 values under a two-level header. Take the
 * first value runs after its header until the template's count is reached; isolated numbers
 * before that (prose, page numbers) are passed over.
 */
export function collectFlat(k: number, units: readonly Unit[]): Unit[] {
  const out: Unit[] = [];
  let count = 0;
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    if (!u.values.length) continue;
    // Isolated short numbers before the table's run are prose or page numbers; a long digit
    // run may be the whole row glued together.
    const digits = u.values.reduce(addDigits, 0);
    if (!out.length && u.values.length < 5 && digits < 5 && !u.values.some(isBlank)) continue;
    if (!out.length && isWeak(u) && u.values.length < k) continue;
    // A header row's padding cells (| 行政复议 | | | | |, as Markdown converters write merged
    // cells) are no values: a labelled run of cells with no characters at all is passed over.
    if (u.exact && u.key && u.values.every(isEmptyCell)) continue;
    // So is a row of cells with no characters over the header (the blank header row converters
    // put over a table whose real header they read as data), when a later row holds a whole run.
    if (!out.length && u.exact && u.values.every(isEmptyCell) && units.slice(i + 1).some((x) => x.exact && x.values.length >= k && x.values.some((v) => !v.empty))) continue;
    out.push(u);
    count += u.values.length;
    if (count >= k) break;
  }
  return out;
}
