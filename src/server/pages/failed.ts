/** /failed: every failed fetch and extraction with its reason, linking to the record and the queue. Pure. */
import type { FailedItem } from '../../store/index.js';
import { boardLinks } from '../board.js';
import { html } from '../html.js';
import { type Chrome, page, shortTime } from '../layout.js';
import { recordHref } from './review.js';

export function failedPageHtml(items: readonly FailedItem[], chrome: Chrome, limit: number) {
  const fetches = items.filter((i) => i.stage === 'fetch').length;
  const body = html`<h1>Failed</h1>
<p class="muted">${fetches} failed fetch${fetches === 1 ? '' : 'es'}, ${items.length - fetches} failed extraction${items.length - fetches === 1 ? '' : 's'}${items.length >= limit ? ` (the first ${limit} of each shown)` : ''}.
${chrome.queues ? html`Queue jobs: <a href="${boardLinks.failed('fetch')}">failed fetch jobs</a> · <a href="${boardLinks.failed('extract')}">failed extract jobs</a>.` : null}</p>
${items.length
  ? html`<table class="list" id="failed"><thead><tr><th>Stage</th><th>Reason</th><th>Document</th><th>When</th><th></th></tr></thead><tbody>
${items.map(
      (i) => html`<tr data-url="${i.url}" data-stage="${i.stage}">
<td>${i.stage}</td>
<td><span class="badge failed code">${i.code ?? 'unknown'}</span><div class="small">${i.message ?? ''}</div></td>
<td><a href="${recordHref(i.url)}">${i.url}</a><div class="muted small">${i.portalId ?? ''}</div></td>
<td class="small muted">${shortTime(i.at)}${i.attempts ? html`<div>${i.attempts} attempt${i.attempts === 1 ? '' : 's'}</div>` : null}</td>
<td class="small">${chrome.queues ? html`<a href="${boardLinks.failed(i.stage)}">queue</a>` : null}</td>
</tr>`,
    )}</tbody></table>`
  : html`<p class="card">Nothing has failed.</p>`}`;
  return page('Failed', 'failed', chrome, body);
}
