/**
 * How well a label found in a report matches a template label. Labels arrive with group labels
 * glued on ("不予公开属于国家秘密"), cut in pieces by line and page breaks ("正行政机关不再处理其政府信"),
 * and with typos ("其他法律行政止公开"), so the measure is an in-order character overlap (LCS),
 * weighted towards how much of the template label is present.
 */

/** Length of the longest common subsequence of two strings (by UTF-16 code unit; keys are BMP CJK). */
export function lcsLength(a: string, b: string): number {
  if (!a || !b) return 0;
  const n = b.length;
  let prev = new Uint16Array(n + 1);
  let cur = new Uint16Array(n + 1);
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      cur[j] = ca === b.charCodeAt(j - 1) ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n]!;
}

/**
 * Score in [0, 1]: recall of the template key in the source key, discounted by how much of the
 * source is unexplained. 1 = identical; ≈0.8 = template label plus an equal amount of other text.
 */
export function labelScore(templateKey: string, sourceKey: string): number {
  if (!templateKey || !sourceKey) return 0;
  // The same official labels meet the same report labels in report after report, and a
  // document asks for the same pair many times while aligning: each pair is scored once. Two
  // levels, so that a hit costs two lookups and no string building.
  let byTemplate = memo.get(templateKey);
  if (!byTemplate) memo.set(templateKey, (byTemplate = new Map()));
  const hit = byTemplate.get(sourceKey);
  if (hit !== undefined) return hit;
  const score = computeScore(templateKey, sourceKey);
  if (memoSize >= MEMO_LIMIT) {
    memo.clear();
    memoSize = 0;
    memo.set(templateKey, byTemplate);
    byTemplate.clear();
  }
  byTemplate.set(sourceKey, score);
  memoSize++;
  return score;
}

const MEMO_LIMIT = 200_000;
const memo = new Map<string, Map<string, number>>();
let memoSize = 0;

/** The characters of each template key, built once per process (the templates are fixed). */
const charSets = new Map<string, Set<number>>();
function charSet(key: string): Set<number> {
  let set = charSets.get(key);
  if (!set) {
    set = new Set<number>();
    for (let i = 0; i < key.length; i++) set.add(key.charCodeAt(i));
    if (charSets.size < MEMO_LIMIT) charSets.set(key, set);
  }
  return set;
}

/** Cheap filter before LCS: two keys without a character in common score 0. */
function sharesAChar(templateKey: string, sourceKey: string): boolean {
  const set = charSet(templateKey);
  for (let i = 0; i < sourceKey.length; i++) if (set.has(sourceKey.charCodeAt(i))) return true;
  return false;
}

function computeScore(templateKey: string, sourceKey: string): number {
  if (!sharesAChar(templateKey, sourceKey)) return 0;
  // A key inside the other is their longest common subsequence (none is longer than it): the
  // label printed whole, with its group labels glued on, needs no table.
  const l = sourceKey.includes(templateKey) ? templateKey.length : templateKey.includes(sourceKey) ? sourceKey.length : lcsLength(templateKey, sourceKey);
  if (l === 0) return 0;
  const recall = l / templateKey.length;
  const precision = l / sourceKey.length;
  return recall * (0.6 + 0.4 * precision);
}

/**
 * Best score over a row's label variants. A row's variants are one array for the process (the
 * matcher builds them once per template row), so the best is kept per array and source key: one
 * lookup instead of one per variant.
 */
export function bestLabelScore(templateKeys: readonly string[], sourceKey: string): number {
  let bySource = bestMemo.get(templateKeys);
  if (!bySource) bestMemo.set(templateKeys, (bySource = new Map()));
  const hit = bySource.get(sourceKey);
  if (hit !== undefined) return hit;
  let best = 0;
  for (const k of templateKeys) best = Math.max(best, labelScore(k, sourceKey));
  if (bySource.size >= BEST_MEMO_LIMIT) bySource.clear();
  bySource.set(sourceKey, best);
  return best;
}

const BEST_MEMO_LIMIT = 5_000;
const bestMemo = new WeakMap<readonly string[], Map<string, number>>();
