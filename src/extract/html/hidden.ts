/**
 * What a reader of the page never sees: elements that are not rendered at all (script, style,
 * form controls), elements hidden by an inline style or the `hidden` attribute, and elements
 * hidden by a simple rule of the page's own style sheet. Word's HTML export hides bookmarks and
 * field codes with `display:none;mso-hide:all`; CMS templates hide share pop-ups and print-only
 * copies with classes. Their text must not leak into a label or a value cell.
 */
import type { CheerioAPI } from 'cheerio';
import { type Element, type PageElements, isElement, textOf } from './dom.js';

/** Is this element itself hidden (its ancestors are checked by the walkers)? */
export interface HiddenTest {
  hides(el: Element): boolean;
}

const NOT_RENDERED = new Set([
  'head', 'title', 'meta', 'link', 'base', 'script', 'style', 'noscript', 'template',
  'iframe', 'object', 'embed', 'applet', 'canvas', 'svg', 'math', 'map', 'audio', 'video',
  'select', 'option', 'datalist', 'textarea', 'input', 'button',
]);

const HIDING_WORD = /none|hidden|all/i;
const HIDING_DECLARATION = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all)\s*(?:!important\s*)?(?:;|$)/i;

/** Hidden by the element's own markup (tag, `hidden` attribute, inline style). */
export function hiddenByMarkup(el: Element): boolean {
  if (NOT_RENDERED.has(el.name)) return true;
  if (el.attribs.hidden !== undefined) return true;
  const style = el.attribs.style;
  // Word puts a long inline style on most elements: the few words a hiding declaration needs
  // are looked for first, with a regular expression that has no anchors to try at every position.
  return style !== undefined && HIDING_WORD.test(style) && HIDING_DECLARATION.test(style);
}

/**
 * Selectors of top-level style-sheet rules that hide what they match. Rules inside at-rules
 * (@media print, @supports) are left out: they do not apply to the page as read on screen.
 */
export function hidingSelectors(css: string): string[] {
  const out: string[] = [];
  const text = css.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/<!--|-->/g, ' ');
  let depth = 0;
  let atRuleDepth = -1;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') {
      const prelude = text.slice(start, i).trim();
      if (depth === 0 && prelude.startsWith('@')) atRuleDepth = depth;
      if (atRuleDepth < 0 && depth === 0) {
        const end = text.indexOf('}', i);
        const body = text.slice(i + 1, end < 0 ? text.length : end);
        if (HIDING_DECLARATION.test(body.trim())) {
          for (const sel of prelude.split(',')) {
            const t = sel.trim();
            if (t) out.push(t);
          }
        }
      }
      depth++;
      start = i + 1;
    } else if (ch === '}') {
      depth = Math.max(0, depth - 1);
      if (depth === atRuleDepth) atRuleDepth = -1;
      start = i + 1;
    } else if (ch === ';' && depth === 0) {
      start = i + 1; // @import …; @charset …;
    }
  }
  return out;
}

/** Elements hidden by the page's <style> sheets. Selectors cheerio cannot evaluate are skipped. */
export function hiddenBySheets($: CheerioAPI, page?: PageElements): Set<Element> {
  const hidden = new Set<Element>();
  const sheets = page ? page.elements : $('style').toArray();
  for (const el of sheets) {
    if (el.name !== 'style') continue;
    for (const sel of hidingSelectors(textOf(el))) {
      // Pseudo-classes (:hover, ::before) describe states or generated content, not the page.
      if (sel.includes(':')) continue;
      try {
        for (const m of $(sel).toArray()) if (isElement(m)) hidden.add(m);
      } catch {
        // An invalid or unsupported selector hides nothing.
      }
    }
  }
  return hidden;
}

/** The test used everywhere: is this element itself hidden (its ancestors are checked by the walkers)? */
export function hiddenTest($: CheerioAPI, page?: PageElements): HiddenTest {
  return new PageHidden(hiddenBySheets($, page));
}

/** A class, not a closure made per page: a closure made per call is compiled again and again. */
class PageHidden implements HiddenTest {
  readonly bySheet: Set<Element>;
  // Asked of every element by several walkers (and of every ancestor by isHiddenInPage); Word's
  // exports put a long inline style on most elements: each element is judged once.
  readonly judged: Map<Element, boolean>;

  constructor(bySheet: Set<Element>) {
    this.bySheet = bySheet;
    this.judged = new Map();
  }

  hides(el: Element): boolean {
    let hidden = this.judged.get(el);
    if (hidden === undefined) this.judged.set(el, (hidden = hiddenByMarkup(el) || this.bySheet.has(el)));
    return hidden;
  }
}

class MarkupHidden implements HiddenTest {
  hides(el: Element): boolean {
    return hiddenByMarkup(el);
  }
}

/** Hidden by markup only (no style sheet): for tables read without their page. */
export const markupHidden: HiddenTest = new MarkupHidden();

/**
 * True when the element or one of its ancestors is hidden. <html> and <body> are not asked:
 * pages that hide the body until a script has run (`body{display:none}`) are still read.
 */
export function isHiddenInPage(el: Element, hidden: HiddenTest): boolean {
  for (let n: Element | null = el; n; n = n.parent && isElement(n.parent) ? n.parent : null) {
    if (n.name !== 'html' && n.name !== 'body' && hidden.hides(n)) return true;
  }
  return false;
}
