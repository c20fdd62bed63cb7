/**
 * Reading the number in a table cell. Reports write counts as "12", "１２", "1,234", "12件",
 * changes as "-3", "减少3", "+2", money as "200326元", "83.8778万元", "25.67", and blanks as "",
 * "\u00a0", "-", "—", "/", "无".
 */
import { cleanCell, normalizeText } from './text.js';

export type MoneyUnit = '元' | '万元' | '亿元';

export type ParsedCell =
  | { kind: 'blank'; raw: string }
  | {
      kind: 'number';
      raw: string;
      /** The number as written, before any unit scaling. */
      value: number;
      /** The decimal digits as written (no sign, no separators), for exact unit scaling. */
      decimal: string;
      negative: boolean;
      /** A run of plain digits that may be several cells glued together ("1000001"). */
      digits: string | null;
      unit: MoneyUnit | null;
    }
  | { kind: 'text'; raw: string };

export interface ParseOptions {
  /** Accept a cell written in Chinese numerals ("十二"). Only where cell boundaries are real. */
  chineseNumerals?: boolean;
}

const BLANK_MARKERS = new Set(['', '-', '--', '—', '——', '–', '/', '\\', '无', '暂无', '不适用', '未发生', '空', '×', 'x', 'X', 'null', 'NULL', 'N/A', 'n/a']);
/**
 * A cell of dashes and slashes alone ("—/—", "/ /", "--/--"): it holds no number, so it is a blank
 * cell written with marks. It must hold a slash or a tilde: a run of dashes alone is a table rule
 * in a text dump (pandoc's simple tables), and taken as a row of blank cells it became nulls shown
 * for a real row. (Dots stay text: leader dots "……" run between a label and its number.)
 */
const MARKS_ONLY_RE = /^(?=.*[/\\／~～])[-—–―/\\／~～]{2,}$/;
const COUNT_SUFFIX = /(?:件|条|个|项|次|人|家|宗|份|例|笔|起|人次|件次)$/;
const MONEY_SUFFIX = /(亿元|万元|千元|元|万|亿)$/;
const SIGN_WORDS = /^(?:增加|新增|增|加|减少|减|降低|下降)/;
const NUMBER_RE = /^([+-]?)(\d+(?:\.\d+)?|\.\d+)$/;
const THOUSANDS_RE = /^([+-]?)(\d{1,3}(?:,\d{3})+)(\.\d+)?$/;

const PLAIN_DIGITS = /^\d+$/;
/** Footnote marks after a value: circled, parenthesized or full-stop numbers, superscript digits, asterisks, daggers. */
const FOOTNOTE_MARK_RE = /(?<=[\d０-９])\s*(?:[\u2460-\u249b\u24ea-\u24ff\u2776-\u2793\u00b9\u00b2\u00b3\u2070-\u2079]+|[*＊※†‡]+)$/u;

/**
 * Parse one cell's text. Pure; never throws. The result is shared between calls with the same
 * text and must not be modified (nothing does: cells are read, never written back).
 */
export function parseCell(rawText: string, opts: ParseOptions = {}): ParsedCell {
  // A text dump's tokens are parsed when the lines are cut and again when the matcher reads the
  // cells, and reports repeat the same labels and numbers: each distinct text is parsed once.
  const memo = opts.chineseNumerals ? memoChinese : memoPlain;
  const hit = memo.get(rawText);
  if (hit !== undefined) return hit;
  const parsed = parseCellUncached(rawText, opts);
  if (memo.size >= PARSE_MEMO_LIMIT) memo.clear();
  memo.set(rawText, parsed);
  return parsed;
}

/** Bounds each memo (a long run meets many reports' cells); clearing only costs re-parsing. */
const PARSE_MEMO_LIMIT = 20_000;
const memoPlain = new Map<string, ParsedCell>();
const memoChinese = new Map<string, ParsedCell>();

