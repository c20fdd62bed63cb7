/**
 * The readable text of a report page: its title first, then the article body in reading
 * order, without the site's navigation and footer. The record's agency and year are parsed
 * from the first lines (title) and the last lines (signature), so both ends matter.
 */
import type { CheerioAPI } from 'cheerio';
import { parseTitle } from '../../normalize/meta.js';
import { type ChromeTest, type TextStats, inChrome, linkDensity } from './chrome.js';
import { type Element, type PageElements, ancestry, classAndId, commonAncestor, descendants } from './dom.js';
import { type HiddenTest, isHiddenInPage } from './hidden.js';
import { textLines } from './text-lines.js';

export interface ArticleContext {
  hidden: HiddenTest;
  chrome: ChromeTest;
  stats: Map<Element, TextStats>;
}

// Containers content systems put an article's body in: TRS (TRS_Editor, TRS_AUTOADD_…,
// Custom_UnionStyle), the "zoom" of font-size switchers, and the common generic names.
const ARTICLE_NAME = /(?:^|[\s_-])(?:article|articles|content|contents|con|zoom|trs_editor|trs_autoadd\w*|custom_unionstyle|detail|details|zw|zwnr|wzzw|nr|text|maintext|main-text|pages_content|info-content|infocontent|view)(?:[\s_-]|$)/;

function isArticleContainer(el: Element): boolean {
  if (el.name === 'article' || el.name === 'main' || el.attribs.role?.toLowerCase() === 'main') return true;
  return el.name !== 'body' && el.name !== 'html' && ARTICLE_NAME.test(classAndId(el));
}

/** Links in what climbing to a parent would add: above this, the parent holds the site, not the article. */
const MAX_ADDED_LINK_DENSITY = 0.3;
/** An element holding this share of the page's prose (text outside links) is the article. */
const ARTICLE_SHARE = 0.6;

const prose = (s: TextStats | undefined) => (s ? s.chars - s.links : 0);

/** Neither hidden nor furniture. Module-level: a closure made per call is compiled again and again. */
function usable(el: Element, ctx: ArticleContext): boolean {
  return !isHiddenInPage(el, ctx.hidden) && !inChrome(el, ctx.chrome);
}

/** The nearest of `chain` that is a visible article container. */
function namedContainer(chain: readonly Element[], ctx: ArticleContext): Element | undefined {
  for (const el of chain) if (isArticleContainer(el) && usable(el, ctx)) return el;
  return undefined;
}

/**
 * The element holding the report: the nearest article-like container around its tables, or,
 * failing a named one, the tables' common ancestor, widened while it holds less than most of
 * the page's prose and what it gains is prose rather than links. With no table, the largest
 * article-like container, else the body.
 */
export function articleRoot(body: Element, tables: readonly Element[], ctx: ArticleContext): Element {
  if (tables.length) {
    const lca = commonAncestor(tables) ?? body;
    const named = namedContainer(ancestry(lca), ctx);
    if (named) return named;
    const pageProse = prose(ctx.stats.get(body));
    let cur = lca;
    while (cur !== body && cur.parent && 'name' in cur.parent && cur.parent.name !== 'html') {
      const parent = cur.parent as Element;
      const p = ctx.stats.get(parent);
      const c = ctx.stats.get(cur);
      if (!p || !c || prose(c) >= ARTICLE_SHARE * pageProse) break;
      const added = { chars: p.chars - c.chars, links: p.links - c.links };
      if (linkDensity(added) > MAX_ADDED_LINK_DENSITY) break;
      cur = parent;
    }
    return cur;
  }
  let best: Element | null = null;
  for (const el of descendants(body)) {
    if (!isArticleContainer(el) || !usable(el, ctx)) continue;
    const s = ctx.stats.get(el);
    if (s && linkDensity(s) < 0.5 && (!best || s.chars > (ctx.stats.get(best)?.chars ?? 0))) best = el;
  }
  return best ?? body;
}

function oneLine(s: string): string {
  return s.replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * Places a page states its report's title, best first: the CMS's ArticleTitle meta, <h1>,
 * elements named "title", the document <title> cut at its site-name separators.
 */
export function titleCandidates($: CheerioAPI, ctx: ArticleContext, page?: PageElements): string[] {
  const out: string[] = [];
  // One walk of the page for every kind of candidate (each would be a walk of its own as a
  // selector); the tests below are those of the selectors named beside them.
  const all = page?.elements ?? descendants($.root()[0]!);
  // meta[name="ArticleTitle" i], meta[property="og:title"]
  // Loops and usable(): a closure made per call is compiled again and again.
  let meta: Element | undefined;
  let titleEl: Element | undefined;
  for (const el of all) {
    if (!meta && el.name === 'meta' && (el.attribs.name?.toLowerCase() === 'articletitle' || el.attribs.property === 'og:title')) meta = el;
    if (!titleEl && el.name === 'title') titleEl = el;
  }
  const metaTitle = meta?.attribs.content;
  if (metaTitle) out.push(metaTitle);
  for (const el of all) {
    if (el.name === 'h1' && usable(el, ctx)) out.push(textLines(el, { hidden: ctx.hidden }).join('\n'));
  }
  // [class*="title" i], [id*="title" i]
  for (const el of all) {
    if (!(TITLE_RE.test(el.attribs.class ?? '') || TITLE_RE.test(el.attribs.id ?? ''))) continue;
    if (el.name === 'title' || el.name === 'meta' || !usable(el, ctx)) continue;
    const text = textLines(el, { hidden: ctx.hidden }).join('\n');
    if (text.length <= 120) out.push(text);
  }
  const docTitle = titleEl ? $(titleEl).text() : '';
  if (docTitle) {
    // "报告_某市人民政府", "报告 - 某区", "报告-某区"; a hyphen between digits (2019-2020) is no separator.
    out.push(...docTitle.split(/\s*(?:[_|｜]|(?<=\D)[-—–]+(?=\D))\s*/));
    out.push(docTitle);
  }
  const trimmed: string[] = [];
  for (const t of out) {
    const s = t.trim();
    if (s) trimmed.push(s);
  }
  return trimmed;
}

/** `*="title" i` of an attribute selector (css-select tests it with this regular expression). */
const TITLE_RE = /title/i;

/** The candidate that names the most of agency and year; null when none reads as a report title. */
export function pickTitle(candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestScore = 0;
  for (const c of candidates) {
    const m = parseTitle(c);
    const score = (m.agency ? 2 : 0) + (m.year ? 1 : 0);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** Title, then the article's lines; navigation inside the article is skipped, tables are tab rows. */
export function readableText(title: string | null, root: Element, ctx: ArticleContext): string {
  // A loop: a closure made per call is compiled again and again.
  const lines: string[] = [];
  for (const raw of textLines(root, { hidden: ctx.hidden, skip: ctx.chrome, tabRows: true })) {
    const l = raw.replace(/\u00a0/g, ' ').replace(/ +$/, '');
    if (l.trim()) lines.push(l);
  }
  if (title) {
    const head = oneLine(title);
    // The title is usually the article's own first line(s); it is not repeated.
    const opening = oneLine(lines.slice(0, title.split('\n').length).join(' '));
    if (opening !== head) lines.unshift(...title.split('\n'));
  }
  return lines.join('\n');
}
