/**
 * Text clean-up shared by every format: the same characters must compare equal whatever
 * word processor or PDF font produced them.
 */
import radicals from './radicals.json' with { type: 'json' };

const RADICALS: Record<string, string> = radicals.map;
const RADICAL_TEST = /[\u2E80-\u2EF3]/;
const RADICAL_RE = /[\u2E80-\u2EF3]/g;
// Word/pandoc dumps leave bookmark markers inside cells: "[bookmark: _GoBack]5600元".
const BOOKMARK_RE = /\[bookmark:[^\]]*\]/g;
/** Space-like characters that are not matched by \s in every engine, or that dumps use as blanks. */
export const BLANK_CHARS = '\\s\\u00a0\\u3000\\u200b\\u200c\\u200d\\ufeff';
const EDGE_BLANKS_RE = new RegExp(`^[${BLANK_CHARS}]+|[${BLANK_CHARS}]+$`, 'g');
/** One character of EDGE_BLANKS_RE's class (a surrogate half is none of them). */
const EDGE_BLANK_RE = new RegExp(`^[${BLANK_CHARS}]$`);

/**
 * NFKC (full-width digits and letters, Kangxi radicals, compatibility ideographs) plus the CJK
 * radical supplement that NFKC leaves alone (⻚ → 页), without dump artefacts.
 */
export function normalizeText(s: string): string {
  let out = s.normalize('NFKC');
  if (RADICAL_TEST.test(out)) out = out.replace(RADICAL_RE, (c) => RADICALS[c] ?? c);
  if (out.includes('[bookmark:')) out = out.replace(BOOKMARK_RE, '');
  return out;
}

/** Cell text as a researcher should see it in `raw`: artefacts removed, outer blanks trimmed. */
export function cleanCell(s: string): string {
  // Most cells have no bookmark and start and end with a character that is no blank: as they are.
  if (s !== '' && !s.includes('[bookmark:') && !EDGE_BLANK_RE.test(s[0]!) && !EDGE_BLANK_RE.test(s[s.length - 1]!)) return s;
  return s.replace(BOOKMARK_RE, '').replace(EDGE_BLANKS_RE, '');
}

export function isBlankText(s: string): boolean {
  return cleanCell(s) === '';
}

// Enumerators: 一、 （一） (一) 1. 1、 1． — they number rows but say nothing about which row.
const ENUM_RE = /[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|(?<![\d.])\d{1,2}[.、．](?!\d)/g;

/**
 * `s` without every character that is not a letter or digit (punctuation, quotes, brackets,
 * spaces), the same as
 * `s.replace(/[^\p{L}\p{N}]/gu, '')` without the regular expression's cost on a whole report:
 * each UTF-16 unit's class is looked up once per process (pairs are tested whole).
 */
export function stripNonWord(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let keep: boolean;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      width = c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
      keep = width === 2 && WORD_CHAR_RE.test(s.slice(i, i + 2));
    } else {
      let k = wordClass[c]!;
      if (k === 0) wordClass[c] = k = WORD_CHAR_RE.test(String.fromCharCode(c)) ? 1 : 2;
      keep = k === 1;
    }
    if (!keep) {
      if (i > from) out += s.slice(from, i);
      from = i + width;
    }
    i += width - 1;
  }
  return from === 0 ? s : out + s.slice(from);
}

const WORD_CHAR_RE = /^[\p{L}\p{N}]$/u;
/** Per BMP unit: 0 not yet tested, 1 letter or digit, 2 anything else. */
const wordClass = new Uint8Array(0x10000);

/**
 * The comparison key of a label: normalized, enumerators and punctuation dropped.
 * "（三）不予 公开\n1.属于国家秘密" → "不予公开属于国家秘密".
 */
export function labelKey(s: string): string {
  // Asked ~9,000 times per document for ~150 distinct strings (the templates' labels every
  // time, a report's own labels many times while aligning): each string is keyed once.
  const hit = keyMemo.get(s);
  if (hit !== undefined) return hit;
  const key = stripNonWord(normalizeText(s).replace(ENUM_RE, ''));
  if (keyMemo.size >= KEY_MEMO_LIMIT) keyMemo.clear();
  keyMemo.set(s, key);
  return key;
}

/** Bounds the memo (a long run meets many reports' labels); clearing only costs recomputation. */
const KEY_MEMO_LIMIT = 50_000;
const keyMemo = new Map<string, string>();

/** Join lines the way a reader would: no space between CJK characters, one space otherwise. */
export function joinLines(lines: readonly string[]): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (out && !/[\p{Script=Han}）)，、：]$/u.test(out) && !/^[\p{Script=Han}（(，、：]/u.test(line)) out += ' ';
    out += line;
  }
  return out;
}
