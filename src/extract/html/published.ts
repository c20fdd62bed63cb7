/**
 * When a page says it was published, and what it calls itself: the CMS's <meta> tags (PubDate,
 * firstpublishedtime, ArticleTitle …), else a "发布日期：2021-01-28" line. Pure over a cheerio
 * document; dates come out as YYYY-MM-DD.
 */
import type { CheerioAPI } from 'cheerio';
import { labelledDate, parseDate } from '../../normalize/dates.js';
import { type PageElements, textOf } from './dom.js';

const DATE_META = ['PubDate', 'pubdate', 'publishdate', 'PublishDate', 'firstpublishedtime', 'article:published_time', 'dc.date', 'DC.Date', 'Maketime', 'createDate'];

/** `page`: the page's elements when the caller has walked them already (see pageElements). */
export function publishedInHtml($: CheerioAPI, page?: PageElements): string | null {
  const metas = metaTags($, page);
  for (const name of DATE_META) {
    const d = parseDate(metaContent(metas, name));
    if (d) return d;
  }
  // parse5 makes one <body> at most: its text is `$('body').text()`.
  return labelledDate(page ? (page.body ? textOf(page.body) : '') : $('body').text());
}

export function titleInHtml($: CheerioAPI, page?: PageElements): string | null {
  const metas = metaTags($, page);
  for (const name of ['ArticleTitle', 'articletitle', 'og:title']) {
    const t = metaContent(metas, name)?.replace(/\s+/g, ' ').trim();
    if (t) return t;
  }
  return null;
}

type Attribs = Record<string, string>;

/** The attributes of every <meta>, in document order: one walk of the page instead of one per name asked. */
function metaTags($: CheerioAPI, page?: PageElements): Attribs[] {
  // Loops: a closure made per call is compiled again and again.
  const out: Attribs[] = [];
  for (const el of page ? page.elements : $('meta').toArray()) if (el.name === 'meta') out.push(el.attribs);
  return out;
}

/**
 * The content of the first <meta> named `name` (by name= or property=, compared exactly as the
 * selector `meta[name="…"], meta[property="…"]` compares them).
 */
function metaContent(metas: readonly Attribs[], name: string): string | undefined {
  for (const a of metas) if (a.name === name || a.property === name) return a.content;
  return undefined;
}
