/**
 * A faster road to the same DOM for pages written plainly. parse5 (the HTML standard's parser) is
 * half of an HTML page's extraction time. Most report pages never need its error recovery: every
 * element is closed where it was opened, tables are tables. For such a page, one pass of
 * htmlparser2's tokenizer builds the tree parse5 would build (with parse5-htmlparser2-tree-adapter:
 * the same elements, attributes and text nodes, in the same places; no doctype node, which nothing
 * reads). The moment the page does anything whose tree needs more of the standard than this
 * builder carries out, or where the two tokenizers are known to read bytes differently, the
 * builder gives up (null) and the caller parses with parse5. So this is a shortcut, never a second
 * opinion: test/html-strict-dom.test.ts compares the two trees over every sample and fixture and
 * thousands of damaged copies of them.
 *
 * What the builder carries out of the standard (the rest is refused):
 *  - <html>, <head> and <body> written out, in order, with only head elements in <head>;
 *    white space and comments around them placed where the standard places them; or none of
 *    them, the page starting with body content (mammoth's HTML), which the standard puts in an
 *    implied <html><head></head><body>;
 *  - in <body>, every end tag closing the element opened last (no misnesting, no stray end tag),
 *    and no start tag that would close an open element (a block in an open <p>, <li> in <li>,
 *    a heading in a heading, <a> in <a>, a form in a form);
 *  - tables whose content is rows and cells (a <tbody> is implied around bare rows, as the
 *    standard implies it, and </table> may close an open row group); no text or other element
 *    directly in a table, row group or row (which the standard moves out of the table);
 *  - <select> holding only options.
 * Refused outright: elements the standard parses as raw text or with their own rules (noscript,
 * iframe, textarea, xmp, plaintext, pre, listing, template, svg, math, frames, ruby annotations,
 * nobr, applet, object, marquee, image, button), NUL characters, `--!>`, `<![CDATA[`, end tags
 * with anything after their name, `</ name>`, raw-text content holding its own end tag, scripts
 * holding `<!--` and `<script`, and pages that end inside a tag.
 */
import { Tokenizer } from 'htmlparser2';
import { Comment, Document, Element, type ParentNode, Text } from 'domhandler';
import type { BoundsMeter } from './bounds.js';
import { emptyPacked } from '../../normalize/arrays.js';

/** A tag this builder will not handle: the caller falls back to parse5. */
class Refuse extends Error {}

const refuse = (): never => {
  throw new Refuse();
};

const VOID = new Set(['area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const REFUSED = new Set([
  'html', 'head', 'body', 'frameset', 'frame', 'noscript', 'noembed', 'noframes', 'iframe', 'plaintext', 'xmp', 'textarea',
  'pre', 'listing', 'template', 'svg', 'math', 'rb', 'rp', 'rt', 'rtc', 'nobr', 'applet', 'object', 'marquee', 'image',
  'isindex', 'button', 'menuitem',
]);
const HEAD_CONTENT = new Set(['meta', 'link', 'base', 'basefont', 'bgsound', 'title', 'style', 'script']);
const RAW_TEXT = new Set(['title', 'style', 'script']);
/** Start tags that close a <p> open in button scope (the standard's "in body" rules). */
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset', 'figcaption',
  'figure', 'footer', 'header', 'hgroup', 'main', 'menu', 'nav', 'ol', 'p', 'search', 'section', 'summary', 'ul',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dd', 'dt', 'form', 'hr', 'table', 'pre', 'listing', 'xmp', 'plaintext',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Elements that end "button scope" (no foreign elements reach here). */
