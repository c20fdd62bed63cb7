/**
 * A DOCX's `word/document.xml` read into the few kinds of element mammoth's HTML is made of
 * (paragraphs, runs, text, tabs, breaks, links, bookmarks, images, tables with their merges),
 * following mammoth's own reader (node_modules/mammoth/lib/docx/body-reader.js) rule for rule,
 * so that the HTML written from them is mammoth's, byte for byte, at a fraction of the cost
 * (mammoth's generic DOM and promise chains were ~90% of a Word document's extraction).
 *
 * Only what reports use is read here. Anything whose HTML mammoth builds from more than the
 * element itself — footnotes and endnotes, text boxes and VML pictures,
 * form check boxes, field hyperlinks, symbols, deleted paragraphs, tables with stray content
 * between rows — makes the reader give up (`null`), and the document goes to mammoth instead.
 */
import { DomHandler, Parser } from 'htmlparser2';
import type { AnyNode, Element } from 'domhandler';
import type { DocxParts } from './zip-guard.js';
import { type ListLevel, type Numbering, NumberingUnsupported, paragraphLevel, readNumbering } from './word-numbering.js';

export interface RunProps {
  styleName: string | null;
  bold: boolean;
  italic: boolean;
  strike: boolean;
  vertAlign: string | undefined;
}

export type WordNode =
  | { type: 'paragraph'; styleId: string | null; styleName: string | null; list: ListLevel | null; children: WordNode[] }
  | { type: 'run'; props: RunProps; children: WordNode[] }
  | { type: 'text'; value: string }
  | { type: 'lineBreak' }
  | { type: 'hyperlink'; href: string; target: string | null; children: WordNode[] }
  | { type: 'bookmark'; name: string }
  | { type: 'image'; alt: string | undefined }
  | { type: 'table'; rows: WordNode[] }
  | { type: 'row'; isHeader: boolean; cells: WordNode[] }
  | { type: 'cell'; colSpan: number; rowSpan: number; vMerge: boolean | null; children: WordNode[] };

/** Thrown inside the reader for anything left to mammoth; caught by readWordBody. */
class Unsupported extends Error {}

const W_MAIN = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL_BASE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/';

/** Elements mammoth reads through (their children are read in their place). */
const READ_THROUGH = new Set(['w:customXml', 'w:ins', 'w:moveFromRangeEnd', 'w:moveFromRangeStart', 'w:moveTo', 'w:moveToRangeEnd', 'w:moveToRangeStart', 'w:smartTag', 'w:drawing', 'v:roundrect', 'v:shape', 'v:textbox', 'w:txbxContent', 'v:group', 'v:rect']);
/** Elements whose HTML needs more of the package than this reader keeps: mammoth handles them. */
const UNSUPPORTED = new Set(['w:pict', 'w:object', 'v:imagedata', 'w:sym', 'w:footnoteReference', 'w:endnoteReference']);

const elements = (n: Element): Element[] => n.children.filter((c): c is Element => c.type === 'tag');
const first = (n: Element | undefined, name: string): Element | undefined => n?.children.find((c): c is Element => c.type === 'tag' && c.name === name);
const attr = (n: Element | undefined, name: string): string | undefined => n?.attribs[name];

/** An attribute value that reaches the HTML: XML parsers normalise white space in attribute values, so values holding any are left to mammoth. */
function outAttr<T extends string | undefined | null>(v: T): T {
  if (v && /[\t\n\r]/.test(v)) throw new Unsupported('white space in an attribute');
  return v;
}

function textOf(n: Element): string {
  let s = '';
  for (const c of n.children) {
    if (c.type === 'text') s += (c as unknown as { data: string }).data;
    else if (c.type === 'cdata') throw new Unsupported('CDATA');
    else throw new Unsupported('markup inside text');
  }
  // XML parsers normalise line ends in text; which do what is left to mammoth's.
  if (s.includes('\r')) throw new Unsupported('carriage return in text');
  return s;
}

