/**
 * Golden records: extract every sample, every shared real document and a set of generated test
 * fixtures, and write each record as normalized JSON (timings and versions dropped) to a folder.
 * A speed change must leave the folder byte-identical: snapshot before, run after, `diff -r`.
 *
 *   NIANBAO_SHARED=/work/shared npx tsx scripts/golden.ts OUT_DIR [--only pdf,html,...]
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { extractRecord } from '../src/extractor.js';
import { generateReport } from '../test/fixtures/report.js';
import { renderHtml } from '../test/fixtures/render-html.js';
import { renderCellPerLine, renderLayout, renderRaw, renderTabRows } from '../test/fixtures/render-text.js';
import { generateOldReport, renderOldHtml, renderOldText } from '../test/fixtures/render-pre2019.js';

const ROOT = resolve(import.meta.dirname, '..');
const out = process.argv[2];
if (!out) throw new Error('usage: golden.ts OUT_DIR [--only ext,...]');
const onlyIdx = process.argv.indexOf('--only');
const only = onlyIdx > 0 ? new Set(process.argv[onlyIdx + 1]!.split(',')) : null;
const shared = process.env.NIANBAO_SHARED;

const SKIP = /(\.json|\.md|\.yaml|README[^/]*)$/i;
function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : SKIP.test(n) ? [] : [p];
  });
}

type Item = { name: string; bytes: () => Uint8Array };
const items: Item[] = [];
for (const f of walk(join(ROOT, 'samples'))) items.push({ name: `samples/${relative(join(ROOT, 'samples'), f)}`, bytes: () => readFileSync(f) });
if (shared) {
  for (const sub of ['seeds', 'real-fetched', 'real-flattened']) {
    for (const f of walk(join(shared, sub))) items.push({ name: `shared/${sub}/${basename(f)}`, bytes: () => readFileSync(f) });
  }
}
// The generated fixtures the tests use, in every rendering the tests use.
const enc = (s: string) => new TextEncoder().encode(s);
for (let seed = 1; seed <= 24; seed++) {
  const template = seed % 2 ? '2021' : '2019';
  const rep = generateReport(seed, { template, blankZeros: seed % 3 === 0 ? 0.5 : 0, fullWidth: seed % 5 === 0, otherAggregated: seed % 7 === 0 });
  items.push({ name: `gen/${seed}.html`, bytes: () => enc(renderHtml(rep)) });
  items.push({ name: `gen/${seed}.tab.txt`, bytes: () => enc(renderTabRows(rep, { pageBreakAfter: seed % 4 === 0 ? 6 : undefined })) });
  items.push({ name: `gen/${seed}.cell.txt`, bytes: () => enc(renderCellPerLine(rep, { verticalGroup: seed % 3 === 1 })) });
  items.push({ name: `gen/${seed}.layout.txt`, bytes: () => enc(renderLayout(rep, { typoSeed: seed % 4 === 1 ? seed : undefined })) });
  items.push({ name: `gen/${seed}.raw.txt`, bytes: () => enc(renderRaw(rep, { glue: seed % 2 === 0, valuesFirstSeed: seed % 3 === 2 ? seed : undefined })) });
}
for (let seed = 1; seed <= 4; seed++) {
  const old = generateOldReport(seed);
  items.push({ name: `gen/old-${seed}.txt`, bytes: () => enc(renderOldText(old)) });
  items.push({ name: `gen/old-${seed}.html`, bytes: () => enc(renderOldHtml(old)) });
}

/** Drop what legitimately changes between runs: timings, versions, extraction timestamps. */
const VOLATILE = new Set(['extractedAt', 'extractorVersion', 'version', 'elapsedMs', 'durationMs', 'timings']);
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!VOLATILE.has(k)) o[k] = normalize(x);
    return o;
  }
  return v;
}

mkdirSync(out, { recursive: true });
const t0 = performance.now();
const c0 = process.cpuUsage();
const perExt = new Map<string, { n: number; ms: number }>();
for (const it of items) {
  const ext = extname(it.name).slice(1).toLowerCase();
  if (only && !only.has(ext)) continue;
  const s = performance.now();
  const rec = await extractRecord(it.bytes(), { uri: it.name });
  const e = perExt.get(ext) ?? { n: 0, ms: 0 };
  e.n++;
  e.ms += performance.now() - s;
  perExt.set(ext, e);
  writeFileSync(join(out, `${it.name.replace(/[/\\]/g, '__')}.json`), `${JSON.stringify(normalize(rec), null, 1)}\n`);
}
const cpu = process.cpuUsage(c0);
process.stderr.write(`${[...perExt].map(([k, v]) => `${k}: ${v.n} files ${v.ms.toFixed(0)} ms`).join('; ')}\nwall ${(performance.now() - t0).toFixed(0)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms\n`);
