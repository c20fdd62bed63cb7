/**
 * The structural limits a page of the open web must stay within before a DOM is built from it.
 * parse5 (cheerio's parser) walks its stack of open elements for many tags, and the DOM helpers
 * recurse per level: a page of 400,000 nested <div> takes it into quadratic time, and 1,000 nested
 * tables overflow the call stack. htmlparser2's streaming tokenizer, with a model of HTML's implied end
 * tags (an open <p>, <li> or <td> closes as browsers close it), measures the page in one linear
 * pass and stops at the first limit passed, so a hostile page costs at most one scan of its bytes.
 * (htmlparser2's Parser is not used: its stack grows at the front, which is quadratic itself.)
 * Word's HTML exports nest a few hundred levels deep at most; the defaults leave room for them.
 */
import { Tokenizer } from 'htmlparser2';
import { TooComplexError } from '../errors.js';
import { emptyPacked } from '../../normalize/arrays.js';

export interface HtmlBounds {
  /** Deepest nesting of elements accepted. */
  maxDepth: number;
  /** Most attributes one element may carry (parse5 checks each new one against the others). */
  maxAttributes: number;
  /** Most elements in one page. */
  maxElements: number;
}

export const DEFAULT_HTML_BOUNDS: HtmlBounds = { maxDepth: 1_000, maxAttributes: 500, maxElements: 500_000 };

export interface HtmlShape {
  depth: number;
  elements: number;
  maxAttributes: number;
}

// Defined beside ExtractError so that text extraction throws it without loading htmlparser2.
export { TooComplexError } from '../errors.js';

/** Sentinel thrown out of the tokenizer's callbacks to stop the scan at once. */
class Stop extends Error {}

