/**
 * Pages of a small portal for the fault server: a listing of report links (with pagination),
 * an article page linking an attachment, and the report titles the crawler recognises.
 */

export interface ListItem {
  href: string;
  title: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A title the crawler takes for an annual report, with the agency and year it parses from it. */
export function reportTitle(agency: string, year: number): string {
  return `${agency}${year}年政府信息公开工作年度报告`;
}

/** A listing page; `next` adds a 下一页 link (pagination the crawler follows). */
export function listingHtml(items: readonly ListItem[], opts: { next?: string; title?: string } = {}): string {
  const lis = items.map((i) => `<li><a href="${esc(i.href)}" title="${esc(i.title)}">${esc(i.title)}</a><span class="date">2024-01-15</span></li>`).join('\n');
  const pager = opts.next ? `<div class="page"><a href="${esc(opts.next)}">下一页</a></div>` : '';
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(opts.title ?? '政府信息公开年报')}</title></head><body>
<div class="nav"><a href="/">首页</a></div>
<ul class="list">
${lis}
</ul>
${pager}
</body></html>`;
}

/** An article page whose body links the report file (the common 附件 layout). */
export function attachmentArticleHtml(title: string, fileHref: string, linkText: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body>
<h1>${esc(title)}</h1>
<div class="TRS_Editor"><p>根据《中华人民共和国政府信息公开条例》要求，现将${esc(title)}予以公布。</p>
<p>附件：<a href="${esc(fileHref)}">${esc(linkText)}</a></p></div>
</body></html>`;
}
