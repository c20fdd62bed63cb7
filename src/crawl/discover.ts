/**
 * Discovery: pure functions from a page's HTML to what the crawler should do next — report links
 * and further listing pages on a listing, report documents on an article. No I/O here.
 */
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { AnyNode } from 'domhandler';
import { type ArticleInfo, classifyArticle, reportAttachments } from './article.js';
import type { Selectors } from './config.js';
import { type HtmlBounds, checkHtmlBounds } from '../extract/html/bounds.js';
import { findListingPages } from './pagination.js';
import { dateInListing } from '../normalize/dates.js';
import { cleanText, isReportTitle, parseReportTitle } from './title.js';
import { documentExtension, hrefFromOnclick, resolveHref } from './urls.js';

/** A report link found on a listing page, before its target is looked at. */
export interface ReportLink {
  url: string;
  title: string;
  year: number | null;
  agency: string | null;
  /** The link points straight at a PDF/DOC/DOCX/WPS file, not at an article page. */
  direct: boolean;
  /** The date the listing prints beside the link (YYYY-MM-DD), if any. */
  published?: string | null;
}

/** One report to fetch and extract: the crawler's output. */
export interface ReportRef {
  portalId: string;
  /** The document: the article page for `inline`, the file for `attachment`. */
  url: string;
  /** The title the listing gave it. */
  title: string;
  year: number | null;
  agency: string | null;
  listingUrl: string;
  via: 'inline' | 'attachment';
  /** For an attachment, the article page that linked it (absent when the listing linked the file). */
  articleUrl?: string;
  /** Publication date (YYYY-MM-DD): the article page's own, else the listing's. */
  published?: string | null;
  publishedFrom?: 'article' | 'listing' | null;
}

export interface ListingDiscovery {
  reports: ReportLink[];
  pages: string[];
}

/**
 * Reads fetched pages for the crawler: discoverListing/discoverArticle in place by default, or a
 * parse pool (src/pool) that runs them in a worker thread under hard time and memory limits.
 */
export interface PageParser {
  listing(html: string, pageUrl: string, selectors?: Selectors): Promise<ListingDiscovery>;
  article(html: string, pageUrl: string, selectors?: Selectors): Promise<ArticleInfo>;
}

/** Parse a page; a page beyond the structural limits (bounds.ts) throws TooComplexError first. */
export function loadHtml(html: string, bounds?: Partial<HtmlBounds>): CheerioAPI {
  checkHtmlBounds(html, bounds);
  return cheerio.load(html);
}

/** `<base href>` changes what relative links mean. */
export function baseUrlOf($: CheerioAPI, pageUrl: string): string {
  return resolveHref($('base[href]').first().attr('href'), pageUrl) ?? pageUrl;
}

export function findReportLinks($: CheerioAPI, pageUrl: string, selector?: string): ReportLink[] {
  const base = baseUrlOf($, pageUrl);
  const scope = selector ? $(selector) : $('a');
  const anchors = scope.is('a') ? scope : scope.find('a');
  const out = new Map<string, ReportLink>();
  const linkHolders = holdersOfManyLinks($);
  anchors.each((_, el) => {
    const a = $(el);
    const url = resolveHref(a.attr('href'), base) ?? resolveHref(hrefFromOnclick(a.attr('onclick')), base);
    if (!url) return;
    // Listings truncate long titles in the text ("…工作年…") and keep the full one in title="".
    const attr = cleanText(a.attr('title') ?? '');
    const text = cleanText(a.text());
    const title = isReportTitle(attr) ? attr : isReportTitle(text) ? text : null;
    if (!title || out.has(url)) return;
    const { year, agency } = parseReportTitle(title);
    const published = dateNear($, el, linkHolders);
    out.set(url, { url, title, year, agency, direct: documentExtension(url) !== null, ...(published ? { published } : {}) });
  });
  return [...out.values()];
}

/**
 * The date a listing prints beside a link: in the link's own item (<li>, <tr>, <dd>…, at most
 * three levels up), as long as that item holds no other link — a date in a box of many links
 * belongs to none of them in particular.
 */
function dateNear($: CheerioAPI, a: AnyNode, holdersOfMany: ReadonlySet<AnyNode>): string | null {
  const own = dateInListing(cleanText($(a).text()));
  if (own) return own;
  let node = $(a).parent();
  for (let depth = 0; depth < 3 && node.length && !node.is('body, html, ul, ol, table, tbody'); depth++) {
    if (holdersOfMany.has(node[0]!)) return null;
    const d = dateInListing(cleanText(node.text()));
    if (d) return d;
    node = node.parent();
  }
  return null;
}

/**
 * The elements holding more than one `a[href]`, found in one pass: each link climbs its
 * ancestors until one already known to hold two, whose ancestors all do too. Asking every link's
 * item how many links it holds (`find`) cost the square of the links in one container: a
 * listing of 2,000 links in one <div> took minutes.
 */
function holdersOfManyLinks($: CheerioAPI): Set<AnyNode> {
  const seen = new Map<AnyNode, number>();
  const many = new Set<AnyNode>();
  $('a[href]').each((_, a) => {
    for (let n: AnyNode | null = a; n && !many.has(n); n = n.parent) {
      const c = (seen.get(n) ?? 0) + 1;
      if (c > 1) many.add(n);
      else seen.set(n, c);
    }
  });
  return many;
}

export function discoverListing(html: string, pageUrl: string, selectors: Selectors = {}): ListingDiscovery {
  const $ = loadHtml(html);
  const base = baseUrlOf($, pageUrl);
  return { reports: findReportLinks($, pageUrl, selectors.listLinks), pages: findListingPages($, base, selectors.nextPage) };
}

export function discoverArticle(html: string, pageUrl: string, selectors: Selectors = {}): ArticleInfo {
  const $ = loadHtml(html);
  return classifyArticle($, baseUrlOf($, pageUrl), selectors);
}

/**
 * The reports an article page stands for. Inline tables win over attachments (the page is the
 * richer source and the attachment is usually the same report); a page with neither still yields
 * an inline ref, so extraction records why it holds no report instead of the crawl losing it.
 */
export function refsFromArticle(info: ArticleInfo, link: Pick<ReportLink, 'title' | 'year' | 'agency' | 'published'>, ctx: { portalId: string; pageUrl: string; listingUrl: string }): ReportRef[] {
  const year = link.year ?? info.year;
  const agency = link.agency ?? info.agency;
  const published = info.published ?? link.published ?? null;
  const dated = published ? { published, publishedFrom: info.published ? ('article' as const) : ('listing' as const) } : {};
  const base = { portalId: ctx.portalId, title: link.title, year, agency, listingUrl: ctx.listingUrl, ...dated };
  if (info.hasReportTables) return [{ ...base, url: ctx.pageUrl, via: 'inline' }];
  const atts = reportAttachments(info.attachments);
  if (atts.length) return atts.map((a) => ({ ...base, url: a.url, via: 'attachment' as const, articleUrl: ctx.pageUrl }));
  return [{ ...base, url: ctx.pageUrl, via: 'inline' }];
}

export function refFromDirectLink(link: ReportLink, ctx: { portalId: string; listingUrl: string }): ReportRef {
  const dated = link.published ? { published: link.published, publishedFrom: 'listing' as const } : {};
  return { portalId: ctx.portalId, url: link.url, title: link.title, year: link.year, agency: link.agency, listingUrl: ctx.listingUrl, via: 'attachment', ...dated };
}
