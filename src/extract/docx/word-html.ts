/**
 * Word elements (word-read.ts) → the HTML mammoth writes for them with nianbao's options
 * (default style map, images not read): the same elements, the same merging of adjacent
 * inline elements, the same dropping of empty ones, the same escaping — so that the HTML
 * adapter sees exactly what it saw from mammoth (node_modules/mammoth/lib/document-to-html.js,
 * html/simplify.js, writers/html-writer.js).
 */
import type { RunProps, WordNode } from './word-read.js';

type HtmlNode =
  | { kind: 'element'; tag: string; attrs: [string, string][]; fresh: boolean; children: HtmlNode[]; names?: readonly string[] }
  | { kind: 'text'; value: string }
  | { kind: 'force' };

const VOID = new Set(['br', 'hr', 'img', 'input']);
const FORCE: HtmlNode = { kind: 'force' };

const el = (tag: string, attrs: [string, string][], fresh: boolean, children: HtmlNode[]): HtmlNode => ({ kind: 'element', tag, attrs, fresh, children });

/** One element of a style map's HTML path: `ul|ol` is written as its first name and merges into either. */
interface PathElement {
  tag: string;
  fresh: boolean;
  names?: readonly string[];
}

const fresh = (tag: string): PathElement[] => [{ tag, fresh: true }];
const NOTE_STYLES = new Set(['FOOTNOTE TEXT', 'ENDNOTE TEXT', 'ANNOTATION TEXT', 'FOOTNOTE', 'ENDNOTE']);

/**
 * The HTML path mammoth's default style map gives a paragraph, rules in the map's order:
 * headings by style id, then by style name (case-insensitive), note texts, list items by level
 * (1–5, nested in the items above), everything else a fresh <p>.
 */
function paragraphPath(p: Extract<WordNode, { type: 'paragraph' }>): PathElement[] {
  const m = /^Heading([1-6])$/.exec(p.styleId ?? '');
  if (m) return fresh(`h${m[1]}`);
  const name = p.styleName?.toUpperCase() ?? null;
  const n = name === null ? null : /^HEADING ([1-6])$/.exec(name);
  if (n) return fresh(`h${n[1]}`);
  if (p.styleId === 'Heading' || name === 'HEADING') return fresh('h1');
  if (name !== null && NOTE_STYLES.has(name)) return fresh('p');
  if (p.list) {
    // `level == index` in mammoth: a string compared with a number, i.e. Number(level).
    const level = Number(p.list.level);
    if (Number.isInteger(level) && level >= 0 && level <= 4) {
      const outer: PathElement[] = [];
      for (let i = 0; i < level; i++) outer.push({ tag: 'ul', fresh: false, names: ['ul', 'ol'] }, { tag: 'li', fresh: false });
      return [...outer, { tag: p.list.isOrdered ? 'ol' : 'ul', fresh: false }, { tag: 'li', fresh: true }];
    }
  }
  return fresh('p');
}

/** mammoth's run wrappers, innermost first: s, sub, sup, em, strong, then the run style's. */
function wrapRun(props: RunProps, content: HtmlNode[]): HtmlNode[] {
  let nodes = content;
  const wrap = (tag: string) => (nodes = [el(tag, [], false, nodes)]);
  if (props.strike) wrap('s');
  if (props.vertAlign === 'subscript') wrap('sub');
  if (props.vertAlign === 'superscript') wrap('sup');
  if (props.italic) wrap('em');
  if (props.bold) wrap('strong');
  if (props.styleName?.toUpperCase() === 'STRONG') wrap('strong');
  return nodes;
}

function convert(nodes: readonly WordNode[], header: boolean): HtmlNode[] {
  return nodes.flatMap((n) => convertOne(n, header));
}

