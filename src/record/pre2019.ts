/**
 * Reports in the format of the 2008 条例 (used up to the 2018 reports): other sections (收费及
 * 减免, 因政府信息公开申请行政复议、提起行政诉讼的情况) and none of the 第二十条 tables. Such a
 * report is not a broken modern one and must not be matched against the 2019/2021 templates.
 * Decided by the words the text uses (pre2019.json), not by the year alone. Pure.
 */
import MARKERS from './pre2019.json' with { type: 'json' };
import { normalizeText, stripNonWord } from '../normalize/text.js';
import { mapPacked } from '../normalize/arrays.js';

const key = (s: string) => stripNonWord(normalizeText(s));
const MODERN = mapPacked(MARKERS.modern, key);
const OLD = mapPacked(MARKERS.old, key);

export interface FormatEvidence {
  pre2019: boolean;
  modern: string[];
  old: string[];
}

/**
 * True when the text holds two of the modern formats' labels as they are: pre2019Evidence then
 * finds them too (each label is CJK letters only, which neither NFKC nor dropping punctuation
 * changes or joins to a neighbour), so the report is not pre-2019, and the whole text need not
 * be normalized to say so. A bookmark marker could hide a label that this finds: not then.
 */
export function clearlyModern(text: string): boolean {
  if (text.includes('[bookmark:')) return false;
  let found = 0;
  for (const m of MODERN) if (text.includes(m) && ++found >= 2) return true;
  return false;
}

/**
 * Pre-2019 when the text has at most one label of the modern formats and either two of the old
 * format's words, or one of them in a report on a year before 2019.
 */
export function pre2019Evidence(text: string, year: number | null): FormatEvidence {
  const t = key(text);
  const modern = MARKERS.modern.filter((_, i) => t.includes(MODERN[i]!));
  const old = MARKERS.old.filter((_, i) => t.includes(OLD[i]!));
  const pre2019 = modern.length < 2 && (old.length >= 2 || (old.length >= 1 && year !== null && year < 2019));
  return { pre2019, modern, old };
}
