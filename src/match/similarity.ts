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
  // The same official labels meet the same report labels in report after report.
  const key = `${templateKey}\u0000${sourceKey}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const score = computeScore(templateKey, sourceKey);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, score);
  return score;
}

const MEMO_LIMIT = 200_000;
const memo = new Map<string, number>();

function computeScore(templateKey: string, sourceKey: string): number {
  const l = lcsLength(templateKey, sourceKey);
  if (l === 0) return 0;
  const recall = l / templateKey.length;
  const precision = l / sourceKey.length;
  return recall * (0.6 + 0.4 * precision);
}

/** Best score over a row's label variants. */
export function bestLabelScore(templateKeys: readonly string[], sourceKey: string): number {
  let best = 0;
  for (const k of templateKeys) best = Math.max(best, labelScore(k, sourceKey));
  return best;
}