function convertOne(n: WordNode, header: boolean): HtmlNode[] {
  switch (n.type) {
    case 'paragraph':
      return paragraphPath(n).reduceRight<HtmlNode[]>((nodes, e) => [{ kind: 'element', tag: e.tag, attrs: [], fresh: e.fresh, children: nodes, names: e.names }], convert(n.children, header));
    case 'run':
      return wrapRun(n.props, convert(n.children, header));
    case 'text':
      return [{ kind: 'text', value: n.value }];
    case 'lineBreak':
      return [el('br', [], true, [])];
    case 'hyperlink': {
      const attrs: [string, string][] = [['href', n.href]];
      if (n.target !== null) attrs.push(['target', n.target]);
      return [el('a', attrs, false, convert(n.children, header))];
    }
    case 'bookmark':
      return [el('a', [['id', n.name]], true, [FORCE])];
    case 'image':
      return [el('img', [...(n.alt ? ([['alt', n.alt]] as [string, string][]) : []), ['src', '']], true, [])];
    case 'table': {
      const bodyIndex = n.rows.findIndex((r) => r.type !== 'row' || !r.isHeader);
      const split = bodyIndex === -1 ? n.rows.length : bodyIndex;
      const children =
        split === 0
          ? convert(n.rows, false)
          : [el('thead', [], true, convert(n.rows.slice(0, split), true)), el('tbody', [], true, convert(n.rows.slice(split), false))];
      return [el('table', [], true, [FORCE, ...children])];
    }
    case 'row':
      return [el('tr', [], true, [FORCE, ...convert(n.cells, header)])];
    case 'cell': {
      const attrs: [string, string][] = [];
      if (n.colSpan !== 1) attrs.push(['colspan', String(n.colSpan)]);
      if (n.rowSpan !== 1) attrs.push(['rowspan', String(n.rowSpan)]);
      return [el(header ? 'th' : 'td', attrs, true, [FORCE, ...convert(n.children, header)])];
    }
  }
}

function removeEmpty(nodes: readonly HtmlNode[]): HtmlNode[] {
  const out: HtmlNode[] = [];
  for (const n of nodes) {
    if (n.kind === 'text') {
      if (n.value.length) out.push(n);
    } else if (n.kind === 'force') {
      out.push(n);
    } else {
      const children = removeEmpty(n.children);
      if (children.length || (n.children.length === 0 && VOID.has(n.tag))) out.push({ ...n, children });
    }
  }
  return out;
}

const sameAttrs = (a: [string, string][], b: [string, string][]) => a.length === b.length && a.every(([k, v]) => b.some(([k2, v2]) => k2 === k && v2 === v));

/** A non-fresh element following an element of the same tag and attributes is merged into it. */
function appendChild(children: HtmlNode[], child: HtmlNode): void {
  const last = children[children.length - 1];
  if (child.kind === 'element' && !child.fresh && last?.kind === 'element' && (child.names ?? [child.tag]).includes(last.tag) && sameAttrs(child.attrs, last.attrs)) {
    for (const g of child.children) appendChild(last.children, g);
  } else {
    children.push(child);
  }
}

function collapse(nodes: readonly HtmlNode[]): HtmlNode[] {
  const out: HtmlNode[] = [];
  for (const n of nodes) appendChild(out, n.kind === 'element' ? { ...n, children: collapse(n.children) } : n);
  return out;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function write(nodes: readonly HtmlNode[], out: string[]): void {
  for (const n of nodes) {
    if (n.kind === 'text') out.push(escapeText(n.value));
    else if (n.kind === 'element') {
      const attrs = n.attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
      if (n.children.length === 0 && VOID.has(n.tag)) out.push(`<${n.tag}${attrs} />`);
      else {
        out.push(`<${n.tag}${attrs}>`);
        write(n.children, out);
        out.push(`</${n.tag}>`);
      }
    }
  }
}

/** The HTML mammoth writes for a document body read by readWordBody. */
export function wordToHtml(body: readonly WordNode[]): string {
  const out: string[] = [];
  write(collapse(removeEmpty(convert(body, false))), out);
  return out.join('');
}
