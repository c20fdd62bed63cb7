/**
 * Flattened crawler dumps: a page's text with every table cell run together on one line
 * ("规章000行政规范性文件77132470…1.属于国家秘密00000002.其他法律行政法规禁止公开…"). Such a line is
 * cut into label and digit-run tokens so that the ordinary text route can align the labels and the
 * glued-digit solver can split each run under the tables' identities. Pure string work, no tables.
 *
 * What the real dumps do, and how each is undone here:
 *  - a row's digits run straight into the next label: a space goes between them;
 *  - the item number of the next row ("2.其他法律…") sticks to the previous row's digits
 *    ("00000002.其他…"): a digit followed by "." or "、" and a label is the label's, not a value;
 *  - a count glued to an amount ("13575394432.52元") and decimals stay in the digit run; the
 *    splitter (match/candidates.ts) reads them;
 *  - a dash between digits is a sign only under a 本年增/减 header ("396-18538" is 396 then
 *    −18538); elsewhere it, and dashes or slashes next to a label, mark a blank cell;
 *  - full-width digits, minus signs and thousands commas are read as the ASCII ones;
 *  - page navigation and "第2页/共3页" footers: the page counters are dropped; the rest is prose
 *    that the section finder leaves outside the tables.
 */
import { mapPacked } from '../normalize/arrays.js';

/** Characters a value run is made of (ASCII and full-width digits, decimal point, sign). */
const DIGIT = '0-9０-９';
/** Marks a portal writes in a blank cell ("—", "-", "/"), or between cells. */
const MARKS = '\\-－−–—/／';
/** Tags a sign word (增加/减少) so that it stays glued to its digits (dropped again at the end). */
const SIGN_TAG = '\uE001';
/**
 * A run of digits glued to a label and then to another label: the mark of a flattened table. The
 * run may hold blank marks ("0—0—00（二）"): in a dump that writes blanks with a mark, most rows do;
 * and it may end in the next row's item number ("00000002.其他").
 */
const GLUED_ROW_RE = new RegExp(`[\\p{Script=Han}）)”](?=[${DIGIT}${MARKS}]{2})[${MARKS}]*[${DIGIT}][${DIGIT}${MARKS}]*[.．、]?[\\p{Script=Han}（(]`, 'gu');
/** Lines at least this long, holding at least this many glued rows, are flattened tables. */
const MIN_LINE = 120;
const MIN_GLUED_ROWS = 6;

/** True when a line looks like a table flattened into one run of text. */
export function isFlattenedLine(line: string): boolean {
  if (line.length < MIN_LINE) return false;
  let n = 0;
  GLUED_ROW_RE.lastIndex = 0;
  // Overlapping matches: "规章000行政" and the next row share the label characters.
  while (GLUED_ROW_RE.exec(line)) {
    n++;
    GLUED_ROW_RE.lastIndex--;
    if (n >= MIN_GLUED_ROWS) return true;
  }
  return false;
}

/**
 * A table row on a line of its own, its cells still glued: a label, then a run of seven digits or
 * more (with blank marks and thousands commas) up to the line's end or the next heading. Crawlers
 * that keep the table's row breaks but not its cell breaks write every row so.
 */
const GLUED_ROW_LINE_RE = new RegExp(`[\\p{Script=Han}）)”](?:[${DIGIT}${MARKS},，]){7,}(?:$|[\\p{Script=Han}（(])`, 'u');
/** Lines of that shape it takes to call the dump flattened (the applications table alone has 20 rows). */
const MIN_GLUED_ROW_LINES = 8;

/**
 * True when the text is a flattened dump: a long line of glued rows, or many lines each holding
 * one glued row (a line per table row, no separators between its cells).
 */
export function isFlattened(lines: readonly string[]): boolean {
  if (lines.some(isFlattenedLine)) return true;
  let n = 0;
  for (const l of lines) if (!l.includes('\t') && l.length < MIN_LINE && GLUED_ROW_LINE_RE.test(l) && ++n >= MIN_GLUED_ROW_LINES) return true;
  return false;
}

