/**
 * The correction part of a record's page: the identities under the values in force (the
 * reviewer's over the extracted), and a form with one box per field — the extracted value beside
 * the value in force, a box to change it, "as published" to confirm a printed value that breaks
 * an identity — plus the review state, a note and the history of overrides. Pure.
 */
import type { ReviewOverlay } from '../../review/overlay.js';
import type { StoredOverride, StoredRecord } from '../../store/index.js';
import type { Identity } from '../../template/index.js';
import type { IdentityResult } from '../../validate/identities.js';
import { provenanceText, valueSections } from '../fields.js';
import { cellAnchor } from '../grid-html.js';
import { type SafeHtml, html, raw } from '../html.js';
import { shortTime } from '../layout.js';
import { issuePhrase } from '../phrases.js';

export interface CorrectionView {
  stored: StoredRecord;
  overlay: ReviewOverlay;
  /** The values in force: extracted, with the applied overrides over them. */
  values: Record<string, number | null>;
  identities: readonly Identity[];
  results: readonly IdentityResult[];
  history: readonly (StoredOverride & { removed: boolean })[];
  /** Who is signed in: the name every save is stored under. */
  reviewer: string;
  /** Fields whose typed value was not a number (after a refused save). */
  errors?: readonly { field: string; text: string }[];
}

const fmt = (x: number | null | undefined) => (x === undefined ? 'not located' : x === null ? 'blank' : String(x));
const boxText = (x: number | null | undefined) => (x === undefined || x === null ? '' : String(x));
const round = (x: number) => Math.round(x * 100) / 100;

export const STATE_LABELS = { unreviewed: 'unreviewed', reviewed: 'reviewed', needs_source: 'needs source (the document must be found or read again)' } as const;

function identityList(v: CorrectionView): SafeHtml {
  const broken = v.results.filter((r) => r.holds === false).length;
  const holds = v.results.filter((r) => r.holds === true).length;
  const undecided = v.results.length - broken - holds;
  // Broken first: what the reviewer has to settle.
  const order = v.results.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i);
  return html`<div class="card" id="identities"><h3 class="small">Identities under the values in force: <span id="identity-summary" data-broken="${broken}">${broken} broken, ${holds} hold, ${undecided} undecided</span></h3>
<details${broken ? html` open` : null}><summary>Show each identity (they re-run as you type)</summary>
<ul class="identities">${order.map(({ r, i }) => {
    const state = r.holds === null ? 'unknown' : r.holds ? 'holds' : 'broken';
    return html`<li id="identity-${i}" class="identity ${state}" data-state="${state}" data-id="${r.identity.id}"><span class="code">${r.identity.id}</span> <span class="lr">${state === 'unknown' ? 'undecided' : `${round(r.left)} ${state === 'holds' ? '=' : '≠'} ${round(r.right)}`}</span><div class="muted small">${r.identity.text}</div></li>`;
  })}</ul></details>
<script type="application/json" id="identities-data">${jsonBlock(v.identities.map((d) => ({ id: d.id, left: d.left, right: d.right })))}</script>
</div>`;
}

/**
 * JSON inside <script type="application/json">: the element's text is not entity-decoded, so it
 * cannot go through `html` escaping; instead every character that could end the element or start
 * markup is written as a JSON unicode escape.
 */
