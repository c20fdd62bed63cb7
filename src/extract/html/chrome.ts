/**
 * Page furniture around a report: navigation bars, breadcrumbs, footers, share bars, link
 * lists. Recognised by semantics (nav, aside, page-level header/footer, ARIA roles) or by a
 * furniture-like class or id — but a named element only counts when it reads like furniture
 * (mostly links, or short), so an article container with an unlucky class name is never lost.
 */
import { type AnyNode, type Element, classAndId, isElement, isTextNode } from './dom.js';
import type { HiddenTest } from './hidden.js';

export interface TextStats {
  /** Visible non-space characters. */
  chars: number;
  /** Of those, characters inside links. */
  links: number;
}

/** Visible text size of every element under `root`, in one pass. */
export function measureText(root: Element, hidden: HiddenTest): Map<Element, TextStats> {
  const stats = new Map<Element, TextStats>();
  visitText(root, false, { chars: 0, links: 0 }, root, hidden, stats);
  return stats;
}

/**
 * measureText's walk; each node adds its counts into its parent's: no object per text node.
 * Module-level: a closure made per call is compiled again and again.
 */
function visitText(node: AnyNode, inLink: boolean, into: TextStats, root: Element, hidden: HiddenTest, stats: Map<Element, TextStats>): void {
  if (isTextNode(node)) {
    const n = visibleLength(node.data);
    into.chars += n;
    if (inLink) into.links += n;
    return;
  }
  if (!isElement(node) || (node !== root && hidden.hides(node))) return;
  const link = inLink || node.name === 'a';
  const s = { chars: 0, links: 0 };
  for (const c of node.children) visitText(c, link, s, root, hidden, stats);
  stats.set(node, s);
  into.chars += s.chars;
  into.links += s.links;
}

/**
 * The length of `s` without its white space (what `s.replace(/\s+/g, '').length` gives), counted
 * without building the stripped copy: measureText asks it of every text node of the page.
 */
export function visibleLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (!isSpaceCode(s.charCodeAt(i))) n++;
  return n;
}

/** The code units of JavaScript's \s: ASCII white space, U+00A0, the Zs spaces, U+2028/9, U+FEFF. */
function isSpaceCode(c: number): boolean {
  if (c > 0x20 && c < 0xa0) return false;
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

export function linkDensity(s: TextStats | undefined): number {
  return s && s.chars ? s.links / s.chars : 0;
}

const CHROME_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'menu', 'menubar', 'search', 'complementary']);
const SECTIONING = new Set(['article', 'main', 'section']);
// Whole words of a class or id: "nav", "foot", "share" — not "navigation-content" or "TRS_Editor".
const CHROME_NAME = /(?:^|[\s_-])(?:nav|navbar|navigation|topnav|subnav|menu|menus|submenu|footer|foot|breadcrumbs?|crumbs?|copyright|sidebar|friendlinks?|links|share|bdshare|dqwz)(?:[\s_-]|$)/;
/** A furniture-named element longer than this, with few links, is content whatever its name. */
const SHORT_TEXT = 300;

function insideSectioning(el: Element): boolean {
  for (let n = el.parent; n && isElement(n); n = n.parent) if (SECTIONING.has(n.name)) return true;
  return false;
}

/** Is this element itself page furniture (its ancestors are checked by inChrome)? */
export interface ChromeTest {
  isChrome(el: Element): boolean;
}

export function chromeTest(stats: Map<Element, TextStats>): ChromeTest {
  return new PageChrome(stats);
}

/** A class, not a closure made per page: a closure made per call is compiled again and again. */
class PageChrome implements ChromeTest {
  readonly stats: Map<Element, TextStats>;

  constructor(stats: Map<Element, TextStats>) {
    this.stats = stats;
  }

  isChrome(el: Element): boolean {
    if (el.name === 'nav' || el.name === 'aside') return true;
    if ((el.name === 'header' || el.name === 'footer') && !insideSectioning(el)) return true;
    const role = el.attribs.role?.toLowerCase();
    if (role && CHROME_ROLES.has(role)) return true;
    if (el.name === 'body' || el.name === 'html' || !CHROME_NAME.test(classAndId(el))) return false;
    const s = this.stats.get(el);
    return !s || s.chars < SHORT_TEXT || linkDensity(s) > 0.5;
  }
}

/** True when the element or an ancestor is furniture. */
export function inChrome(el: Element, chrome: ChromeTest): boolean {
  for (let n: AnyNode | null = el; n && isElement(n); n = n.parent) if (chrome.isChrome(n)) return true;
  return false;
}
