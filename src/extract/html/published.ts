/**
 * When a page says it was published, and what it calls itself: the CMS's <meta> tags (PubDate,
 * firstpublishedtime, ArticleTitle …), else a "发布日期：2021-01-28" line. Pure over a cheerio
 * document; dates come out as YYYY-MM-DD.
 */
import type { CheerioAPI } from 'cheerio';
import { labelledDate, parseDate } from '../../normalize/dates.js';

const DATE_META = ['PubDate', 'pubdate', 'publishdate', 'PublishDate', 'firstpublishedtime', 'article:published_time', 'dc.date', 'DC.Date', 'Maketime', 'createDate'];

export function publishedInHtml($: CheerioAPI): string | null {
  for (const name of DATE_META) {
    const d = parseDate($(`meta[name="${name}"], meta[property="${name}"]`).first().attr('content'));
    if (d) return d;
  }
  return labelledDate($('body').text());
}

export function titleInHtml($: CheerioAPI): string | null {
  for (const name of ['ArticleTitle', 'articletitle', 'og:title']) {
    const t = $(`meta[name="${name}"], meta[property="${name}"]`).first().attr('content')?.replace(/\s+/g, ' ').trim();
    if (t) return t;
  }
  return null;
}