function parseXml(xml: Buffer | undefined): Element | null {
  if (!xml) return null;
  // Parts in UTF-16 go to mammoth (its unzip reads every part as UTF-8).
  if ((xml[0] === 0xff && xml[1] === 0xfe) || (xml[0] === 0xfe && xml[1] === 0xff)) throw new Unsupported('UTF-16 part');
  const text = xml.toString('utf8').replace(/^\uFEFF/, '');
  // htmlparser2 mends broken markup where an XML parser (mammoth's) stops: a tag it had to
  // close itself means the part is not well-formed, and mammoth decides what that costs.
  let mended = false;
  const handler = new DomHandler();
  const parser = new Parser(
    {
      onparserinit: (p) => handler.onparserinit(p),
      onreset: () => handler.onreset(),
      onend: () => handler.onend(),
      onerror: (e) => handler.onerror(e),
      onopentag: (name, attribs) => handler.onopentag(name, attribs),
      onclosetag: (_name, implied) => {
        // A self-closing tag is reported as implied too: it ends in "/>".
        if (implied && !(text[parser.endIndex] === '>' && text[parser.endIndex - 1] === '/')) mended = true;
        handler.onclosetag();
      },
      ontext: (t) => handler.ontext(t),
      oncomment: (c) => handler.oncomment(c),
      oncommentend: () => handler.oncommentend(),
      oncdatastart: () => handler.oncdatastart(),
      oncdataend: () => handler.oncdataend(),
      onprocessinginstruction: (n, d) => handler.onprocessinginstruction(n, d),
    },
    { xmlMode: true },
  );
  parser.end(text);
  if (mended) throw new Unsupported('malformed XML');
  const root = (handler.root.children.find((c) => c.type === 'tag') as Element | undefined) ?? null;
  if (root && text.includes('<mc:AlternateContent')) collapseAlternateContent(root);
  return root;
}

/**
 * As mammoth reads a part: every mc:AlternateContent is replaced by the children of its
 * mc:Fallback (the form every reader understands), wherever it is — in properties too.
 */
function collapseAlternateContent(el: Element): void {
  if (!el.children.some((c) => c.type === 'tag')) return;
  const out: AnyNode[] = [];
  for (const c of el.children) {
    if (c.type === 'tag' && (c as Element).name === 'mc:AlternateContent') {
      // mammoth does not look inside the fallback it puts in place: one nested there stays,
      // for the body reader to meet (and read its fallback) or for a property lookup to miss.
      out.push(...(first(c as Element, 'mc:Fallback')?.children ?? []));
    } else {
      if (c.type === 'tag') collapseAlternateContent(c as Element);
      out.push(c);
    }
  }
  el.children = out as Element['children'];
}

interface Rels {
  byId: Map<string, string>;
  byType: Map<string, string[]>;
}

function readRels(root: Element | null): Rels {
  const byId = new Map<string, string>();
  const byType = new Map<string, string[]>();
  for (const r of root ? elements(root) : []) {
    if (r.name !== 'Relationship') continue;
    // A repeated id: the last one wins, as in mammoth's relationships reader.
    if (r.attribs.Id !== undefined) byId.set(r.attribs.Id, r.attribs.Target!);
    const list = byType.get(r.attribs.Type!) ?? [];
    list.push(r.attribs.Target!);
    byType.set(r.attribs.Type!, list);
  }
  return { byId, byType };
}

