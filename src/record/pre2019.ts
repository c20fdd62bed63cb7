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
