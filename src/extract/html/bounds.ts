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
}

export function boundsMeter(bounds: Partial<HtmlBounds> = {}): BoundsMeter {
  const b = { ...DEFAULT_HTML_BOUNDS, ...bounds };
  const shape: HtmlShape = { depth: 0, elements: 0, maxAttributes: 0 };
  const stack: string[] = [];
  const open = new Map<string, number>();
  let attributes = 0;
  let tag = '';
  let hit: TooComplexError | null = null;
  const stop = (err: TooComplexError): never => {
    hit = err;
    throw new Stop();
  };
  const pop = () => {
    const name = stack.pop()!;
    open.set(name, open.get(name)! - 1);
  };
  /** Close the nearest open element named in `names`, unless a `boundary` element comes first. */
  const closeInScope = (names: ReadonlySet<string>, boundary: ReadonlySet<string>) => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const n = stack[i]!;
      if (names.has(n)) {
        while (stack.length > i) pop();
        return;
      }
      if (boundary.has(n)) return;
    }
  };
  const isOpen = (names: ReadonlySet<string>) => {
    for (const n of names) if ((open.get(n) ?? 0) > 0) return true;
    return false;
  };
  const push = (name: string) => {
    stack.push(name);
    open.set(name, (open.get(name) ?? 0) + 1);
    if (stack.length > shape.depth) shape.depth = stack.length;
    if (stack.length > b.maxDepth) stop(new TooComplexError('maxDepth', stack.length, `Elements are nested more than ${b.maxDepth} levels deep (limit maxDepth).`));
  };
  const startTag = (name: string) => {
    if (CLOSES_P.has(name) && (open.get('p') ?? 0) > 0) closeInScope(P, SCOPE);
    for (const [closes, boundary] of IMPLIED_BY.get(name) ?? []) if (isOpen(closes)) closeInScope(closes, boundary);
    if (HEADINGS.has(name) && HEADINGS.has(stack[stack.length - 1] ?? '')) pop();
    if (!VOID.has(name)) push(name);
  };
  return {
    openTagName(name) {
      tag = name;
      attributes = 0;
      shape.elements++;
      if (shape.elements > b.maxElements) stop(new TooComplexError('maxElements', shape.elements, `The page has more than ${b.maxElements} elements (limit maxElements).`));
    },
    attribName() {
      attributes++;
      if (attributes > shape.maxAttributes) shape.maxAttributes = attributes;
      if (attributes > b.maxAttributes) stop(new TooComplexError('maxAttributes', attributes, `An element has more than ${b.maxAttributes} attributes (limit maxAttributes).`));
    },
    openTagEnd() {
      startTag(tag);
    },
    selfClosingTag() {
      // HTML ignores the slash (<div/> opens a div), except inside SVG and MathML.
      startTag(tag);
      if (((open.get('svg') ?? 0) > 0 || (open.get('math') ?? 0) > 0) && stack[stack.length - 1] === tag) pop();
    },
    closeTag(name) {
      if ((open.get(name) ?? 0) > 0) while (stack.length && stack[stack.length - 1] !== name) pop();
      if (stack.length) pop();
    },
    run(tokenize) {
      try {
        tokenize();
      } catch (err) {
        if (err instanceof Stop && hit) throw hit;
        throw err;
      }
      return shape;
    },
  };
}

const P: ReadonlySet<string> = new Set(['p']);