/** mammoth's findPartPath: the first target of the type that exists, else the fallback path. */
function partPath(parts: { has(name: string): boolean }, rels: Rels, type: string, base: string, fallback: string): string {
  for (const t of rels.byType.get(type) ?? []) {
    const joined = (base ? `${base}/${t}` : t).replace(/^\//, '');
    const path = t.startsWith('/') ? t.slice(1) : joined;
    if (parts.has(path)) return path;
  }
  return fallback;
}

interface Styles {
  paragraph: Map<string, string | null>;
  character: Map<string, string | null>;
  /** Numbering styles: their w:numId. */
  numbering: Map<string, string | undefined>;
}

function readStyles(root: Element | null): Styles {
  const paragraph = new Map<string, string | null>();
  const character = new Map<string, string | null>();
  const numbering = new Map<string, string | undefined>();
  for (const s of root ? elements(root) : []) {
    if (s.name !== 'w:style') continue;
    const type = s.attribs['w:type'];
    const id = s.attribs['w:styleId'];
    // The first definition of an id wins (ECMA-376 17.7.4.17), as in mammoth.
    if (id === undefined) continue;
    if (type === 'numbering') {
      if (!numbering.has(id)) numbering.set(id, attr(first(first(first(s, 'w:pPr'), 'w:numPr'), 'w:numId'), 'w:val'));
      continue;
    }
    const set = type === 'paragraph' ? paragraph : type === 'character' ? character : null;
    if (set && !set.has(id)) set.set(id, attr(first(s, 'w:name'), 'w:val') ?? null);
  }
  return { paragraph, character, numbering };
}

const truthy = (el: Element | undefined): boolean => !!el && el.attribs['w:val'] !== 'false' && el.attribs['w:val'] !== '0';

function readBody(body: Element, rels: Rels, styles: Styles, numbering: Numbering): WordNode[] {
  const readAll = (nodes: readonly AnyNode[]): WordNode[] => {
    const out: WordNode[] = [];
    for (const n of nodes) if (n.type === 'tag') out.push(...read(n as Element));
    return out;
  };

  const read = (el: Element): WordNode[] => {
    const name = el.name;
    if (UNSUPPORTED.has(name)) throw new Unsupported(name);
    if (READ_THROUGH.has(name)) return readAll(el.children);
    switch (name) {
      case 'mc:AlternateContent':
        return readAll(first(el, 'mc:Fallback')?.children ?? []);
      case 'w:p':
        return [paragraph(el)];
      case 'w:r':
        return [run(el)];
      case 'w:t':
        return [{ type: 'text', value: textOf(el) }];
      case 'w:tab':
        return [{ type: 'text', value: '\t' }];
      case 'w:noBreakHyphen':
        return [{ type: 'text', value: '\u2011' }];
      case 'w:softHyphen':
        return [{ type: 'text', value: '\u00AD' }];
      case 'w:br': {
        const t = el.attribs['w:type'];
        // Page and column breaks write nothing; other types are ignored by mammoth.
        return t === undefined || t === 'textWrapping' ? [{ type: 'lineBreak' }] : [];
      }
      case 'w:hyperlink':
        return hyperlink(el);
      case 'w:bookmarkStart': {
        const n = outAttr(el.attribs['w:name']);
        if (n === undefined) throw new Unsupported('bookmark without a name');
        return n === '_GoBack' ? [] : [{ type: 'bookmark', name: n }];
      }
      case 'w:fldChar':
        return [];
      case 'w:instrText':
        // Field codes write nothing, except a link or a check box, which change the HTML.
        if (/HYPERLINK|FORMCHECKBOX/.test(textOf(el))) throw new Unsupported('field hyperlink or check box');
        return [];
      case 'w:sdt': {
        if (elements(first(el, 'w:sdtPr') ?? el).some((c) => c.name.endsWith(':checkbox'))) throw new Unsupported('check box');
        return readAll(first(el, 'w:sdtContent')?.children ?? []);
      }
      case 'w:commentReference':
        // mammoth's default style map ignores comment references.
        return [];
      case 'wp:inline':
      case 'wp:anchor':
        return drawing(el);
      case 'w:tbl':
        return [table(el)];
      case 'w:tr':
        return row(el);
      case 'w:tc':
        return [cell(el)];
      default:
        // Unrecognised or ignored elements (w:sectPr, w:pPr, w:del, w:fldSimple, m:oMath …)
        // contribute nothing, as in mammoth.
        return [];
    }
  };

  const paragraph = (el: Element): WordNode => {
    const pPr = first(el, 'w:pPr');
    if (first(first(pPr, 'w:rPr'), 'w:del')) throw new Unsupported('deleted paragraph mark');
    const styleId = attr(first(pPr, 'w:pStyle'), 'w:val') ?? null;
    const styleName = styleId ? (styles.paragraph.get(styleId) ?? null) : null;
    const list = paragraphLevel(numbering, styleId, first(pPr, 'w:numPr')) ?? null;
    return { type: 'paragraph', styleId, styleName, list, children: readAll(el.children) };
  };

  const run = (el: Element): WordNode => {
    const rPr = first(el, 'w:rPr');
    const styleId = attr(first(rPr, 'w:rStyle'), 'w:val');
    const props: RunProps = {
      styleName: styleId === undefined ? null : (styles.character.get(styleId) ?? null),
      bold: truthy(first(rPr, 'w:b')),
      italic: truthy(first(rPr, 'w:i')),
      strike: truthy(first(rPr, 'w:strike')),
      vertAlign: attr(first(rPr, 'w:vertAlign'), 'w:val'),
    };
    return { type: 'run', props, children: readAll(el.children) };
  };

  const hyperlink = (el: Element): WordNode[] => {
    const children = readAll(el.children);
    const id = el.attribs['r:id'];
    const anchor = el.attribs['w:anchor'];
    // mammoth tests these for truth, not presence: an empty attribute counts as none.
    const target = outAttr(el.attribs['w:tgtFrame'] || null);
    if (id) {
      let href = outAttr(rels.byId.get(id));
      if (href === undefined) throw new Unsupported('hyperlink to a missing relationship');
      if (outAttr(anchor)) href = `${href.includes('#') ? href.slice(0, href.indexOf('#')) : href}#${anchor}`;
      return [{ type: 'hyperlink', href, target, children }];
    }
    if (anchor) return [{ type: 'hyperlink', href: `#${anchor}`, target, children }];
    return children;
  };

  const drawing = (el: Element): WordNode[] => {
    const docPr = first(el, 'wp:docPr');
    if (first(docPr, 'a:hlinkClick')) throw new Unsupported('linked image');
    const blips: Element[] = [];
    for (const g of elements(el).filter((c) => c.name === 'a:graphic')) {
      for (const d of elements(g).filter((c) => c.name === 'a:graphicData')) {
        for (const p of elements(d).filter((c) => c.name === 'pic:pic')) {
          for (const f of elements(p).filter((c) => c.name === 'pic:blipFill')) blips.push(...elements(f).filter((c) => c.name === 'a:blip'));
        }
      }
    }
    const descr = docPr?.attribs.descr;
    const alt = outAttr(descr === undefined || /^\s*$/.test(descr) ? docPr?.attribs.title : descr);
    // A blip naming no image file is dropped; images themselves are never read (src="").
    const named = blips.filter((b) => b.attribs['r:embed'] || b.attribs['r:link']);
    if (named.some((b) => !rels.byId.has(b.attribs['r:embed'] || b.attribs['r:link']!))) throw new Unsupported('image with a missing relationship');
    return named.map(() => ({ type: 'image', alt }));
  };

  const table = (el: Element): WordNode => {
    const rows = readAll(el.children);
    // Stray content between rows or cells makes mammoth drop its merges: left to it.
    if (rows.some((r) => r.type !== 'row' || r.cells.some((c) => c.type !== 'cell'))) throw new Unsupported('non-row content in a table');
    // mammoth's calculateRowSpans: a continuing vMerge cell lengthens the last cell that
    // started at its column index, in whatever row that was.
    const columns = new Map<number, Extract<WordNode, { type: 'cell' }>>();
    for (const r of rows as Extract<WordNode, { type: 'row' }>[]) {
      let index = 0;
      for (const c of r.cells as Extract<WordNode, { type: 'cell' }>[]) {
        const top = columns.get(index);
        if (c.vMerge && top) top.rowSpan++;
        else {
          columns.set(index, c);
          c.vMerge = false;
        }
        index += c.colSpan;
      }
    }
    for (const r of rows as Extract<WordNode, { type: 'row' }>[]) r.cells = r.cells.filter((c) => c.type === 'cell' && !c.vMerge);
    return { type: 'table', rows };
  };

  const row = (el: Element): WordNode[] => {
    const trPr = first(el, 'w:trPr');
    if (first(trPr, 'w:del')) return [];
    return [{ type: 'row', isHeader: !!first(trPr, 'w:tblHeader'), cells: readAll(el.children) }];
  };

  const cell = (el: Element): WordNode => {
    const children = readAll(el.children);
    const tcPr = first(el, 'w:tcPr');
    const span = attr(first(tcPr, 'w:gridSpan'), 'w:val');
    if (span !== undefined && !/^[1-9]\d{0,3}$/.test(span)) throw new Unsupported(`gridSpan ${span}`);
    const vm = first(tcPr, 'w:vMerge');
    const vMerge = vm ? vm.attribs['w:val'] === 'continue' || !vm.attribs['w:val'] : null;
    return { type: 'cell', colSpan: span ? Number(span) : 1, rowSpan: 1, vMerge, children };
  };

  return readAll(body.children);
}

/**
 * The body of a DOCX (its XML parts, inflated) as mammoth would read it, or null when the
 * document uses something this reader leaves to mammoth.
 */
export function readWordBody(archive: DocxParts): WordNode[] | null {
  const names = new Set(archive.names);
  // A duplicated entry (which copy mammoth's unzip reads is its own affair) or mammoth's own
  // embedded style map: left to mammoth.
  if (names.size !== archive.names.length || names.has('mammoth/style-map')) return null;
  const parts = { has: (n: string) => names.has(n), get: (n: string) => archive.xml.get(n) };
  try {
    const pkg = readRels(parseXml(parts.get('_rels/.rels')));
    const main = partPath(parts, pkg, `${REL_BASE}officeDocument`, '', 'word/document.xml');
    if (main !== 'word/document.xml') return null;
    const rels = readRels(parseXml(parts.get('word/_rels/document.xml.rels')));
    const stylesPath = partPath(parts, rels, `${REL_BASE}styles`, 'word', 'word/styles.xml');
    const numberingPath = partPath(parts, rels, `${REL_BASE}numbering`, 'word', 'word/numbering.xml');
    const root = parseXml(parts.get(main));
    if (!root || root.name !== 'w:document' || root.attribs['xmlns:w'] !== W_MAIN) return null;
    // Relationship ids are read under the r: prefix: another binding of it is left to mammoth.
    if (root.attribs['xmlns:r'] !== undefined && root.attribs['xmlns:r'] !== R_NS) return null;
    const body = first(root, 'w:body');
    if (!body) return null;
    const styles = readStyles(parseXml(parts.get(stylesPath)));
    return readBody(body, rels, styles, readNumbering(parseXml(parts.get(numberingPath)), styles.numbering));
  } catch (err) {
    if (err instanceof Unsupported || err instanceof NumberingUnsupported) return null;
    throw err;
  }
}
