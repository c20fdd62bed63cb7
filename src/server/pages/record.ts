/**
 * /review/record?url=…: one record — metadata, issues, the source grid beside the extracted
 * values with the cells behind error issues highlighted, and the Re-extract button. Pure.
 */
import type { ExtractedDoc } from '../../extract/grid.js';
import type { LeftOutPositions } from '../../record/build.js';
import type { StoredDocument, StoredRecord } from '../../store/index.js';
import { provenanceText, valueSections } from '../fields.js';
import { cellAnchor, renderGridTable } from '../grid-html.js';
import type { GridResult } from '../grid-cache.js';
import { type SafeHtml, externalHref, html, pathWith } from '../html.js';
import { type Chrome, fullTime, page, shortTime } from '../layout.js';
import { type CellInfo, cellKey, cellMarks } from '../marks.js';
import { type CorrectionView, correctionHtml } from './correction.js';
import { issueShort } from '../phrases.js';

export interface Notice {
  kind: 'info' | 'error';
  text: string;
  link?: { href: string; text: string };
}

export interface RecordView {
  url: string;
  stored: StoredRecord | null;
  doc: StoredDocument | null;
  /** The rebuilt grid, or why there is none; null when there is nothing to rebuild from. */
  grid: GridResult | null;
  notice: Notice | null;
  /** Whether Re-extract can run, and how (queued or in this process). */
  reextract: { available: true; mode: 'queue' | 'inline' } | { available: false; why: string };
  extractorVersion: string;
  /** The correction form (records with values only). */
  correction?: CorrectionView | null;
  /** The next flagged record nobody has settled, for the keyboard path. */
  nextFlagged?: string | null;
  /** Grid cells of the fields left out as ambiguous (ambiguous-cells.ts). */
  ambiguousAt?: LeftOutPositions;
}

export function noticeHtml(n: Notice | null) {
  if (!n) return null;
  return html`<p class="notice ${n.kind === 'error' ? 'error' : ''}" role="status" id="notice">${n.text}${n.link ? html` <a href="${n.link.href}">${n.link.text}</a>` : null}</p>`;
}

export { provenanceText } from '../fields.js';

function metadata(v: RecordView): SafeHtml {
  const s = v.stored;
  const r = s?.record;
  const href = externalHref(v.url);
  const rows: [string, unknown][] = [
    ['Source', href ? html`<a href="${href}" rel="noreferrer noopener" target="_blank">${v.url}</a>` : v.url],
    ['Status', r ? html`<span class="badge ${r.status}" id="status">${r.status}</span>` : html`<span id="status">no record</span>`],
    ['Agency', r?.agency ?? '–'],
    ['Year', r?.year ?? '–'],
    ['Template', r?.template ?? '–'],
    ['Format', r?.source.format ?? '–'],
    ['Region', s ? `${s.regionName ?? '–'} ${s.regionCode ?? ''}` : '–'],
    ['Portal', s?.portalId ?? v.doc?.portalId ?? '–'],
    ['SHA-256', r ? html`<span class="code">${r.source.sha256}</span>` : '–'],
    ['Extracted', s ? html`<span id="extracted-at" data-at="${s.extractedAt}">${fullTime(s.extractedAt)}</span> by ${s.extractorVersion}` : '–'],
    ['Fetched', v.doc ? `${shortTime(v.doc.fetchedAt) || '–'} (document ${v.doc.status}${v.doc.errorCode ? `: ${v.doc.errorCode}` : ''})` : 'not a crawled document'],
  ];
  return html`<table class="kv">${rows.map(([k, val]) => html`<tr><th>${k}</th><td>${val}</td></tr>`)}</table>`;
}

function reextractForm(v: RecordView, csrf: string): SafeHtml {
  if (!v.reextract.available) return html`<p class="muted small">Re-extract is unavailable: ${v.reextract.why}</p>`;
  const how = v.reextract.mode === 'queue' ? 'queues an extract job (force) for the workers' : 'runs the current extractor in this process';
  return html`<form method="post" action="/review/reextract" class="reextract">
<input type="hidden" name="csrf" value="${csrf}">
<input type="hidden" name="url" value="${v.url}">
<button type="submit" id="reextract">Re-extract</button>
<span class="muted small">from the stored artifact with ${v.extractorVersion}; ${how}.</span>
</form>`;
}

/** A long field list (192 blank cells…) is folded after the first few. */
const SHOWN_FIELDS = 10;

function fieldChips(fields: readonly string[]): SafeHtml {
  const chip = (f: string) => html`<span class="chip code">${f}</span>`;
  if (fields.length <= SHOWN_FIELDS + 2) return html`${fields.map(chip)}`;
  return html`${fields.slice(0, SHOWN_FIELDS).map(chip)}<details><summary>and ${fields.length - SHOWN_FIELDS} more</summary>${fields.slice(SHOWN_FIELDS).map(chip)}</details>`;
}

