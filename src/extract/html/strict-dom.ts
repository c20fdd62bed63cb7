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
const asciiLower = (s: string) => (ASCII_UPPER.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s);

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
  const doc = new Document([]);
  /** False from the first refusal on: the tokenizer then runs on only to measure the page. */
  let building = plain;
  const refused = (err: unknown) => {
    if (!(err instanceof Refuse)) throw err;
    building = false;
  };
  /** The open elements; an implied <tbody> is one of them, closed as a written one would be. */
  const stack: Element[] = [];
  let mode: Mode = 'start';
  let htmlEl: Element | null = null;
  let bodyEl: Element | null = null;
  let text = '';
  let tag = '';
  let attribs: Record<string, string> = Object.create(null);
  let attrName = '';
  let attrValue = '';
  let lastGt = -1;

  const cur = (): Element | undefined => stack[stack.length - 1];

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

  /** Text gathered between tags (entities arrive as separate pieces), placed at the next event. */
  function flushText(): void {
    if (!text) return;
    const data = text;
    text = '';
    const space = HTML_SPACE.test(data);
    switch (mode) {
      case 'start':
        if (space) return; // "initial" and "before html" drop white space
        impliedBody();
        appendText(bodyEl!, data.replace(LEADING_SPACE, ''));
        return;
      case 'html':
        if (!space) refuse();
        return; // "before head" drops white space
      case 'head':
        if (!space && !RAW_TEXT.has(cur()!.name)) refuse();
        appendText(cur()!, data);
        return;
      case 'afterHead':
        if (!space) refuse();
        appendText(htmlEl!, data);
        return;
      case 'afterBody':
        // After </body> (and </html>) white space still goes to the end of <body>.
        if (!space) refuse();
        appendText(bodyEl!, data);
        return;
      case 'body': {
        const c = cur()!;
        if (!space && (TABLE_CONTEXT.has(c.name) || c.name === 'select' || c.name === 'optgroup')) refuse();
        appendText(c, data);
      }
    }
  }

  function open(name: string, attrs: Record<string, string>, parent: ParentNode): Element {
    const el = new Element(name, attrs, []);
    append(parent, el);
    return el;
  }

  function impliedBody(): void {
    htmlEl = open('html', Object.create(null), doc);
    open('head', Object.create(null), htmlEl);
    bodyEl = open('body', Object.create(null), htmlEl);
    stack.push(htmlEl, bodyEl);
    mode = 'body';
  }

  /**
   * The standard's walk down the stack of open elements: is one of `targets` open above the
   * first of `stops`? (A <p> in button scope, an open <a> before a marker, an item <li>/<dd>/<dt>
   * would close.)
   */
  function openAbove(targets: ReadonlySet<string>, stops: ReadonlySet<string>): boolean {
    for (let i = stack.length - 1; i >= 0; i--) {
      const n = stack[i]!.name;
      if (targets.has(n)) return true;
      if (stops.has(n)) return false;
    }
    return false;
  }

  function startInBody(name: string, attrs: Record<string, string>): void {
    let c = cur()!;
    if (REFUSED.has(name)) refuse();
    // An implied (or written) row group closes before a new row group or caption.
    if (SECTIONS.has(c.name) && (name === 'caption' || name === 'colgroup' || SECTIONS.has(name))) {
      stack.pop();
      c = cur()!;
    }
    if (TABLE_CONTEXT.has(c.name) || c.name === 'select' || c.name === 'optgroup' || c.name === 'option') {
      tableChild(c, name, attrs);
      return;
    }
    if (TABLE_PARTS.has(name)) refuse();
    if (name === 'option' || name === 'optgroup') refuse(); // outside <select>
    if (CLOSES_P.has(name) && openAbove(P, BUTTON_SCOPE)) refuse();
    if (HEADINGS.has(name) && HEADINGS.has(c.name)) refuse();
    if (name === 'li' && openAbove(LI, ITEM_SCOPE)) refuse();
    if ((name === 'dd' || name === 'dt') && openAbove(DD_DT, ITEM_SCOPE)) refuse();
    if (name === 'a' && openAbove(A, MARKERS)) refuse();
    if (name === 'form' && stack.some((e) => e.name === 'form')) refuse();
    const el = open(name, attrs, c);
    if (!VOID.has(name)) stack.push(el);
  }

  /** A start tag whose current node is a table part or a <select>: only the expected children. */
  function tableChild(c: Element, name: string, attrs: Record<string, string>): void {
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
      stack.push(tbody);
      c = tbody;
    }
    const el = open(name, attrs, c);
    if (!VOID.has(name)) stack.push(el);
  }

  function startTag(name: string, attrs: Record<string, string>): void {
    switch (mode) {
      case 'start':
        if (name !== 'html') {
          // A fragment (mammoth's HTML): the standard implies <html>, an empty <head> and <body>.
          if (HEAD_CONTENT.has(name)) refuse();
          impliedBody();
          startInBody(name, attrs);
          return;
        }
        htmlEl = open(name, attrs, doc);
        stack.push(htmlEl);
        mode = 'html';
        return;
      case 'html':
        if (name !== 'head') refuse();
        stack.push(open(name, attrs, htmlEl!));
        mode = 'head';
        return;
      case 'head': {
        if (cur()!.name !== 'head' || !HEAD_CONTENT.has(name)) refuse();
        const el = open(name, attrs, cur()!);
        if (!VOID.has(name)) stack.push(el);
        return;
      }
      case 'afterHead':
        if (name !== 'body') refuse();
        bodyEl = open(name, attrs, htmlEl!);
        stack.push(bodyEl);
        mode = 'body';
        return;
      case 'body':
        startInBody(name, attrs);
        return;
      default:
        refuse();
    }
  }

  function endTag(name: string): void {
    const c = cur();
    if (mode === 'afterBody') {
      if (name !== 'html') refuse();
      return;
    }
    if (!c || (mode !== 'head' && mode !== 'body')) refuse();
    if (mode === 'body' && c!.name === 'body' && (name === 'body' || name === 'html')) {
      // </body> leaves <body> open in the standard: later white space still lands in it.
      mode = 'afterBody';
      return;
    }
    if (name === 'table' && SECTIONS.has(c!.name)) stack.pop();
    if (cur()?.name !== name) refuse();
    const el = stack.pop()!;
    if (RAW_TEXT.has(name)) checkRawText(el, name);
    if (mode === 'head' && name === 'head') mode = 'afterHead';
  }

  /** Raw text that holds its own end tag (`</script/>`) or a script's escapes ends elsewhere in the standard. */
  function checkRawText(el: Element, name: string): void {
    const content = el.children.length ? (el.children[0] as Text).data : '';
    const lower = content.toLowerCase();
    if (lower.includes(`</${name}`)) refuse();
    if (name === 'script' && lower.includes('<!--') && lower.includes('<script')) refuse();
  }

  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: true },
    {
      ontext(start, end) {
        if (building) text += html.slice(start, end);
      },
      ontextentity(cp) {
        if (building) text += String.fromCodePoint(cp);
      },
      onopentagname(start, end) {
        const raw = html.slice(start, end);
        tag = asciiLower(raw);
        meter?.openTagName(NON_ASCII.test(raw) ? raw.toLowerCase() : tag);
        if (!building) return;
        try {
          flushText();
        } catch (err) {
          refused(err);
        }
        attribs = Object.create(null);
      },
      onattribname(start, end) {
        meter?.attribName();
        if (!building) return;
        attrName = asciiLower(html.slice(start, end));
        attrValue = '';
      },
      onattribdata(start, end) {
        if (building) attrValue += html.slice(start, end);
      },
      onattribentity(cp) {
        if (building) attrValue += String.fromCodePoint(cp);
      },
      onattribend() {
        // The first of two attributes with one name wins.
        if (building && !(attrName in attribs)) attribs[attrName] = attrValue;
      },
      onopentagend(endIndex) {
        meter?.openTagEnd();
        if (!building) return;
        try {
          lastGt = endIndex;
          startTag(tag, attribs);
        } catch (err) {
          refused(err);
        }
      },
      onselfclosingtag(endIndex) {
        meter?.selfClosingTag();
        if (!building) return;
        try {
          // HTML ignores the slash on its own elements; but htmlparser2 would then not read a
          // <script/> or <title/> as raw text, as the standard does.
          if (RAW_TEXT.has(tag)) refuse();
          lastGt = endIndex;
          startTag(tag, attribs);
        } catch (err) {
          refused(err);
        }
      },
      onclosetag(start, end) {
        const raw = html.slice(start, end);
        const name = asciiLower(raw);
        meter?.closeTag(NON_ASCII.test(raw) ? raw.toLowerCase() : name);
        if (!building) return;
        try {
          // `</ div>` and `</div x=">">` are read differently by the two tokenizers.
          if (html[end] !== '>' || html[start - 1] !== '/' || html[start - 2] !== '<') refuse();
          flushText();
          lastGt = end;
          endTag(name);
        } catch (err) {
          refused(err);
        }
      },
      oncomment(start, end, offset) {
        if (!building) return;
        try {
          flushText();
          if (offset) lastGt = end;
          const node = new Comment(html.slice(start, end - offset));
          // Comments land in the current node; after </body> in <html>.
          if (mode === 'afterBody') append(htmlEl!, node);
          else append(cur() ?? doc, node);
        } catch (err) {
          refused(err);
        }
      },
      oncdata() {
        building = false;
      },
      ondeclaration(start, end) {
        if (building) bogusComment(start, end);
      },
      onprocessinginstruction(start, end) {
        if (building) bogusComment(start, end);
      },
      onend() {
        if (!building) return;
        try {
          flushText();
        } catch (err) {
          refused(err);
        }
      },
    },
  );

  /**
   * `<!…>` and `<?…>` (Word's `<![if …]>`, `<?xml:namespace …>`): the standard reads them as
   * comments ending at the first `>`, as htmlparser2 ends them; a doctype is no node here.
   */
  function bogusComment(start: number, end: number): void {
    try {
      flushText();
      lastGt = end;
      if (/^doctype/i.test(html.slice(start, start + 7))) {
        if (mode !== 'start') refuse();
        return;
      }
      append(mode === 'afterBody' ? htmlEl! : (cur() ?? doc), new Comment(html.slice(start, end)));
    } catch (err) {
      refused(err);
    }
  }

  const tokenize = () => {
    tokenizer.write(html);
    tokenizer.end();
  };
  if (meter) meter.run(tokenize);
  else tokenize();
  if (!building) return null;
  try {
    // Raw text left open at the end of the page is checked as when it closes.
    const last = cur();
    if (last && RAW_TEXT.has(last.name)) checkRawText(last, last.name);
    // A page that ends inside a tag or declaration: the tokenizers part ways there.
    if (!HTML_SPACE.test(html.slice(lastGt + 1))) refuse();
    if (!bodyEl) refuse();
  } catch (err) {
    refused(err);
    return null;
  }
  return doc;
}

const P: ReadonlySet<string> = new Set(['p']);
const A: ReadonlySet<string> = new Set(['a']);
const LI: ReadonlySet<string> = new Set(['li']);
const DD_DT: ReadonlySet<string> = new Set(['dd', 'dt']);
/** Where the standard's loop for <li>, <dd> and <dt> stops: special elements but address, div and p. */
const ITEM_SCOPE: ReadonlySet<string> = new Set([...SPECIAL].filter((n) => n !== 'address' && n !== 'div' && n !== 'p'));