const BUTTON_SCOPE = new Set(['applet', 'caption', 'html', 'table', 'td', 'th', 'marquee', 'object', 'template', 'button']);
/** Elements that push a marker on the list of active formatting elements. */
const MARKERS = new Set(['td', 'th', 'caption', 'applet', 'object', 'marquee', 'template', 'html']);
/** The standard's "special" elements (HTML namespace). */
const SPECIAL = new Set([
  'address', 'applet', 'area', 'article', 'aside', 'base', 'basefont', 'bgsound', 'blockquote', 'body', 'br', 'button',
  'caption', 'center', 'col', 'colgroup', 'dd', 'details', 'dir', 'div', 'dl', 'dt', 'embed', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'frame', 'frameset', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head', 'header', 'hgroup', 'hr',
  'html', 'iframe', 'img', 'input', 'keygen', 'li', 'link', 'listing', 'main', 'marquee', 'menu', 'meta', 'nav',
  'noembed', 'noframes', 'noscript', 'object', 'ol', 'p', 'param', 'plaintext', 'pre', 'script', 'search', 'section',
  'select', 'source', 'style', 'summary', 'table', 'tbody', 'td', 'template', 'textarea', 'tfoot', 'th', 'thead',
  'title', 'tr', 'track', 'ul', 'wbr', 'xmp',
]);
const TABLE_PARTS = new Set(['caption', 'colgroup', 'col', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th']);
const SECTIONS = new Set(['tbody', 'thead', 'tfoot']);
/** Where text other than white space would be moved out of the table. */
const TABLE_CONTEXT = new Set(['table', 'tbody', 'thead', 'tfoot', 'tr', 'colgroup']);
const HTML_SPACE = /^[\t\n\f\r ]*$/;
const LEADING_SPACE = /^[\t\n\f\r ]+/;
const ASCII_UPPER = /[A-Z]/;

const NON_ASCII = /[^\x00-\x7f]/;

/** The standard lowers ASCII letters only; the bounds meter was written with toLowerCase. */
const asciiLower = (s: string) => (ASCII_UPPER.test(s) ? s.replace(/[A-Z]+/g, lowerMatch) : s);
// Module-level: a closure made per call is compiled again and again.
const lowerMatch = (m: string) => m.toLowerCase();

type Mode = 'start' | 'html' | 'head' | 'afterHead' | 'body' | 'afterBody';

/**
 * The DOM parse5 builds for `html`, or null when the page needs more than this builder does.
 * With a `meter` (see bounds.ts), the same pass measures the whole page, refused or not, and
 * throws its TooComplexError: a page over the limits is never built past them.
 */
export function strictDom(input: string, meter?: BoundsMeter): Document | null {
  const plain = !(input.includes('\0') || input.includes('--!>') || input.includes('<![CDATA['));
  if (!plain && !meter) return null;
  // The standard's input stream turns CR LF and lone CR into LF before tokenizing.
  const html = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
  return build(html, plain, meter);
}

function build(html: string, plain: boolean, meter: BoundsMeter | undefined): Document | null {
  const b = new Builder(html, plain, meter);
  const tokenizer = new Tokenizer({ xmlMode: false, decodeEntities: true }, b);
  if (meter) meter.measure(tokenizer, html);
  else {
    tokenizer.write(html);
    tokenizer.end();
  }
  return b.finish();
}

/**
 * The builder and the tokenizer's callbacks, as a class rather than closures made per page:
 * V8 drops a closure's optimized code once none of its closures is alive, so they compiled again and again.
 */
class Builder {
  readonly html: string;
  readonly meter: BoundsMeter | undefined;
  readonly doc: Document;
  /** False from the first refusal on: the tokenizer then runs on only to measure the page. */
  building: boolean;
  /** The open elements; an implied <tbody> is one of them, closed as a written one would be. */
  readonly stack: Element[];
  mode: Mode;
  htmlEl: Element | null;
  bodyEl: Element | null;
  text: string;
  tag: string;
  attribs: Record<string, string>;
  attrName: string;
  attrValue: string;
  lastGt: number;

  constructor(html: string, plain: boolean, meter: BoundsMeter | undefined) {
    this.html = html;
    this.meter = meter;
    // Lists of nodes made with one elements kind (a `[]` literal starts as small integers, and
    // append, push and the tree walks were deoptimized by the two kinds; doc/jit-warm-up.md).
    this.doc = new Document(emptyPacked());
    this.building = plain;
    this.stack = emptyPacked<Element>();
    this.mode = 'start';
    this.htmlEl = null;
    this.bodyEl = null;
    this.text = '';
    this.tag = '';
    this.attribs = Object.create(null);
    this.attrName = '';
    this.attrValue = '';
    this.lastGt = -1;
  }

  refused(err: unknown): void {
    if (!(err instanceof Refuse)) throw err;
    this.building = false;
  }

  cur(): Element | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** Text gathered between tags (entities arrive as separate pieces), placed at the next event. */
  flushText(): void {
    if (!this.text) return;
    const data = this.text;
    this.text = '';
    const space = HTML_SPACE.test(data);
    switch (this.mode) {
      case 'start':
        if (space) return; // "initial" and "before html" drop white space
        this.impliedBody();
        appendText(this.bodyEl!, data.replace(LEADING_SPACE, ''));
        return;
      case 'html':
        if (!space) refuse();
        return; // "before head" drops white space
      case 'head':
        if (!space && !RAW_TEXT.has(this.cur()!.name)) refuse();
        appendText(this.cur()!, data);
        return;
      case 'afterHead':
        if (!space) refuse();
        appendText(this.htmlEl!, data);
        return;
      case 'afterBody':
        // After </body> (and </html>) white space still goes to the end of <body>.
        if (!space) refuse();
        appendText(this.bodyEl!, data);
        return;
      case 'body': {
        const c = this.cur()!;
        if (!space && (TABLE_CONTEXT.has(c.name) || c.name === 'select' || c.name === 'optgroup')) refuse();
        appendText(c, data);
      }
    }
  }

  impliedBody(): void {
    const htmlEl = open('html', Object.create(null), this.doc);
    this.htmlEl = htmlEl;
    open('head', Object.create(null), htmlEl);
    const bodyEl = open('body', Object.create(null), htmlEl);
    this.bodyEl = bodyEl;
    this.stack.push(htmlEl, bodyEl);
    this.mode = 'body';
  }

  /**
   * The standard's walk down the stack of open elements: is one of `targets` open above the
   * first of `stops`? (A <p> in button scope, an open <a> before a marker, an item <li>/<dd>/<dt>
   * would close.)
   */
  openAbove(targets: ReadonlySet<string>, stops: ReadonlySet<string>): boolean {
    const stack = this.stack;
    for (let i = stack.length - 1; i >= 0; i--) {
      const n = stack[i]!.name;
      if (targets.has(n)) return true;
      if (stops.has(n)) return false;
    }
    return false;
  }

  hasOpen(name: string): boolean {
    const stack = this.stack;
    for (let i = 0; i < stack.length; i++) if (stack[i]!.name === name) return true;
    return false;
  }

  startInBody(name: string, attrs: Record<string, string>): void {
    let c = this.cur()!;
    if (REFUSED.has(name)) refuse();
    // An implied (or written) row group closes before a new row group or caption.
    if (SECTIONS.has(c.name) && (name === 'caption' || name === 'colgroup' || SECTIONS.has(name))) {
      this.stack.pop();
      c = this.cur()!;
    }
    if (TABLE_CONTEXT.has(c.name) || c.name === 'select' || c.name === 'optgroup' || c.name === 'option') {
      this.tableChild(c, name, attrs);
      return;
    }
    if (TABLE_PARTS.has(name)) refuse();
    if (name === 'option' || name === 'optgroup') refuse(); // outside <select>
    if (CLOSES_P.has(name) && this.openAbove(P, BUTTON_SCOPE)) refuse();
    if (HEADINGS.has(name) && HEADINGS.has(c.name)) refuse();
    if (name === 'li' && this.openAbove(LI, ITEM_SCOPE)) refuse();
    if ((name === 'dd' || name === 'dt') && this.openAbove(DD_DT, ITEM_SCOPE)) refuse();
    if (name === 'a' && this.openAbove(A, MARKERS)) refuse();
    if (name === 'form' && this.hasOpen('form')) refuse();
    const el = open(name, attrs, c);
    if (!VOID.has(name)) this.stack.push(el);
  }

  /** A start tag whose current node is a table part or a <select>: only the expected children. */
  tableChild(c: Element, name: string, attrs: Record<string, string>): void {
    const ok =
      (c.name === 'table' && (name === 'caption' || name === 'colgroup' || SECTIONS.has(name) || name === 'tr')) ||
      (SECTIONS.has(c.name) && name === 'tr') ||
      (c.name === 'tr' && (name === 'td' || name === 'th')) ||
      (c.name === 'colgroup' && name === 'col') ||
      (c.name === 'select' && (name === 'option' || name === 'optgroup')) ||
      (c.name === 'optgroup' && name === 'option');
    if (!ok) refuse();
    if (c.name === 'table' && name === 'tr') {
      // The standard implies a <tbody> around rows written straight into a table.
      const tbody = open('tbody', Object.create(null), c);
      this.stack.push(tbody);
      c = tbody;
    }
    const el = open(name, attrs, c);
    if (!VOID.has(name)) this.stack.push(el);
  }

  startTag(name: string, attrs: Record<string, string>): void {
    switch (this.mode) {
      case 'start': {
        if (name !== 'html') {
          // A fragment (mammoth's HTML): the standard implies <html>, an empty <head> and <body>.
          if (HEAD_CONTENT.has(name)) refuse();
          this.impliedBody();
          this.startInBody(name, attrs);
          return;
        }
        const htmlEl = open(name, attrs, this.doc);
        this.htmlEl = htmlEl;
        this.stack.push(htmlEl);
        this.mode = 'html';
        return;
      }
      case 'html':
        if (name !== 'head') refuse();
        this.stack.push(open(name, attrs, this.htmlEl!));
        this.mode = 'head';
        return;
      case 'head': {
        if (this.cur()!.name !== 'head' || !HEAD_CONTENT.has(name)) refuse();
        const el = open(name, attrs, this.cur()!);
        if (!VOID.has(name)) this.stack.push(el);
        return;
      }
      case 'afterHead': {
        if (name !== 'body') refuse();
        const bodyEl = open(name, attrs, this.htmlEl!);
        this.bodyEl = bodyEl;
        this.stack.push(bodyEl);
        this.mode = 'body';
        return;
      }
      case 'body':
        this.startInBody(name, attrs);
        return;
      default:
        refuse();
    }
  }

  endTag(name: string): void {
    const c = this.cur();
    const mode = this.mode;
    if (mode === 'afterBody') {
      if (name !== 'html') refuse();
      return;
    }
    if (!c || (mode !== 'head' && mode !== 'body')) refuse();
    if (mode === 'body' && c!.name === 'body' && (name === 'body' || name === 'html')) {
      // </body> leaves <body> open in the standard: later white space still lands in it.
      this.mode = 'afterBody';
      return;
    }
    if (name === 'table' && SECTIONS.has(c!.name)) this.stack.pop();
    if (this.cur()?.name !== name) refuse();
    const el = this.stack.pop()!;
    if (RAW_TEXT.has(name)) checkRawText(el, name);
    if (mode === 'head' && name === 'head') this.mode = 'afterHead';
  }

  // The tokenizer's callbacks.

  ontext(start: number, end: number): void {
    if (this.building) this.text += this.html.slice(start, end);
  }

  ontextentity(cp: number): void {
    if (this.building) this.text += String.fromCodePoint(cp);
  }

  onopentagname(start: number, end: number): void {
    const raw = this.html.slice(start, end);
    const tag = asciiLower(raw);
    this.tag = tag;
    this.meter?.openTagName(NON_ASCII.test(raw) ? raw.toLowerCase() : tag);
    if (!this.building) return;
    try {
      this.flushText();
    } catch (err) {
      this.refused(err);
    }
    this.attribs = Object.create(null);
  }

  onattribname(start: number, end: number): void {
    this.meter?.attribName();
    if (!this.building) return;
    this.attrName = asciiLower(this.html.slice(start, end));
    this.attrValue = '';
  }

  onattribdata(start: number, end: number): void {
    if (this.building) this.attrValue += this.html.slice(start, end);
  }

  onattribentity(cp: number): void {
    if (this.building) this.attrValue += String.fromCodePoint(cp);
  }

  onattribend(): void {
    // The first of two attributes with one name wins.
    if (this.building && !(this.attrName in this.attribs)) this.attribs[this.attrName] = this.attrValue;
  }

  onopentagend(endIndex: number): void {
    this.meter?.openTagEnd();
    if (!this.building) return;
    try {
      this.lastGt = endIndex;
      this.startTag(this.tag, this.attribs);
    } catch (err) {
      this.refused(err);
    }
  }

  onselfclosingtag(endIndex: number): void {
    this.meter?.selfClosingTag();
    if (!this.building) return;
    try {
      // HTML ignores the slash on its own elements; but htmlparser2 would then not read a
      // <script/> or <title/> as raw text, as the standard does.
      if (RAW_TEXT.has(this.tag)) refuse();
      this.lastGt = endIndex;
      this.startTag(this.tag, this.attribs);
    } catch (err) {
      this.refused(err);
    }
  }

  onclosetag(start: number, end: number): void {
    const html = this.html;
    const raw = html.slice(start, end);
    const name = asciiLower(raw);
    this.meter?.closeTag(NON_ASCII.test(raw) ? raw.toLowerCase() : name);
    if (!this.building) return;
    try {
      // `</ div>` and `</div x=">">` are read differently by the two tokenizers.
      if (html[end] !== '>' || html[start - 1] !== '/' || html[start - 2] !== '<') refuse();
      this.flushText();
      this.lastGt = end;
      this.endTag(name);
    } catch (err) {
      this.refused(err);
    }
  }

  oncomment(start: number, end: number, offset: number): void {
    if (!this.building) return;
    try {
      this.flushText();
      if (offset) this.lastGt = end;
      const node = new Comment(this.html.slice(start, end - offset));
      // Comments land in the current node; after </body> in <html>.
      if (this.mode === 'afterBody') append(this.htmlEl!, node);
      else append(this.cur() ?? this.doc, node);
    } catch (err) {
      this.refused(err);
    }
  }

  oncdata(): void {
    this.building = false;
  }

  ondeclaration(start: number, end: number): void {
    if (this.building) this.bogusComment(start, end);
  }

  onprocessinginstruction(start: number, end: number): void {
    if (this.building) this.bogusComment(start, end);
  }

  onend(): void {
    if (!this.building) return;
    try {
      this.flushText();
    } catch (err) {
      this.refused(err);
    }
  }

  /**
   * `<!…>` and `<?…>` (Word's `<![if …]>`, `<?xml:namespace …>`): the standard reads them as
   * comments ending at the first `>`, as htmlparser2 ends them; a doctype is no node here.
   */
  bogusComment(start: number, end: number): void {
    try {
      this.flushText();
      this.lastGt = end;
      if (/^doctype/i.test(this.html.slice(start, start + 7))) {
        if (this.mode !== 'start') refuse();
        return;
      }
      append(this.mode === 'afterBody' ? this.htmlEl! : (this.cur() ?? this.doc), new Comment(this.html.slice(start, end)));
    } catch (err) {
      this.refused(err);
    }
  }

  /** The document, once the tokenizer has run; null when refused. */
  finish(): Document | null {
    if (!this.building) return null;
    try {
      // Raw text left open at the end of the page is checked as when it closes.
      const last = this.cur();
      if (last && RAW_TEXT.has(last.name)) checkRawText(last, last.name);
      // A page that ends inside a tag or declaration: the tokenizers part ways there.
      if (!HTML_SPACE.test(this.html.slice(this.lastGt + 1))) refuse();
      if (!this.bodyEl) refuse();
    } catch (err) {
      this.refused(err);
      return null;
    }
    return this.doc;
  }
}

function append(parent: ParentNode, node: Element | Text | Comment): void {
  const prev = parent.children[parent.children.length - 1];
  if (prev) {
    prev.next = node;
    node.prev = prev;
  }
  parent.children.push(node);
  node.parent = parent;
}

function appendText(parent: ParentNode, data: string): void {
  const last = parent.children[parent.children.length - 1];
  if (last instanceof Text) last.data += data;
  else append(parent, new Text(data));
}

function open(name: string, attrs: Record<string, string>, parent: ParentNode): Element {
  const el = new Element(name, attrs, emptyPacked());
  append(parent, el);
  return el;
}

/** Raw text that holds its own end tag (`</script/>`) or a script's escapes ends elsewhere in the standard. */
function checkRawText(el: Element, name: string): void {
  const content = el.children.length ? (el.children[0] as Text).data : '';
  const lower = content.toLowerCase();
  if (lower.includes(`</${name}`)) refuse();
  if (name === 'script' && lower.includes('<!--') && lower.includes('<script')) refuse();
}

const P: ReadonlySet<string> = new Set(['p']);
const A: ReadonlySet<string> = new Set(['a']);
const LI: ReadonlySet<string> = new Set(['li']);
const DD_DT: ReadonlySet<string> = new Set(['dd', 'dt']);
/** Where the standard's loop for <li>, <dd> and <dt> stops: special elements but address, div and p. */
const ITEM_SCOPE: ReadonlySet<string> = new Set([...SPECIAL].filter((n) => n !== 'address' && n !== 'div' && n !== 'p'));
