/**
 * Text-dump extraction throughput on a fixed corpus: the seeds and real pdftotext dumps (when
 * ../shared is present) plus generated reports in every dump style, always the same seeds.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractRecord } from '../src/extractor.js';
import { generateReport } from '../test/fixtures/report.js';
import { renderCellPerLine, renderLayout, renderRaw, renderTabRows } from '../test/fixtures/render-text.js';
import { SHARED_DIR } from '../test/helpers/shared.js';
import { flatCase, renderFlat } from '../test/fixtures/render-flat.js';
import { renderMarkdown } from '../test/fixtures/render-markdown.js';

export interface TextBench {
  documents: number;
  seconds: number;
  recordsPerSecond: number;
  byStyle: Record<string, { documents: number; recordsPerSecond: number; valid: number }>;
  peakRssMb: number;
}

function corpus(): Record<string, Buffer[]> {
  const out: Record<string, Buffer[]> = { tab: [], cell: [], layout: [], raw: [], markdown: [], flattened: [], real: [] };
  for (let s = 1; s <= 50; s++) {
    const rep = generateReport(1000 + s, { blankZeros: s % 4 === 0 ? 0.1 : 0 });
    out.tab!.push(Buffer.from(renderTabRows(rep, { pageBreakAfter: 8 })));
    out.cell!.push(Buffer.from(renderCellPerLine(rep)));
    out.layout!.push(Buffer.from(renderLayout(rep)));
    out.raw!.push(Buffer.from(renderRaw(rep, { valuesFirstSeed: s })));
    out.markdown!.push(Buffer.from(renderMarkdown(rep, { split: s % 2 === 0 })));
  }
  // Flattened dumps: the first 50 of the 300 that test/flattened.slow.test.ts measures.
  for (let s = 1; s <= 50; s++) {
    const { rep, opts } = flatCase(s);
    out.flattened!.push(Buffer.from(renderFlat(rep, opts)));
  }
  if (SHARED_DIR) {
    for (const f of readdirSync(join(SHARED_DIR, 'seeds'))) out.real!.push(readFileSync(join(SHARED_DIR, 'seeds', f)));
    for (const f of ['009', '010', '011']) out.real!.push(readFileSync(join(SHARED_DIR, 'real-fetched', `${f}.pdftext.txt`)));
    for (const f of ['pingtan-2019', 'pingtan-2023']) out.flattened!.push(readFileSync(join(SHARED_DIR, 'real-flattened', `${f}.txt`)));
  }
  return out;
}

export async function benchText(rounds = 3): Promise<TextBench> {
  const docs = corpus();
  let peak = process.memoryUsage().rss;
  const byStyle: TextBench['byStyle'] = {};
  let total = 0;
  let seconds = 0;
  for (const [style, files] of Object.entries(docs)) {
    if (!files.length) continue;
    // Warm-up round (JIT), then timed rounds.
    for (const b of files) await extractRecord(b, { uri: style });
    let valid = 0;
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) {
      for (const b of files) {
        const rec = await extractRecord(b, { uri: style });
        if (r === 0 && rec.status === 'valid') valid++;
      }
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    byStyle[style] = { documents: files.length, recordsPerSecond: (files.length * rounds) / s, valid };
    total += files.length * rounds;
    seconds += s;
  }
  return { documents: total, seconds, recordsPerSecond: total / seconds, byStyle, peakRssMb: peak / 2 ** 20 };
}

/**
 * Distinct generated dumps, each extracted once: seeds 100–399, every third with half its zeros
 * written blank (the dumps whose rows have many readings), the four text styles in turn. Unlike
 * benchText no document repeats, so the process-wide memos hit only as much as a stream of new
 * reports lets them; the first `warmUp` documents are left out of the rate (JIT). CPU time is
 * this process's. `extractor`: a compiled extractor module to measure instead of the sources
 * (A/B against another build: `--extractor /path/to/dist/src/extractor.js`).
 *
 *   npx tsx bench/text.ts distinct [--extractor FILE] [--write DIR]   (or `npm run bench text-distinct`)
 */
export async function benchTextDistinct(opts: { extractor?: string; write?: string; warmUp?: number } = {}): Promise<{ documents: number; cpuSeconds: number; docsPerCpuSecond: number; valid: number; wallSeconds: number }> {
  const renders = [renderTabRows, renderCellPerLine, renderLayout, renderRaw];
  const docs: Buffer[] = [];
  for (let seed = 100; seed < 400; seed++) {
    const rep = generateReport(seed, { blankZeros: seed % 3 === 0 ? 0.5 : 0 });
    docs.push(Buffer.from(renders[seed % renders.length]!(rep, {})));
  }
  if (opts.write) {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(opts.write, { recursive: true });
    docs.forEach((b, i) => writeFileSync(join(opts.write!, `g${100 + i}.txt`), b));
  }
  const extract = opts.extractor ? ((await import(opts.extractor)) as { extractRecord: typeof extractRecord }).extractRecord : extractRecord;
  const warmUp = opts.warmUp ?? 30;
  for (const b of docs.slice(0, warmUp)) await extract(b, { uri: 'warm-up' });
  let valid = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const b of docs.slice(warmUp)) if ((await extract(b, { uri: 'distinct' })).status === 'valid') valid++;
  const c = process.cpuUsage(c0);
  const cpuSeconds = (c.user + c.system) / 1e6;
  const documents = docs.length - warmUp;
  return { documents, cpuSeconds, docsPerCpuSecond: documents / cpuSeconds, valid, wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1]) && process.argv[2] === 'distinct') {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  console.log(JSON.stringify(await benchTextDistinct({ extractor: arg('--extractor'), write: arg('--write') })));
}
