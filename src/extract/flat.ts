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
 *  - a count glued to an amount ("13575394432.52元"), signs ("396-18538") and decimals stay in the
 *    digit run; the splitter (match/candidates.ts) reads them;
 *  - page navigation and "第2页/共3页" footers: the page counters are dropped; the rest is prose
 *    that the section finder leaves outside the tables.
 */

/** Characters a value run is made of (ASCII and full-width digits, decimal point, sign). */
const DIGIT = '0-9０-９';
/** A run of digits glued to a label and then to another label: the mark of a flattened table. */
const GLUED_ROW_RE = new RegExp(`[\\p{Script=Han}）)”][${DIGIT}]{2,}[\\p{Script=Han}（(]`, 'gu');
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

export function isFlattened(lines: readonly string[]): boolean {
  return lines.some(isFlattenedLine);
}

/** "第 2 页 共 5 页", "第2页/共5页", "共5页 第2页": page counters that sit between table rows. */
const PAGE_COUNTER_RE = new RegExp(`(?:第\\s*[${DIGIT}]{1,3}\\s*页\\s*[/／，,]?\\s*共\\s*[${DIGIT}]{1,3}\\s*页|共\\s*[${DIGIT}]{1,3}\\s*页\\s*[/／，,]?\\s*第\\s*[${DIGIT}]{1,3}\\s*页)`, 'g');

/**
 * Where a digit run meets a label, put a space; where the run ends in an item number
 * ("…0000000" + "2.其他"), that digit goes with the label. Money units stay with their amount.
 */
const RUN_RE = new RegExp(`[${DIGIT}][${DIGIT}.．,\\-−]*(?:亿元|万元|元)?`, 'gu');
const ITEM_AFTER_RE = /^ ?[.．、] ?(?=[\p{Script=Han}“"（(])/u;

export function unglueLine(line: string): string {
  const text = line.replace(PAGE_COUNTER_RE, ' ');
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
      // A sign inside a run starts a new cell ("396-18538" is 396 then −18538), never a date's dash
      // in prose, which has no Han label around it that matters.
      const parts = ungroupThousands(run.replace(/(?<=[0-9０-９])[-−](?=[0-9０-９])/g, ' -'));
      out += `${/[\p{Script=Han}）)”」】]$/u.test(out) ? ' ' : ''}${parts} `;
    }
    out += item;
    last = end;
    RUN_RE.lastIndex = end;
  }
  return (out + text.slice(last)).replace(/[ \t]+/g, ' ');
}

/** One number written with thousands separators: the digits before the first comma, then ",ddd" groups. */
const GROUPED_RE = /[,，](?:[0-9]{3}|[０-９]{3})(?:[,，](?:[0-9]{3}|[０-９]{3}))*(?![0-9０-９]*[.．])/g;

/**
 * A glued run holding numbers with thousands separators ("236,70300" = 236,703 then 0 and 0):
 * a separated number ends after its last ",ddd" group, so a new cell starts there; where it begins
 * (1 to 3 digits before the first comma) is for the splitter to find, so the commas are dropped
 * and a space put after each last group. Runs where a comma is no separator, or that hold
 * decimals, are left as they are.
 */
export function ungroupThousands(run: string): string {
  return run
    .split(' ')
    .map((tok) => {
      if (!/[,，]/.test(tok) || /[.．]/.test(tok)) return tok;
      const body = tok.replace(/^-/, '');
      // Every comma must sit between a digit and a group of exactly three digits.
      if (!/^[0-9０-９]+(?:[,，][0-9０-９]{3}[0-9０-９]*)+$/.test(body)) return tok;
      return tok.replace(GROUPED_RE, (g, at: number, whole: string) => `${g.replace(/[,，]/g, '')}${at + g.length < whole.length ? ' ' : ''}`);
    })
    .join(' ');
}