function jsonBlock(data: unknown): SafeHtml {
  return raw(JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

const rank = (r: IdentityResult) => (r.holds === false ? 0 : r.holds === null ? 1 : 2);

function sourceLabel(v: CorrectionView, field: string): SafeHtml | null {
  const s = v.overlay.sources[field];
  const o = v.overlay.applied.find((x) => x.field === field);
  if (!s || !o) {
    const stale = v.overlay.stale.find((x) => x.field === field);
    return stale ? html`<span class="chip stale" title="made on other bytes of this document">earlier review: ${stale.kind === 'value' ? fmt(stale.value) : 'as published'} (${stale.reviewer})</span>` : null;
  }
  return html`<span class="chip ${s}" title="${o.note ?? ''}">${s === 'reviewed' ? 'reviewed' : 'as published'} · ${o.reviewer}</span>`;
}

function valuesForm(v: CorrectionView, csrf: string): SafeHtml {
  const record = v.stored.record;
  const errors = new Map((v.errors ?? []).map((e) => [e.field, e.text]));
  const stale = new Map(v.overlay.stale.map((o) => [o.field, o]));
  const rows = valueSections(record);
  return html`<form method="post" action="/review/correct" id="correct" class="correct">
<input type="hidden" name="csrf" value="${csrf}">
<input type="hidden" name="url" value="${v.stored.url}">
<input type="hidden" name="sha256" value="${v.stored.sha256}">
<table class="values" id="values"><thead><tr><th>Field</th><th>Extracted</th><th>Value in force</th><th>As published</th><th>Cell</th></tr></thead>
${rows.map(
    (s) => html`<tbody><tr class="section"><th colspan="5">${s.title}</th></tr>
${s.rows.map((r) => {
      const p = r.provenance;
      const where = p ? html`<a href="#${cellAnchor(p.table, p.row, p.col)}" title="${provenanceText(p)}">T${p.table} R${p.row} C${p.col}${p.page ? ` p.${p.page}` : ''}</a>` : '';
      const st = stale.get(r.code);
      // A stale override is offered again (prefilled) for the reviewer to keep or drop.
      const inForce = st && st.kind === 'value' ? st.value : Object.hasOwn(v.values, r.code) ? v.values[r.code] : undefined;
      const typed = errors.get(r.code);
      const located = Object.hasOwn(v.values, r.code) || (st?.kind === 'value');
      const confirmed = v.overlay.sources[r.code] === 'confirmed';
      const cls = [r.mark, v.overlay.sources[r.code] ? 'overridden' : null, typed !== undefined ? 'invalid' : null].filter(Boolean).join(' ');
      return html`<tr data-field="${r.code}"${cls ? html` class="${cls}"` : null}${r.issues.length ? html` title="${r.issues.map(issuePhrase).join('; ')}"` : null}>
<td>${r.label || r.code}<div class="muted small code">${r.code}</div></td>
<td class="num" data-extracted>${fmt(Object.hasOwn(record.values, r.code) ? record.values[r.code] : undefined)}<div class="small muted">${r.raw ?? ''}</div></td>
<td><input name="v:${r.code}" data-field="${r.code}" data-located="${located ? '1' : '0'}" value="${typed ?? boxText(inForce)}" size="9" inputmode="decimal" autocomplete="off" aria-label="${r.code}"> ${sourceLabel(v, r.code)}</td>
<td>${Object.hasOwn(record.values, r.code) && (r.mark === 'flagged' || confirmed) ? html`<input type="checkbox" name="p:${r.code}" aria-label="${r.code} as published"${confirmed ? html` checked` : null}>` : null}</td>
<td class="small">${where}</td></tr>`;
    })}</tbody>`,
  )}</table>
<div class="card savebar">
<label>Review state <select name="state" id="review-state">${Object.entries(STATE_LABELS).map(([k, label]) => html`<option value="${k}"${k === (v.overlay.savedState === 'unreviewed' || !v.overlay.savedState ? 'reviewed' : v.overlay.savedState) ? html` selected` : null}>${label}</option>`)}</select></label>
<label>Note <input name="note" maxlength="2000" size="40" placeholder="why (stored with each changed field)"></label>
<button type="submit" id="save-review">Save as ${v.reviewer}</button>
<span class="muted small">The extracted record is never changed: each changed field is stored as an override (who, when, old and new value, note). Money in 元.</span>
</div>
</form>`;
}

function historyList(v: CorrectionView): SafeHtml | null {
  if (!v.history.length) return null;
  return html`<details id="history"><summary>History of this record's overrides (${v.history.length})</summary><table class="list small"><thead><tr><th>When</th><th>Reviewer</th><th>Field</th><th>Change</th><th>Note</th></tr></thead><tbody>
${[...v.history].reverse().map((h) => html`<tr><td>${shortTime(h.at)}</td><td>${h.reviewer}</td><td class="code">${h.field}</td><td>${h.removed ? 'back to the extraction' : h.kind === 'as_published' ? `${fmt(h.extracted)} confirmed as published` : `${fmt(h.extracted)} → ${fmt(h.value)}`}${h.sha256 !== v.stored.sha256 ? html` <span class="chip stale">other bytes</span>` : null}</td><td>${h.note ?? ''}</td></tr>`)}
</tbody></table></details>`;
}

export function correctionHtml(v: CorrectionView, csrf: string): SafeHtml {
  const o = v.overlay;
  const staleNote = o.stale.length
    ? html`<p class="notice error" id="stale">The document changed since it was reviewed: ${o.stale.length} override${o.stale.length === 1 ? '' : 's'} made on the earlier bytes ${o.stale.length === 1 ? 'is' : 'are'} not applied. Check ${o.stale.length === 1 ? 'it' : 'them'} below (prefilled) and save to keep, or clear the box to drop.</p>`
    : null;
  return html`<p class="small">Review: <span class="badge review-${o.state}" id="review-state-now">${o.state}</span>${o.reviewedAt ? html` <span class="muted">last saved ${shortTime(o.reviewedAt)} by ${o.reviewers.join(', ')}</span>` : null}</p>
${staleNote}
${identityList(v)}
${valuesForm(v, csrf)}
${historyList(v)}`;
}
