/**
 * What an article page holds: the report itself as inline tables (the HTML is the document), or
 * links to the report as PDF/DOC/DOCX/WPS attachments.
 */
import type { CheerioAPI } from 'cheerio';
import { outermost, textOf } from '../extract/html/dom.js';
import { publishedInHtml } from '../extract/html/published.js';
import type { Selectors } from './config.js';
import { cleanText, isReportTitle, parseReportTitle } from './title.js';
import { documentExtension, hrefFromOnclick, isPageLike, resolveHref, unwrapViewer } from './urls.js';

export interface Attachment {
  url: string;
  /** Link text, or the file name when the link has none. */
  text: string;
  ext: string | null;
}

export interface ArticleInfo {
  title: string | null;
  year: number | null;
  agency: string | null;
  /** The page's own tables are the official report tables. */
  hasReportTables: boolean;
  attachments: Attachment[];
  /** The page's publication date (<meta name="PubDate">, 发布日期：…), YYYY-MM-DD. */
  published?: string | null;
}

/** Containers common CMSs put the article body in (TRS, 大汉, 拓尔思, 开普云…). */
const BODY_CANDIDATES = ['#UCAP-CONTENT', '.TRS_Editor', '#zoom', '.zoom', '.article-content', '.article_content', '.pages_content', '.content', '#content', '.article', 'article'];

/** Words that only the official tables contain. */
const TABLE_SIGNS = [/本年新收/, /予以公开/, /第二十条第/, /行政复议/, /结转下年度/];

const ATTACHMENT_TEXT = /附件|下载|原文|全文/;
const NOT_ATTACHMENT_TEXT = /中心|专区|客户端|APP|浏览器|阅读器|插件/i;

function bodyOf($: CheerioAPI, selector?: string) {
  if (selector) {
    const s = $(selector);
    if (s.length) return s;
  }
  for (const c of BODY_CANDIDATES) {
    const s = $(c).first();
    if (s.length && cleanText(s.text()).length > 20) return s;
  }
  return $('body').length ? $('body') : $.root();
}

/**
 * Whether the scope holds an official table. Only outermost tables are read: a nested table's
 * text is part of its outer table's, so reading each table of a nest again would cost the square
 * of the nest's size for nothing.
 */
export function hasReportTables(_$: CheerioAPI, scope: ReturnType<CheerioAPI>): boolean {
  return scope
    .toArray()
    .flatMap((root) => outermost(root, 'table'))
    .some((t) => {
      const text = cleanText(textOf(t)).replace(/\s/g, '');
      return TABLE_SIGNS.filter((re) => re.test(text)).length >= 2;
    });
}

export function findAttachments($: CheerioAPI, pageUrl: string, selector?: string): Attachment[] {
  const out = new Map<string, Attachment>();
  const scope = selector && $(selector).length ? $(selector) : $.root();
  const links = scope.is('a') ? scope : scope.find('a');
  links.each((_, el) => {
    const a = $(el);
    const href = resolveHref(a.attr('href'), pageUrl) ?? resolveHref(hrefFromOnclick(a.attr('onclick')), pageUrl);
    if (!href) return;
    const url = unwrapViewer(href);
    const text = cleanText(a.text()) || cleanText(a.attr('title') ?? '');
    const ext = documentExtension(url) ?? documentExtension(`http://x/${text}`);
    const byText = ATTACHMENT_TEXT.test(text) && !NOT_ATTACHMENT_TEXT.test(text) && text.length <= 80 && !isStaticPage(url);
    if (!ext && !byText) return;
    if (!out.has(url)) out.set(url, { url, text: text || decodeURIComponent(new URL(url).pathname.split('/').pop() ?? ''), ext });
  });
  // Reports embedded in a viewer: <iframe src="viewer.html?file=x.pdf">, <embed src="x.pdf">.
  $('iframe[src], embed[src], object[data]').each((_, el) => {
    const raw = $(el).attr('src') ?? $(el).attr('data');
    const href = resolveHref(raw, pageUrl);
    if (!href) return;
    const url = unwrapViewer(href);
    const ext = documentExtension(url);
    if (ext && !out.has(url)) out.set(url, { url, text: decodeURIComponent(new URL(url).pathname.split('/').pop() ?? ''), ext });
  });
  return [...out.values()];
}

/** An .html/.jsp page or a directory is a page, not a file (unless its query names a file). */
function isStaticPage(url: string): boolean {
  return isPageLike(url) && !documentExtension(url) && !/download|down|file|attach|fj/i.test(url);
}

export function pageTitle($: CheerioAPI): string | null {
  const candidates = [
    $('meta[name="ArticleTitle"]').attr('content'),
    $('meta[name="title"]').attr('content'),
    $('h1').first().text(),
    $('.title, .article-title, #title').first().text(),
    $('title').text(),
  ];
  for (const c of candidates) {
    const t = cleanText(c ?? '');
    if (t) return t;
  }
  return null;
}

export function classifyArticle($: CheerioAPI, pageUrl: string, selectors: Selectors = {}): ArticleInfo {
  const title = pageTitle($);
  const parsed = title ? parseReportTitle(title) : { year: null, agency: null };
  const body = bodyOf($, selectors.body);
  const attachments = findAttachments($, pageUrl, selectors.attachments ?? selectors.body);
  return { title, year: parsed.year, agency: parsed.agency, hasReportTables: hasReportTables($, body), attachments, published: publishedInHtml($) };
}

/**
 * Which attachments are the report: documents whose name reads like a report title, else every
 * document (an article about one report rarely attaches anything else). Unknown-extension
 * download links count only when no document link exists.
 */
export function reportAttachments(atts: readonly Attachment[]): readonly Attachment[] {
  const docs = atts.filter((a) => a.ext);
  const pool = docs.length ? docs : atts;
  const titled = pool.filter((a) => isReportTitle(a.text));
  return titled.length ? titled : pool;
}