const VOID = new Set(['area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'frame', 'hr', 'image', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Start tags that close an open <p> (HTML's "close a p element in button scope"). */
const CLOSES_P = new Set(['address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'li', 'dd', 'dt', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'ul', 'listing', 'plaintext', 'xmp']);
const SCOPE = new Set(['html', 'table', 'td', 'th', 'caption', 'marquee', 'object', 'applet', 'template', 'button']);
const LIST_SCOPE = new Set([...SCOPE, 'ol', 'ul']);
const DL_SCOPE = new Set([...SCOPE, 'dl']);
const TABLE_SCOPE = new Set(['html', 'table', 'template']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Start tags that close an open element of the same kind, and where the search for it stops. */
const IMPLIED: ReadonlyArray<[ReadonlySet<string>, ReadonlySet<string>, ReadonlySet<string>]> = [
  [new Set(['li']), new Set(['li']), LIST_SCOPE],
  [new Set(['dd', 'dt']), new Set(['dd', 'dt']), DL_SCOPE],
  [new Set(['td', 'th', 'tr', 'tbody', 'thead', 'tfoot']), new Set(['td', 'th']), TABLE_SCOPE],
  [new Set(['tr', 'tbody', 'thead', 'tfoot']), new Set(['tr']), TABLE_SCOPE],
  [new Set(['tbody', 'thead', 'tfoot']), new Set(['tbody', 'thead', 'tfoot']), TABLE_SCOPE],
  [new Set(['option', 'optgroup']), new Set(['option']), SCOPE],
  [new Set(['a']), new Set(['a']), SCOPE],
];
/** IMPLIED by start tag, so that a tag with no implied end (most) costs one lookup. */
const IMPLIED_BY = new Map<string, Array<[ReadonlySet<string>, ReadonlySet<string>]>>();
for (const [starts, closes, boundary] of IMPLIED) for (const s of starts) IMPLIED_BY.set(s, [...(IMPLIED_BY.get(s) ?? []), [closes, boundary]]);

/**
 * Measure the page's nesting, element count and attribute counts; throw TooComplexError at the
 * first limit passed. Pure; linear in the length of the HTML. The nesting is that of the tree a
 * browser (parse5) builds, closely enough: elements whose end tag HTML lets a page omit (<p>,
 * <li>, <td>, <tr>, <option>…) close where HTML closes them, void elements hold nothing, and an
 * end tag closes its element with everything left open inside it. Where this model errs it errs
 * towards less depth, never towards refusing a page a browser nests shallowly.
 */
export function checkHtmlBounds(html: string, bounds: Partial<HtmlBounds> = {}): HtmlShape {
  const meter = boundsMeter(bounds);
  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: false },
    {
      onopentagname(start, end) {
        meter.openTagName(html.slice(start, end).toLowerCase());
      },
      onattribname() {
        meter.attribName();
      },
      onopentagend() {
        meter.openTagEnd();
      },
      onselfclosingtag() {
        meter.selfClosingTag();
      },
      onclosetag(start, end) {
        meter.closeTag(html.slice(start, end).toLowerCase());
      },
      onattribdata() {},
      onattribentity() {},
      onattribend() {},
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onend() {},
      onprocessinginstruction() {},
      ontext() {},
      ontextentity() {},
    },
  );
  return meter.run(() => {
    tokenizer.write(html);
    tokenizer.end();
  });
}

/**
 * The measure of checkHtmlBounds, fed tag by tag from a tokenizer's callbacks (tag names in lower
 * case), so that a pass that reads the page for another purpose measures it on the way.
 */
export interface BoundsMeter {
  openTagName(name: string): void;
  attribName(): void;
  openTagEnd(): void;
  selfClosingTag(): void;
  closeTag(name: string): void;
  /** Run the tokenizer; throws the TooComplexError of the first limit passed. */
  run(tokenize: () => void): HtmlShape;
  /** run for a tokenizer fed `html` whole (no callback made per page). */
  measure(tokenizer: Tokenizer, html: string): HtmlShape;
}

export function boundsMeter(bounds: Partial<HtmlBounds> = {}): BoundsMeter {
  const b = { ...DEFAULT_HTML_BOUNDS, ...bounds };
  // Copied into a literal: an object spread gives a new map once its caller is optimized, and the
  // meter's methods were deoptimized by the second one ("wrong map", doc/jit-warm-up.md).
  return new Meter({ maxDepth: b.maxDepth, maxAttributes: b.maxAttributes, maxElements: b.maxElements });
}

/**
 * A class, not an object of closures made per page: V8 holds a function's optimized code only
 * through its live closures, so the meter's were compiled again after a full GC, page after page.
 */
class Meter implements BoundsMeter {
  private readonly shape: HtmlShape = { depth: 0, elements: 0, maxAttributes: 0 };
  // One elements kind from the start (a `[]` literal starts as small integers; see arrays.ts).
  private readonly stack: string[] = emptyPacked<string>();
  private readonly open = new Map<string, number>();
  private attributes = 0;
  private tag = '';
  private hit: TooComplexError | null = null;

  constructor(private readonly b: HtmlBounds) {}

  openTagName(name: string): void {
    this.tag = name;
    this.attributes = 0;
    const { shape, b } = this;
    shape.elements++;
    if (shape.elements > b.maxElements) this.stop(new TooComplexError('maxElements', shape.elements, `The page has more than ${b.maxElements} elements (limit maxElements).`));
  }

  attribName(): void {
    const { shape, b } = this;
    const attributes = ++this.attributes;
    if (attributes > shape.maxAttributes) shape.maxAttributes = attributes;
    if (attributes > b.maxAttributes) this.stop(new TooComplexError('maxAttributes', attributes, `An element has more than ${b.maxAttributes} attributes (limit maxAttributes).`));
  }

  openTagEnd(): void {
    this.startTag(this.tag);
  }

  selfClosingTag(): void {
    const { open, stack, tag } = this;
    // HTML ignores the slash (<div/> opens a div), except inside SVG and MathML.
    this.startTag(tag);
    if (((open.get('svg') ?? 0) > 0 || (open.get('math') ?? 0) > 0) && stack[stack.length - 1] === tag) this.pop();
  }

  closeTag(name: string): void {
    const { open, stack } = this;
    if ((open.get(name) ?? 0) > 0) while (stack.length && stack[stack.length - 1] !== name) this.pop();
    if (stack.length) this.pop();
  }

  run(tokenize: () => void): HtmlShape {
    try {
      tokenize();
    } catch (err) {
      if (err instanceof Stop && this.hit) throw this.hit;
      throw err;
    }
    return this.shape;
  }

  measure(tokenizer: Tokenizer, html: string): HtmlShape {
    try {
      tokenizer.write(html);
      tokenizer.end();
    } catch (err) {
      if (err instanceof Stop && this.hit) throw this.hit;
      throw err;
    }
    return this.shape;
  }

  private stop(err: TooComplexError): never {
    this.hit = err;
    throw new Stop();
  }

  private pop(): void {
    const name = this.stack.pop()!;
    this.open.set(name, this.open.get(name)! - 1);
  }

  /** Close the nearest open element named in `names`, unless a `boundary` element comes first. */
  private closeInScope(names: ReadonlySet<string>, boundary: ReadonlySet<string>): void {
    const { stack } = this;
    for (let i = stack.length - 1; i >= 0; i--) {
      const n = stack[i]!;
      if (names.has(n)) {
        while (stack.length > i) this.pop();
        return;
      }
      if (boundary.has(n)) return;
    }
  }

  private isOpen(names: ReadonlySet<string>): boolean {
    for (const n of names) if ((this.open.get(n) ?? 0) > 0) return true;
    return false;
  }

  private push(name: string): void {
    const { stack, open, shape, b } = this;
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
    if (stack.length > shape.depth) shape.depth = stack.length;
    if (stack.length > b.maxDepth) this.stop(new TooComplexError('maxDepth', stack.length, `Elements are nested more than ${b.maxDepth} levels deep (limit maxDepth).`));
  }

  private startTag(name: string): void {
    const { open, stack } = this;
    if (CLOSES_P.has(name) && (open.get('p') ?? 0) > 0) this.closeInScope(P, SCOPE);
    for (const [closes, boundary] of IMPLIED_BY.get(name) ?? []) if (this.isOpen(closes)) this.closeInScope(closes, boundary);
    if (HEADINGS.has(name) && HEADINGS.has(stack[stack.length - 1] ?? '')) this.pop();
    if (!VOID.has(name)) this.push(name);
  }
}

const P: ReadonlySet<string> = new Set(['p']);
