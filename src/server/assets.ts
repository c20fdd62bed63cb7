/**
 * The review pages' only static asset: one stylesheet, kept in code so the build needs no copy
 * step and the server never serves files from disk (no paths to traverse, no listings). The
 * pages' one script (review-script.ts) is served the same way.
 */
import { createHash } from 'node:crypto';

export const APP_CSS = `
:root { --fg:#1d2330; --muted:#5d6675; --line:#d9dee6; --bg:#f6f7f9; --card:#fff; --accent:#1f5fbf;
  --err:#b3261e; --err-bg:#fde7e4; --warn:#8a5a00; --warn-bg:#fff4d6; --ok:#1e7a3c; --ok-bg:#e3f5e8; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", sans-serif; color:var(--fg); background:var(--bg); }
a { color:var(--accent); text-decoration:none; } a:hover { text-decoration:underline; }
header.top { display:flex; gap:1.5rem; align-items:center; padding:.6rem 1.2rem; background:#18202e; color:#fff; }
header.top a { color:#cfd8e6; } header.top a.on { color:#fff; font-weight:600; }
header.top .brand { font-weight:700; color:#fff; margin-right:1rem; }
header.top .who { margin-left:auto; color:#cfd8e6; font-size:.85rem; } header.top form { margin-left:auto; } header.top .who + form { margin-left:0; }
main { padding:1rem 1.2rem 3rem; max-width:1500px; }
h1 { font-size:1.3rem; margin:.2rem 0 .8rem; } h2 { font-size:1.05rem; margin:1.4rem 0 .5rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:6px; padding:.8rem 1rem; margin-bottom:1rem; }
table.list, table.kv, table.values, table.issues { border-collapse:collapse; width:100%; background:var(--card); }
table.list th, table.list td, table.values th, table.values td, table.issues th, table.issues td { border-bottom:1px solid var(--line); padding:.35rem .5rem; text-align:left; vertical-align:top; }
table.list th, table.values th, table.issues th { font-weight:600; color:var(--muted); font-size:.85rem; }
table.kv th { text-align:left; color:var(--muted); font-weight:500; padding:.15rem 1rem .15rem 0; white-space:nowrap; vertical-align:top; }
table.kv td { padding:.15rem 0; word-break:break-all; }
td.num { text-align:right; font-variant-numeric:tabular-nums; }
.badge { display:inline-block; padding:0 .45rem; border-radius:9px; font-size:.8rem; font-weight:600; }
.badge.valid { background:var(--ok-bg); color:var(--ok); } .badge.flagged { background:var(--warn-bg); color:var(--warn); }
.badge.failed, .badge.error { background:var(--err-bg); color:var(--err); } .badge.warning { background:var(--warn-bg); color:var(--warn); }
.badge.info { background:#e8eef8; color:#34548a; }
code, .code { font-family:ui-monospace, "SFMono-Regular", Menlo, monospace; font-size:.85em; }
.chip { display:inline-block; background:#eef1f5; border-radius:4px; padding:0 .35rem; margin:0 .2rem .2rem 0; font-size:.8rem; }
.muted { color:var(--muted); } .small { font-size:.85rem; }
form.filters { display:flex; flex-wrap:wrap; gap:.6rem; align-items:end; }
form.filters label { display:flex; flex-direction:column; font-size:.8rem; color:var(--muted); }
input, select, button { font:inherit; padding:.3rem .5rem; border:1px solid var(--line); border-radius:4px; background:#fff; }
button { cursor:pointer; background:var(--accent); color:#fff; border-color:var(--accent); }
button.secondary { background:#fff; color:var(--accent); }
.facets > * { margin-right:1rem; }
.pager { display:flex; gap:1rem; margin-top:.8rem; }
.notice { padding:.5rem .8rem; border-radius:4px; background:#e8eef8; margin-bottom:1rem; }
.notice.error { background:var(--err-bg); color:var(--err); }
.split { display:grid; grid-template-columns:minmax(0,1.25fr) minmax(0,1fr); gap:1rem; align-items:start; }
@media (max-width: 1100px) { .split { grid-template-columns:1fr; } }
.source { overflow:auto; position:sticky; top:.5rem; max-height:calc(100vh - 1rem); }
@media (max-width: 1100px) { .source { position:static; max-height:none; } }
table.grid { border-collapse:collapse; margin:.3rem 0 1rem; background:#fff; font-size:.82rem; }
table.grid td { border:1px solid #aab3c0; padding:.15rem .3rem; white-space:pre-line; vertical-align:middle; min-width:1.5rem; }
table.grid td.field { background:#f3f7ff; }
table.grid td.warned { background:var(--warn-bg); outline:2px solid #e0b23a; outline-offset:-2px; }
table.grid td.flagged { background:var(--err-bg); outline:2px solid var(--err); outline-offset:-2px; font-weight:600; }
table.grid td.gap { background:repeating-linear-gradient(45deg,#fafafa,#fafafa 4px,#eee 4px,#eee 8px); }
table.grid td:target { box-shadow:0 0 0 3px var(--accent); }
table.values td:last-child { white-space:nowrap; }
table.values .code { overflow-wrap:anywhere; }
#extracted { min-width:0; overflow-x:auto; }
table.values tr.flagged td { background:var(--err-bg); } table.values tr.warned td { background:var(--warn-bg); }
table.values tr.section th { background:#eef1f5; color:var(--fg); }
details > summary { cursor:pointer; color:var(--muted); margin:.4rem 0; }
.signin { max-width:420px; margin:12vh auto; }
ul.identities { list-style:none; padding:0; margin:.3rem 0; max-height:22rem; overflow:auto; }
li.identity { padding:.2rem .4rem; border-left:4px solid var(--line); margin-bottom:.2rem; }
li.identity.broken { border-color:var(--err); background:var(--err-bg); }
li.identity.holds { border-color:var(--ok); background:var(--ok-bg); }
li.identity.unknown { border-color:#aab3c0; }
#identity-summary[data-broken="0"] { color:var(--ok); } #identity-summary:not([data-broken="0"]) { color:var(--err); }
table.values tr.blamed td { box-shadow:inset 3px 0 0 var(--err); }
table.values tr.overridden td { background:#eef6ff; }
table.values input[data-field] { width:7.5rem; text-align:right; font-variant-numeric:tabular-nums; }
input.invalid, tr.invalid input[data-field] { border-color:var(--err); background:var(--err-bg); }
.chip.reviewed { background:#dbe8ff; } .chip.confirmed { background:var(--ok-bg); } .chip.stale { background:var(--warn-bg); }
.savebar { position:sticky; bottom:0; display:flex; gap:.8rem; flex-wrap:wrap; align-items:center; }
.badge.review-reviewed { background:var(--ok-bg); color:var(--ok); } .badge.review-unreviewed { background:#eef1f5; color:var(--muted); }
.badge.review-needs_source { background:var(--warn-bg); color:var(--warn); }
`;

/** Long-lived and content-addressed: a new stylesheet gets a new URL. */
export const APP_CSS_PATH = `/assets/app.${createHash('sha256').update(APP_CSS).digest('hex').slice(0, 12)}.css`;