/** "第 2 页 共 5 页", "第2页/共5页", "共5页 第2页": page counters that sit between table rows. */
const PAGE_COUNTER_RE = new RegExp(`(?:第\\s*[${DIGIT}]{1,3}\\s*页\\s*[/／，,]?\\s*共\\s*[${DIGIT}]{1,3}\\s*页|共\\s*[${DIGIT}]{1,3}\\s*页\\s*[/／，,]?\\s*第\\s*[${DIGIT}]{1,3}\\s*页)`, 'g');

/**
 * Where a digit run meets a label, put a space; where the run ends in an item number
 * ("…0000000" + "2.其他"), that digit goes with the label. Money units stay with their amount.
 */
const RUN_RE = new RegExp(`[${DIGIT}](?:[${DIGIT}.．,\\-−]|，(?=[${DIGIT}]{3}))*(?:亿元|万元|元)?`, 'gu');
const ITEM_AFTER_RE = /^ ?[.．、] ?(?=[\p{Script=Han}“"（(])/u;

/**
 * Dashes and slashes glued to a value: a portal's mark for a blank cell ("规章5-3", "—", "/"),
 * or, between two digits in a column headed 本年增/减, the sign of a change ("0-930" is 0 and
 * −930). A count is never negative, so outside such a column a dash is always a blank mark.
 */
const MARK_RE = new RegExp(`(?<=[${DIGIT}\\p{Script=Han}）)”])[${MARKS}]+(?=[${DIGIT}\\p{Script=Han}（(“${SIGN_TAG}])`, 'gu');
/** A digit, or the tag of a sign word that goes with the digits after it ("/减少260"). */
const IS_DIGIT_RE = new RegExp(`^[${DIGIT}${SIGN_TAG}]$`, 'u');
/** A header naming a signed column, and the headers that open any table (and so end its reach). */
const SIGNED_HEADER_RE = /增\s*[/／、]?\s*减|增（减）/g;
const TABLE_OPENS_RE = /第二十条|信息内容|申请人情况|申请情况|行政复议|行政诉讼/g;

/** Where the signed column's reach ends in `text`: true when a 增/减 header is open at its end. */
function signedAtEnd(text: string, before: boolean): boolean {
  const last = (re: RegExp) => {
    let at = -1;
    re.lastIndex = 0;
    for (let m; (m = re.exec(text)); ) at = m.index;
    return at;
  };
  const signed = last(SIGNED_HEADER_RE);
  const opens = last(TABLE_OPENS_RE);
  return signed < 0 && opens < 0 ? before : signed > opens;
}

interface Mark {
  mark: string;
  at: number;
  digitLeft: boolean;
  digitRight: boolean;
  /** Under a 增/减 header, a dash before a digit may be the change's sign. */
  signed: boolean;
}

function eachMark(text: string, signedBefore: boolean, fn: (m: Mark) => string): string {
  return text.replace(MARK_RE, (mark: string, at: number) => {
    const digitLeft = IS_DIGIT_RE.test(text[at - 1]!);
    const digitRight = IS_DIGIT_RE.test(text[at + mark.length]!);
    if (!digitLeft && !digitRight) return mark;
    const signed = digitRight && /[-－−]$/.test(mark) && signedAtEnd(text.slice(0, at), signedBefore);
    return fn({ mark, at, digitLeft, digitRight, signed });
  });
}

/**
 * One mark is one blank cell. Two or more ("——", "--", "//") may be one mark or several blank
 * cells: one token of their length, for the identities to count (BLANK_RUN_RE). Under 增/减 a dash before a digit is
 * the change's sign, unless the dump writes blanks with dashes elsewhere: then it may be either,
 * and the row cannot be read (a "？" stands in the place, which no reading takes for a number).
 */
function markBlanks(text: string, signedBefore: boolean, dashBlanks: boolean): string {
  return eachMark(text, signedBefore, (m) => {
    const { mark, signed } = m;
    // Outside a table row ("电话：0591-23165385") a dash between digits only parts two numbers.
    if (!inTable(text, m)) return m.digitLeft && m.digitRight && /^[-−]$/.test(mark) ? ' -' : mark;
    if (signed) return dashBlanks || mark.length > 1 ? UNREADABLE : ' -';
    // A run of marks ("———") stays one token of its length: the row's reader takes it for one
    // blank cell or more, up to one per character, at that place.
    return ` ${'—'.repeat([...mark].length)} `;
  }).replace(UNREADABLE_RUN_RE, ' ？ ');
}

/** A run of blank marks as markBlanks leaves it: one blank cell or more, at most one per character. */
export const BLANK_RUN_RE = /^—{2,}$/;

/** Stands for a mark that may be a sign or a blank; its whole value run is then dropped. */
const UNREADABLE = '\uE000';
const UNREADABLE_RUN_RE = new RegExp(`[${DIGIT}.．,，${MARKS} ]*${UNREADABLE}[${DIGIT}.．,，${MARKS}${UNREADABLE}]*(?:亿元|万元|元)?`, 'gu');

const RUN_CHAR_RE = new RegExp(`[${DIGIT}.．,，${MARKS}]`, 'u');

/**
 * A mark among a row's values: its run of digits and marks follows a label ("规章5-3"), not
 * "电话：0591-…" or a unit ("备05002234号-1"), and is no span of years or dates ("2019-2020学年").
 */
function inTable(text: string, m: Mark): boolean {
  let i = m.at;
  while (i > 0 && RUN_CHAR_RE.test(text[i - 1]!)) i--;
  let j = m.at + m.mark.length;
  while (j < text.length && RUN_CHAR_RE.test(text[j]!)) j++;
  // A label is two Han characters or more, or ends in a bracket: "号-1" in "备05002234号-1" is a unit.
  const label = /[）)”]$|\p{Script=Han}{2}$/u.test(text.slice(Math.max(0, i - 2), i));
  return label && !/^(?:学?年|月|日|号|时)/.test(text.slice(j, j + 2));
}

/** Whether the lines write blank cells with dashes: a dash glued to a value outside any 增/减 column. */
function writesDashBlanks(lines: readonly string[]): boolean {
  let signed = false;
  return lines.some((line) => {
    let found = false;
    eachMark(line, signed, (m) => {
      if (!m.signed && /[-－−–—]/.test(m.mark) && inTable(line, m)) found = true;
      return m.mark;
    });
    signed = signedAtEnd(line, signed);
    return found;
  });
}

/**
 * Whether the lines write blank cells with a mark: a dash or slash glued to a row's values outside
 * any 增/减 column. Such a dump writes every blank cell so; none leaves no trace.
 */
export function writesBlankMarks(lines: readonly string[]): boolean {
  let signed = false;
  return lines.some((line) => {
    let found = false;
    eachMark(line, signed, (m) => {
      if (!m.signed && inTable(line, m)) found = true;
      return m.mark;
    });
    signed = signedAtEnd(line, signed);
    return found;
  });
}

/** The lines of a flattened dump, cut: a 增/减 header's reach runs on over the line breaks. */
export function unglueLines(lines: readonly string[]): string[] {
  const dashBlanks = writesDashBlanks(lines);
  let signed = false;
  return mapPacked(lines, (line) => {
    const out = unglueLine(line, signed, dashBlanks);
    signed = signedAtEnd(line, signed);
    return out;
  });
}

/** 增加/减少 written before a change ("减少260"): under a 增/减 header, the sign of the digits after it. */
const SIGN_WORD_RE = new RegExp(`(增加|减少)(?=[${DIGIT}])`, 'g');
const SIGN_TAGGED_RE = new RegExp(`${SIGN_TAG}(增加|减少) ?`, 'g');

export function unglueLine(line: string, signedBefore = false, dashBlanks = false): string {
  const plain = line.replace(PAGE_COUNTER_RE, ' ');
  const tagged = plain.replace(SIGN_WORD_RE, (w: string, _: string, at: number) => (signedAtEnd(plain.slice(0, at), signedBefore) ? `${SIGN_TAG}${w}` : w));
  const text = markBlanks(tagged, signedBefore, dashBlanks);
  let out = '';
  let last = 0;
  RUN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = RUN_RE.exec(text))) {
    let run = m[0];
    let end = m.index + run.length;
    // A trailing "." before a label is the item number's: "00000002." + "其他…".
    let item = '';
    const dot = /[.．]$/.exec(run);
    const after = text.slice(end - (dot ? 1 : 0));
    // (A space may sit on either side of the point: "3 .危及", "3. 危及".)
    const point = ITEM_AFTER_RE.exec(after);
    if (point) {
      if (dot) run = run.slice(0, -1);
      const d = /[0-9０-９]$/.exec(run);
      if (d) {
        // The item number and its point go with the label, spaces between them dropped.
        item = `${d[0]}.`;
        end = m.index + run.length + point[0].length;
        run = run.slice(0, -1);
      } else end = m.index + run.length;
    }
    const before = text.slice(last, m.index);
    out += before;
    if (run) {
      const parts = ungroupThousands(run);
      out += `${/[\p{Script=Han}）)”」】]$/u.test(out) ? ' ' : ''}${parts} `;
    }
    out += item;
    last = end;
    RUN_RE.lastIndex = end;
  }
  return (out + text.slice(last)).replace(SIGN_TAGGED_RE, '$1').replace(/[ \t]+/g, ' ');
}

