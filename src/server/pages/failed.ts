/** /failed: every failed fetch and extraction with its reason, linking to the record and the queue. Pure. */
import type { FailedItem } from '../../store/index.js';
import { boardLinks } from '../board.js';
import { externalHref, html } from '../html.js';
import { type Chrome, page, shortTime } from '../layout.js';
import { recordHref } from './review.js';

export function failedPageHtml(items: readonly FailedItem[], chrome: Chrome, limit: number) {
  const n = (stage: FailedItem['stage']) => items.filter((i) => i.stage === stage).length;
  const [pages, fetches, extractions] = [n('discover'), n('fetch'), n('extract')];
  const plural = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  const body = html`<h1>Failed</h1>
<p class="muted" id="failed-counts">${plural(pages, 'failed page (listing or article: the reports behind it were not found)', 'failed pages (listing or article: the reports behind them were not found)')}, ${plural(fetches, 'failed fetch', 'failed fetches')}, ${plural(extractions, 'failed extraction', 'failed extractions')}${items.length >= limit ? ` (the first ${limit} of each shown)` : ''}.
${chrome.queues ? html`Queue jobs: <a href="${boardLinks.failed('discover')}">failed discover jobs</a> · <a href="${boardLinks.failed('fetch')}">failed fetch jobs</a> · <a href="${boardLinks.failed('extract')}">failed extract jobs</a>.` : null}</p>
${items.length
  ? html`<table class="list" id="failed"><thead><tr><th>Stage</th><th>Reason</th><th>Document</th><th>When</th><th></th></tr></thead><tbody>
${items.map(
      (i) => html`<tr data-url="${i.url}" data-stage="${i.stage}">
<td>${i.stage}</td>
<td><span class="badge failed code">${i.code ?? 'unknown'}</span><div class="small">${i.message ?? ''}</div></td>
<td>${i.stage === 'discover' ? (externalHref(i.url) ? html`<a href="${externalHref(i.url)}" rel="noreferrer noopener" target="_blank">${i.url}</a>` : i.url) : html`<a href="${recordHref(i.url)}">${i.url}</a>`}<div class="muted small">${i.portalId ?? ''}</div></td>
<td class="small muted">${shortTime(i.at)}${i.attempts ? html`<div>${i.attempts} attempt${i.attempts === 1 ? '' : 's'}</div>` : null}</td>
<td class="small">${chrome.queues ? html`<a href="${boardLinks.failed(i.stage)}">queue</a>` : null}</td>
</tr>`,
    )}</tbody></table>`
  : html`<p class="card">Nothing has failed.</p>`}`;
  return page('Failed', 'failed', chrome, body);
}
