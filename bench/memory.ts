/**
 * Memory over a long run: 1,000 documents of mixed formats (HTML, DOCX, PDF, text dumps — a
 * quarter each, readable and failed ones) extracted one after another in one process, with RSS
 * and heap sampled after a full GC every 100 documents. A leak shows as a series that climbs;
 * a healthy extractor's series is flat after the first hundred (modules loaded, JIT warm).
 *
 * The extraction runs in a child process started with --expose-gc (this same file, with
 * NIANBAO_BENCH_MEMORY=child), so the samples are of a process doing nothing else.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractRecord } from '../src/extractor.js';
import { generateReport } from '../test/fixtures/report.js';
import { renderHtml } from '../test/fixtures/render-html.js';
import { renderCellPerLine, renderLayout, renderRaw, renderTabRows } from '../test/fixtures/render-text.js';
import { listSamples } from '../test/helpers/samples.js';

const HERE = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(HERE), '..');
const FORMATS = ['html', 'docx', 'pdf', 'text'] as const;

export interface MemorySample {
  documents: number;
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
}

export interface MemoryBench {
  documents: number;
  byFormat: Record<string, number>;
  seconds: number;
  /** After a full GC: before the first document, then every 100. */
  series: MemorySample[];
  /** Least-squares slope over the samples from 300 documents on, in MB per 1,000 documents. */
  slopeMbPer1000: { rss: number; heapUsed: number; external: number };
  /** Highest minus lowest sample from 300 documents on. */
  spreadMb: { rss: number; heapUsed: number };
  growth: 'none' | 'suspect';
}

export function corpus(): Record<(typeof FORMATS)[number], Buffer[]> {
  const files = (kind: string) => listSamples(kind).map((s) => readFileSync(s.file));
  const generated = Array.from({ length: 12 }, (_, i) => generateReport(6000 + i, { blankZeros: i % 3 ? 0 : 0.2 }));
  return {
    html: [...files('html'), ...generated.slice(0, 6).map((r) => Buffer.from(renderHtml(r, { word: true, chrome: true })))],
    docx: files('docx'),
    pdf: files('pdf'),
    text: generated.flatMap((r, i) => [renderTabRows(r), renderCellPerLine(r), renderLayout(r), renderRaw(r, { valuesFirstSeed: i })].map((t) => Buffer.from(t))),
  };
}

const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;

function sample(documents: number): MemorySample {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  gc();
  const m = process.memoryUsage();
  return { documents, rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external) };
}

function slope(points: MemorySample[], key: 'rssMb' | 'heapUsedMb' | 'externalMb'): number {
  const xs = points.map((p) => p.documents);
  const ys = points.map((p) => p[key]);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const num = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0);
  const den = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  return Math.round((num / den) * 1000 * 100) / 100;
}

async function child(total: number): Promise<MemoryBench> {
  const docs = corpus();
  const byFormat: Record<string, number> = { html: 0, docx: 0, pdf: 0, text: 0 };
  const series: MemorySample[] = [sample(0)];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const format = FORMATS[i % FORMATS.length]!;
    const pool = docs[format];
    await extractRecord(pool[Math.floor(i / FORMATS.length) % pool.length]!, { uri: `memory-${i}` });
    byFormat[format]!++;
    if ((i + 1) % 100 === 0) series.push(sample(i + 1));
  }
  const seconds = (performance.now() - t0) / 1000;
  // The first samples still move: modules and pdf.js load, the JIT warms, the allocator settles.
  const settled = series.filter((s) => s.documents >= 300);
  const spread = (k: 'rssMb' | 'heapUsedMb') => Math.round((Math.max(...settled.map((s) => s[k])) - Math.min(...settled.map((s) => s[k]))) * 10) / 10;
  const slopes = { rss: slope(settled, 'rssMb'), heapUsed: slope(settled, 'heapUsedMb'), external: slope(settled, 'externalMb') };
  // A leak of even 5 KB per document shows as 5 MB per 1,000 on the heap.
  const growth = slopes.heapUsed > 5 || slopes.external > 5 ? 'suspect' : 'none';
  return { documents: total, byFormat, seconds, series, slopeMbPer1000: slopes, spreadMb: { rss: spread('rssMb'), heapUsed: spread('heapUsedMb') }, growth };
}

export async function benchMemory(total = 1000): Promise<MemoryBench> {
  const proc = fork(HERE, [String(total)], { cwd: ROOT, execArgv: ['--expose-gc', '--import', 'tsx'], env: { ...process.env, NIANBAO_BENCH_MEMORY: 'child' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((ok, fail) => {
    proc.once('message', (m: { result?: MemoryBench; error?: string }) => (m.result ? ok(m.result) : fail(new Error(m.error))));
    proc.once('exit', (code) => fail(new Error(`the memory benchmark's process exited (${code}) without a result`)));
  });
}

if (process.env.NIANBAO_BENCH_MEMORY === 'child') {
  child(Number(process.argv[2] ?? 1000)).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (err: unknown) => process.send!({ error: err instanceof Error ? err.stack : String(err) }, () => process.exit(1)),
  );
}