/** One number written with thousands separators: the digits before the first comma, then ",ddd" groups. */
const GROUPED_RE = /[,，](?:[0-9]{3}|[０-９]{3})(?:[,，](?:[0-9]{3}|[０-９]{3}))*(?![0-9０-９]*[.．])/g;

/** Stands where a separated number's first comma was: its number starts 1 to 3 digits before. */
export const GROUP_TAG = '\uE002';

/**
 * A glued run holding numbers with thousands separators ("236,70300" = 236,703 then 0 and 0):
 * a separated number ends after its last ",ddd" group, so a new cell starts there; where it begins
 * (1 to 3 digits before the first comma) is for the splitter to find, so the commas are dropped,
 * GROUP_TAG put where the first one was and a space after each last group. Runs where a comma is no separator, or that hold
 * decimals, are left as they are.
 */
export function ungroupThousands(run: string): string {
  return mapPacked(run.split(' '), (tok) => {
    if (!/[,，]/.test(tok) || /[.．]/.test(tok)) return tok;
    const body = tok.replace(/^-/, '');
    // Every comma must sit between a digit and a group of exactly three digits.
    if (!/^[0-9０-９]+(?:[,，][0-9０-９]{3}[0-9０-９]*)+$/.test(body)) return tok;
    return tok.replace(GROUPED_RE, (g, at: number, whole: string) => `${GROUP_TAG}${g.replace(/[,，]/g, '')}${at + g.length < whole.length ? ' ' : ''}`);
  }).join(' ');
}

/**
 * Portal chrome a crawler ran into the body's line: the print and close buttons, the font-size
 * switch, a share bar, a breadcrumb trail ("首页 > 政务公开 > 年报 "). In the readable text the
 * buttons become line breaks and the trail ends its line, so that the title after them starts a
 * line of its own (and the trail's ">" keeps it out of the title).
 */
const CHROME_END_RE = /(?:打印本页|关闭窗口|【\s*(?:打印|关闭|收藏|返回顶部)\s*】|\[\s*(?:打印|关闭)\s*\]|字号\s*[:：]\s*(?:[大中小]\s*){2,3}|分享到\s*[:：]?)\s*/g;
const CRUMBS_RE = /^(?:\s*(?:当前位置|您的位置|您现在的位置)\s*[:：]\s*)?\S{1,12}(?:\s*[>»›]\s*[^\s>»›]{1,20})+\s+/;

export function breakChrome(line: string): string {
  return line.replace(CRUMBS_RE, '$&\n').replace(CHROME_END_RE, '\n');
}

