/** Publication dates as pages and dumps print them, as YYYY-MM-DD. Pure. */

const DATE_RE = /((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?/;

/** "2021-01-28 10:22", "2021/1/28", "2021年01月28日", "2021.01.28" → "2021-01-28"; null if none or not a real date. */
export function parseDate(s: string | null | undefined): string | null {
  if (!s) return null;
  const m = DATE_RE.exec(s.normalize('NFKC'));
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${String(y)}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const LABELLED_RE = /(?:发布日期|发布时间|发文日期|公开日期|成文日期|发表时间|更新时间)\s*[:：]?\s*((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})/;

/** The date after 发布日期 / 发布时间 / …, in a page's text or a dump's header lines. */
export function labelledDate(text: string): string | null {
  return parseDate(LABELLED_RE.exec(text.normalize('NFKC'))?.[1]);
}

/** A date standing alone in a listing item ("2021-01-28", "[2021/01/28]", "2021年1月28日"). */
export function dateInListing(text: string): string | null {
  const m = /(?:^|[^\d])((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)(?!\d)/.exec(text.normalize('NFKC'));
  return parseDate(m?.[1]);
}
