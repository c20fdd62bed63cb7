/**
 * The visible text of a DOM subtree as lines, the way a browser would lay it out: runs of HTML
 * white space collapse to one space, <br> and block elements (<p>, <div>, <li>…) break lines,
 * hidden elements say nothing. Word-exported cells nest their text in <p><span><font>; a label
 * written one character per line with <br> comes out one character per line, as printed.
 * No-break spaces are kept: a cell holding only &nbsp; is a blank cell, not an absent one.
 */
import { type AnyNode, type Element, hasDescendant, isElement, isTextNode } from './dom.js';
import type { ChromeTest } from './chrome.js';
import type { HiddenTest } from './hidden.js';
import { isPlaceholderCell, rowCells, rowGroups } from './table-rows.js';

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'legend', 'li', 'listing', 'main', 'menu', 'nav', 'ol', 'p', 'plaintext', 'pre', 'section', 'summary', 'table',
  'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'xmp',
]);

const HTML_WHITESPACE = /[\t\n\f\r ]+/g;

export interface TextOptions {
  hidden: HiddenTest;
  /** Subtrees to leave out (navigation, when reading an article). */
  skip?: ChromeTest;
  /** Write tables without nested tables as one line per row, cells separated by tabs. */
  tabRows?: boolean;
}

class LineBuffer {
  readonly lines: string[] = [];
  private cur = '';

  text(s: string): void {
    if (!s) return;
    this.cur += this.cur === '' || this.cur.endsWith(' ') ? s.replace(/^ /, '') : s;
  }

  raw(line: string): void {
    this.flush();
    if (line) this.lines.push(line);
  }

  flush(): void {
    const line = this.cur.replace(/^ +| +$/g, '');
    if (line) this.lines.push(line);
    this.cur = '';
  }
}

/** The lines of text under `root`. `root` itself is read even if hidden: callers decide that. */
export function textLines(root: AnyNode, opts: TextOptions): string[] {
  const buf = new LineBuffer();
  walkText(root, false, root, opts, buf);
  buf.flush();
  return buf.lines;
}

/** textLines' walk. Module-level: a closure made per call is compiled again and again. */
function walkText(node: AnyNode, pre: boolean, root: AnyNode, opts: TextOptions, buf: LineBuffer): void {
  if (isTextNode(node)) {
    if (!pre) {
      buf.text(node.data.replace(HTML_WHITESPACE, ' '));
      return;
    }
    const parts = node.data.split(/\r?\n/);
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) buf.flush();
      buf.text(parts[i]!);
    }
    return;
  }
  if (!isElement(node)) {
    if ('children' in node) for (const c of node.children) walkText(c, pre, root, opts, buf);
    return;
  }
  if (node !== root && (opts.hidden.hides(node) || opts.skip?.isChrome(node))) return;
  const name = node.name;
  if (name === 'br') {
    buf.flush();
    return;
  }
  if (name === 'table' && opts.tabRows && !hasDescendant(node, 'table')) {
    for (const line of tabRowLines(node, opts)) buf.raw(line);
    return;
  }
  const block = BLOCK.has(name);
  if (block) buf.flush();
  const inPre = pre || name === 'pre' || name === 'textarea' || name === 'listing';
  for (const c of node.children) walkText(c, inPre, root, opts, buf);
  if (block) buf.flush();
}

/** The text of one table cell, its lines joined with "\n". */
export function cellText(td: Element, hidden: HiddenTest): string {
  return cellLines(td, hidden).join('\n');
}

/**
 * A cell's lines, read once per page: the grid and the article's tab rows both read every cell
 * of a report table. Keyed by the page's hidden test (one per page) and the cell; not to be mutated.
 */
function cellLines(td: Element, hidden: HiddenTest): readonly string[] {
  let byCell = cellCache.get(hidden);
  if (!byCell) cellCache.set(hidden, (byCell = new WeakMap()));
  let lines = byCell.get(td);
  if (!lines) byCell.set(td, (lines = plainCellLines(td) ?? textLines(td, { hidden })));
  return lines;
}

/**
 * The lines textLines gives a cell that holds one text node or nothing (most cells of a
 * generated page), without its walk; null for any other cell.
 */
function plainCellLines(td: Element): string[] | null {
  if (td.children.length === 0) return [];
  const only = td.children[0]!;
  if (td.children.length > 1 || !isTextNode(only)) return null;
  const line = only.data.replace(HTML_WHITESPACE, ' ').replace(/^ +| +$/g, '');
  return line ? [line] : [];
}

const cellCache = new WeakMap<HiddenTest, WeakMap<Element, string[]>>();

function tabRowLines(table: Element, opts: TextOptions): string[] {
  const out: string[] = [];
  for (const group of rowGroups(table)) {
    for (const tr of group) {
      // Loops: a closure made per call is compiled again and again.
      const cells: string[] = [];
      let any = false;
      for (const td of rowCells(tr, opts.hidden)) {
        if (isPlaceholderCell(td)) continue;
        const c = cellLines(td, opts.hidden).join(' ');
        cells.push(c);
        if (!any && c.trim()) any = true;
      }
      if (any) out.push(cells.join('\t'));
    }
  }
  return out;
}