function issuesTable(v: RecordView): SafeHtml | null {
  const issues = v.stored?.record.issues ?? [];
  if (!issues.length) return html`<p class="muted">No issues.</p>`;
  return html`<table class="issues" id="issues"><thead><tr><th>Severity</th><th>Code</th><th>Message</th><th>Fields</th></tr></thead><tbody>
${issues.map((i) => html`<tr class="${i.severity}"><td><span class="badge ${i.severity}">${i.severity}</span></td><td><span class="code">${i.code}</span><div class="small muted">${issueShort(i.code)}</div></td><td>${i.message}</td><td>${fieldChips(i.fields ?? [])}</td></tr>`)}
</tbody></table>`;
}

function tableHasFields(doc: ExtractedDoc, ti: number, cells: ReadonlyMap<string, CellInfo>): boolean {
  return doc.tables[ti]!.rows.some((r) => r.some((c) => cells.has(cellKey(ti, c.row, c.col))));
}

function sourceGrid(v: RecordView): SafeHtml {
  if (!v.grid) return html`<p class="muted">No stored artifact to show.</p>`;
  if (!v.grid.ok) return html`<p class="notice error">The source grid cannot be rebuilt: ${v.grid.reason}</p>`;
  const doc = v.grid.doc;
  const record = v.stored?.record;
  const cells = record ? cellMarks(record, v.ambiguousAt) : new Map<string, CellInfo>();
  const values = record?.values ?? {};
  const stale = v.stored && v.stored.extractorVersion !== v.extractorVersion;
  const tables = doc.tables.map((t, ti) => {
    const head = html`Table ${ti}${t.page ? html` · page ${t.page}` : null} · ${t.rows.length} rows${t.exact ? null : ' · text lines'}`;
    const grid = renderGridTable(t, { tableIndex: ti, cells, values });
    return tableHasFields(doc, ti, cells)
      ? html`<h3 class="small">${head}</h3>${grid}`
      : html`<details><summary>${head} (no fields read from it)</summary>${grid}</details>`;
  });
  return html`<p class="muted small">Rebuilt by ${v.extractorVersion} (${doc.method}${doc.pages ? `, ${doc.pages} pages` : ''}). Cells read into fields are tinted; red cells are named by an error issue (cells left out as ambiguous included), amber ones by a warning. Hover a cell for its field and value.</p>
${stale ? html`<p class="notice">This record was made by ${v.stored!.extractorVersion}; the grid is rebuilt by ${v.extractorVersion}, so highlights may be off until it is re-extracted.</p>` : null}
${tables}`;
}

function valuesTable(v: RecordView): SafeHtml {
  const record = v.stored?.record;
  if (!record || record.status === 'failed') return html`<p class="muted">No values: no record could be made.</p>`;
  const fmt = (x: number | null | undefined) => (x === undefined ? 'missing' : x === null ? 'blank' : String(x));
  return html`<table class="values" id="values"><thead><tr><th>Field</th><th>Value</th><th>Raw</th><th>Cell</th></tr></thead>
${valueSections(record).map(
    (s) => html`<tbody><tr class="section"><th colspan="4">${s.title}</th></tr>
${s.rows.map((r) => {
      const p = r.provenance;
      const where = p ? html`<a href="#${cellAnchor(p.table, p.row, p.col)}" title="${provenanceText(p)}">T${p.table} R${p.row} C${p.col}${p.page ? ` p.${p.page}` : ''}</a>` : '';
      return html`<tr data-field="${r.code}"${r.mark ? html` class="${r.mark}"` : null}${r.issues.length ? html` title="${r.issues.join(', ')}"` : null}><td>${r.label || r.code}<div class="muted small code">${r.code}</div></td><td class="num">${fmt(r.value)}</td><td class="small">${r.raw ?? ''}</td><td class="small">${where}</td></tr>`;
    })}</tbody>`,
  )}</table>`;
}

export function recordPageHtml(v: RecordView, chrome: Chrome) {
  const r = v.stored?.record;
  const title = r ? `${r.agency ?? 'Unknown agency'} ${r.year ?? ''}`.trim() : 'No record';
  const body = html`<p class="small"><a href="/review">← Records</a>${v.nextFlagged ? html` · <a id="next-flagged" href="${pathWith('/review/record', { url: v.nextFlagged })}">Next flagged record →</a> <span class="muted">(keys: n next flagged, b first blamed cell)</span>` : null}</p>
<h1>${title}</h1>
${noticeHtml(v.notice)}
<div class="card">${metadata(v)}${reextractForm(v, chrome.csrf)}</div>
<h2>Issues</h2>
${issuesTable(v)}
<div class="split">
<section class="source" id="source"><h2>Source table</h2>${sourceGrid(v)}</section>
<section id="extracted"><h2>${v.correction ? 'Values and review' : 'Extracted values'}</h2>${v.correction ? correctionHtml(v.correction, chrome.csrf) : valuesTable(v)}</section>
</div>`;
  return page(title, 'review', chrome, body, { script: true });
}