function parseCellUncached(rawText: string, opts: ParseOptions): ParsedCell {
  // Most cells are plain ASCII digits, which every step below leaves as they are: the same
  // result without the normalization and the regular expressions.
  if (PLAIN_DIGITS.test(rawText)) return { kind: 'number', raw: rawText, value: Number(rawText), decimal: rawText, negative: false, digits: rawText, unit: null };
  const raw = cleanCell(rawText);
  // A footnote mark after a number ("12①", "12¹", "12*") is no digit of it: NFKC would make
  // "12①" and "12¹" read 121.
  let s = normalizeText(raw.replace(FOOTNOTE_MARK_RE, '')).replace(/[\s\u00a0\u3000]+/g, '');
  if (BLANK_MARKERS.has(s) || MARKS_ONLY_RE.test(s)) return { kind: 'blank', raw };
  s = s.replace(/[−‐‑‒﹣]/g, '-').replace(/[（(]([\d.]+)[)）]$/, '$1');

  let negative = false;
  const word = SIGN_WORDS.exec(s);
  if (word) {
    negative = /减|降|下/.test(word[0]);
    s = s.slice(word[0].length);
  }

  let unit: MoneyUnit | null = null;
  const money = MONEY_SUFFIX.exec(s);
  if (money) {
    const u = money[1]!;
    unit = u === '亿元' || u === '亿' ? '亿元' : u === '万元' || u === '万' ? '万元' : '元';
    s = s.slice(0, -u.length);
    if (u === '千元') return parseScaledThousand(raw, s, negative);
  } else {
    s = s.replace(COUNT_SUFFIX, '');
  }

  let m = NUMBER_RE.exec(s);
  let separators = false;
  if (!m) {
    const t = THOUSANDS_RE.exec(s);
    if (t) {
      m = NUMBER_RE.exec(`${t[1]}${t[2]!.replaceAll(',', '')}${t[3] ?? ''}`);
      separators = true;
    }
  }
  if (!m) {
    if (opts.chineseNumerals && !negative && unit === null) {
      const n = chineseToNumber(s);
      if (n !== null) return { kind: 'number', raw, value: n, decimal: String(n), negative: false, digits: null, unit: null };
    }
    return { kind: 'text', raw };
  }
  if (m[1] === '-') negative = !negative;
  const decimal = m[2]!.startsWith('.') ? `0${m[2]}` : m[2]!;
  const value = Number(decimal) * (negative ? -1 : 1);
  const plain = !separators && !negative && m[1] === '' && unit === null && /^\d+$/.test(decimal) && !word;
  return { kind: 'number', raw, value, decimal, negative, digits: plain ? decimal : null, unit };
}

function parseScaledThousand(raw: string, s: string, negative: boolean): ParsedCell {
  const m = NUMBER_RE.exec(s);
  if (!m) return { kind: 'text', raw };
  const decimal = scaleDecimal(m[2]!, 3);
  return { kind: 'number', raw, value: Number(decimal) * (negative ? -1 : 1), decimal, negative, digits: null, unit: '元' };
}

/**
 * Multiply a decimal string by 10^power without floating-point error:
 * scaleDecimal("83.8778", 4) === "838778".
 */
export function scaleDecimal(decimal: string, power: number): string {
  const [intPart = '0', frac = ''] = decimal.split('.');
  const digits = intPart + frac;
  const point = intPart.length + power;
  let out: string;
  if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  out = out.replace(/^0+(?=\d)/, '');
  if (out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
  return out || '0';
}

export const UNIT_POWER: Record<MoneyUnit, number> = { 元: 0, 万元: 4, 亿元: 8 };

/** The amount in yuan of a number written in the given unit, exact to the digits written. */
export function toYuan(decimal: string, unit: MoneyUnit, negative = false): number {
  const v = Number(scaleDecimal(decimal, UNIT_POWER[unit]));
  return negative ? -v : v;
}

const CN_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const CN_SMALL_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const CN_BIG_UNITS: Record<string, number> = { 万: 1e4, 亿: 1e8 };

/**
 * "十二" → 12, "一百零五" → 105, "二〇二〇" → 2020 (digit by digit), "三万五千" → 35000.
 * Returns null for anything that is not entirely a Chinese numeral.
 */
export function chineseToNumber(s: string): number | null {
  if (!s || !/^[零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿]+$/.test(s)) return null;
  if (!/[十拾百佰千仟万亿]/.test(s)) {
    // Digit-by-digit form, as in years: 二〇二〇.
    let n = 0;
    for (const ch of s) n = n * 10 + CN_DIGITS[ch]!;
    return n;
  }
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const ch of s) {
    if (ch in CN_DIGITS) {
      digit = CN_DIGITS[ch]!;
    } else if (ch in CN_SMALL_UNITS) {
      section += (digit ?? 1) * CN_SMALL_UNITS[ch]!;
      digit = null;
    } else {
      section += digit ?? 0;
      if (section === 0) return null;
      total += section * CN_BIG_UNITS[ch]!;
      section = 0;
      digit = null;
    }
  }
  return total + section + (digit ?? 0);
}
