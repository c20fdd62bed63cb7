/**
 * Small helpers over the DOM cheerio builds (domhandler nodes). The adapter walks nodes
 * directly: text extraction needs to see every text node and element in order, which the
 * jQuery-style API would only hide behind wrappers.
 */
import type { AnyNode, Element, Text } from 'domhandler';

export type { AnyNode, Element };

// nodeType, not domhandler's runtime guards: cheerio is the dependency, domhandler only its detail.
export const isElement = (n: AnyNode): n is Element => n.nodeType === 1;
/** An element proper: domhandler gives a <!doctype> (a processing instruction) nodeType 1 too. */
const isTag = (n: AnyNode): n is Element => n.nodeType === 1 && 'children' in n;
export const isTextNode = (n: AnyNode): n is Text => n.nodeType === 3;

export function childElements(el: Element): Element[] {
  return el.children.filter(isElement);
}

/** Descendant elements of `root` in document order (not `root` itself). */
export function descendants(root: AnyNode, name?: string): Element[] {
  const out: Element[] = [];
  const stack: AnyNode[] = 'children' in root ? [...root.children].reverse() : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (!isTag(n)) continue;
    if (!name || n.name === name) out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out;
}

/** Whether `root` has a descendant element named `name` (no list built: asked of every table). */
export function hasDescendant(root: AnyNode, name: string): boolean {
  const stack: AnyNode[] = 'children' in root ? [...root.children] : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (!isTag(n)) continue;
    if (n.name === name) return true;
    for (const c of n.children) stack.push(c);
  }
  return false;
}

/**
 * Every element of a page in document order, and its <body>: walked once per page, for the
 * readers that each look for a few kinds of element (style sheets, <meta>, title candidates) and
 * would otherwise each walk the whole page as a selector.
 */
export interface PageElements {
  elements: Element[];
  body: Element | undefined;
}

export function pageElements(root: AnyNode): PageElements {
  const elements = descendants(root);
  // A loop: a closure made per call is compiled again and again.
  let body: Element | undefined;
  for (const el of elements) {
    if (el.name === 'body') {
      body = el;
      break;
    }
  }
  return { elements, body };
}

/** `el` and its element ancestors, nearest first. */
export function ancestry(el: Element): Element[] {
  const out: Element[] = [];
  for (let n: AnyNode | null = el; n && isElement(n); n = n.parent) out.push(n);
  return out;
}

/** The deepest element containing every node given. */
export function commonAncestor(nodes: readonly Element[]): Element | null {
  if (!nodes.length) return null;
  let chain = ancestry(nodes[0]!);
  for (const n of nodes.slice(1)) {
    const other = new Set(ancestry(n));
    const kept: Element[] = [];
    for (const a of chain) if (other.has(a)) kept.push(a);
    chain = kept;
  }
  return chain[0] ?? null;
}

/** The class and id of an element as one lower-case string, for naming heuristics. */
export function classAndId(el: Element): string {
  return `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`.toLowerCase();
}

/** Elements named `name` under `root` that lie in no other such element (document order). */
export function outermost(root: AnyNode, name: string): Element[] {
  const out: Element[] = [];
  const stack: AnyNode[] = 'children' in root ? [...root.children].reverse() : [];
  while (stack.length) {
    const n = stack.pop()!;
    if (!isElement(n)) continue;
    if (n.name === name) {
      out.push(n);
      continue;
    }
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out;
}

/**
 * The text of a node and its descendants, as cheerio's `.text()` gives it, without recursion: a
 * page nested thousands of levels deep cannot overflow the call stack here.
 */
export function textOf(root: AnyNode): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (isTextNode(n)) parts.push(n.data);
    else if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return parts.join('');
}

/**
 * Unlinks a page's tree once it has been read: every node's children, parent and siblings. The
 * tree is garbage then, but a page's reading spans young-generation collections, and the part of
 * the tree a collection moved to the old generation held the rest of it (and whatever that
 * reached) alive through every later young collection until a full one: half of an HTML page's
 * young-generation collection time was copying dead pages. Nothing read from the page (text,
 * grids) refers to its nodes.
 */
export function unlinkTree(root: AnyNode): void {
  const stack: AnyNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if ('children' in n) {
      for (const c of n.children) stack.push(c);
      n.children.length = 0;
    }
    n.parent = null;
    n.prev = null;
    n.next = null;
  }
}
