/**
 * Memory of the compiled `nianbao run` (local mode: SQLite + artifacts folder, the parse pool's
 * threads) over ~1,000 mixed documents — HTML article pages with their tables inline, PDF and
 * DOCX attachments, a third each, readable and failed ones (the corpus of bench/memory.ts) —
 * served by a portal on 127.0.0.1 in this process. The way a user runs it: plain Node on dist/,
 * a portal configuration file (with `allowPrivate: true`, as loopback needs), `--no-progress`.
 *
 * The child's RSS is read from /proc every 100 ms; the records stored so far are counted in its
 * SQLite file (WAL: a reader does not disturb the writer), so RSS is tied to documents done:
 * after 100, 500 and all of them, and the most in each tenth. The crawl (discovery, fetching)
 * comes first and is reported apart. OCR is off (NIANBAO_TESSERACT at a missing path) as in
 * bench/extract-memory.ts; no .doc/.wps, so no LibreOffice.
 *
 *   npm run build && npx tsx bench/run-memory.ts [documents=1000]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { listingHtml, reportTitle } from '../test/faults/portal.js';
import { corpus } from './memory.js';
import { cpuSecondsOf, rssOf } from './proc.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PER_PAGE = 50;
const TYPES = { html: 'text/html; charset=utf-8', pdf: 'application/pdf', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } as const;
type Format = keyof typeof TYPES;
const FORMATS = Object.keys(TYPES) as Format[];

export interface RunMemory {
  /** Report links listed; HTML pages without report tables are not documents, so found ≤ listed. */
  listed: number;
  reportsFound: number;
  records: number;
  /** Parse pool threads (one per CPU). */
  threads: number;
  seconds: number;
  crawlSeconds: number;
  cpuSeconds: number;
  /** Highest RSS the kernel saw (VmHWM), MB. */
  peakRssMb: number;
  /** Highest RSS while crawling (before the first record), MB. */
  crawlRssMb: number;
  /** RSS when the records stored first reached 100, 500 and all, MB. */
  rssAfter: Record<string, number>;
  /** Highest RSS sampled in each tenth of the records, MB: flat when nothing accumulates. */
  rssByTenth: number[];
  /** peakRssMb / threads: the goal (issue #15) is at most 300. */
  peakRssMbPerThread: number;
}

interface Served {
  path: string;
  title: string;
  body: Buffer;
  type: string;
}

/** The portal: listing pages of PER_PAGE links (下一页 to the next), then the documents. */
export function site(total: number): Map<string, Served> {
  const docs = corpus();
  const served = new Map<string, Served>();
  const items: Served[] = Array.from({ length: total }, (_, i) => {
    const f = FORMATS[i % FORMATS.length]!;
    const pool = docs[f];
    // HTML reports are article pages (inline tables); PDF and DOCX are direct links to files.
    const path = f === 'html' ? `/ndbg/art/${i}.html` : `/ndbg/files/${i}.${f}`;
    return { path, title: reportTitle(`示例县第${i}局`, 2023), body: pool[Math.floor(i / FORMATS.length) % pool.length]!, type: TYPES[f] };
  });
  for (const s of items) served.set(s.path, s);
  const pages = Math.ceil(total / PER_PAGE);
  const pagePath = (p: number) => (p ? `/ndbg/index_${p}.html` : '/ndbg/index.html');
  for (let p = 0; p < pages; p++) {
    const html = listingHtml(
      items.slice(p * PER_PAGE, (p + 1) * PER_PAGE).map((s) => ({ href: s.path, title: s.title })),
      p + 1 < pages ? { next: pagePath(p + 1) } : {},
    );
    served.set(pagePath(p), { path: pagePath(p), title: '', body: Buffer.from(html, 'utf8'), type: TYPES.html });
  }
  return served;
}

function config(port: number, pages: number, total: number): string {
  return `portals:
  - id: bench-run-memory
    name: 示例县人民政府
    region: { name: 示例县, code: "320813" }
    level: county
    entries: ["http://127.0.0.1:${port}/ndbg/index.html"]
    allowedHosts: ["127.0.0.1:${port}"]
    allowPrivate: true
    rateLimit: { requestsPerSecond: 50, concurrency: 8 }
    limits: { maxPages: ${pages + 5}, maxArticles: ${total + 10} }
`;
}

export async function benchRunMemory(total = 1000): Promise<RunMemory> {
  if (!existsSync(join(ROOT, 'dist/src/cli.js'))) throw new Error('no dist/: run `npm run build` first');
  if (!existsSync('/proc/self/status')) throw new Error('needs /proc (Linux)');
  const served = site(total);
  const server = createServer((req, res) => {
    const s = served.get(req.url ?? '');
    if (!s) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': s.type, 'Content-Length': String(s.body.length) });
    res.end(s.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-run-memory-'));
  try {
    const pages = Math.ceil(total / PER_PAGE);
    writeFileSync(join(dir, 'portals.yaml'), config(port, pages, total));
    const data = join(dir, 'data');
    const t0 = performance.now();
    // The embedded store, whatever this shell's environment says.
    const { DATABASE_URL: _pg, ...env } = process.env;
    const child = spawn(process.execPath, [join(ROOT, 'bin/nianbao.js'), 'run', '-c', join(dir, 'portals.yaml'), '--data', data, '--no-progress'], {
      env: { ...env, NIANBAO_TESSERACT: join(dir, 'no-tesseract') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    let db: Database.Database | null = null;
    let records = 0;
    let crawlEnd = 0;
    let crawlRss = 0;
    let peak = 0;
    let cpu = 0;
    const marks: Array<[number, number]> = [];
    const samples: Array<{ records: number; rss: number }> = [];
    const poll = setInterval(() => {
      cpu = cpuSecondsOf(child.pid!) ?? cpu;
      const m = rssOf(child.pid!);
      if (!m) return;
      peak = Math.max(peak, m.hwm);
      try {
        db ??= existsSync(join(data, 'nianbao.sqlite')) ? new Database(join(data, 'nianbao.sqlite'), { readonly: true, fileMustExist: true }) : null;
        records = db ? Number((db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n) : 0;
      } catch {
        // The schema is not there yet: no records.
      }
      if (records === 0) crawlRss = Math.max(crawlRss, m.rss);
      else crawlEnd ||= performance.now();
      samples.push({ records, rss: m.rss });
      for (const k of [100, 500]) if (records >= k && !marks.some(([n]) => n === k)) marks.push([k, m.rss]);
    }, 100);
    const code = await new Promise<number | null>((ok) => child.on('close', ok));
    clearInterval(poll);
    (db as Database.Database | null)?.close();
    if (code !== 0) throw new Error(`run exited with ${code}:\n${out}`);
    const end = new Database(join(data, 'nianbao.sqlite'), { readonly: true });
    const stored = Number((end.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n);
    end.close();
    const found = Number(/reports found\s+(\d+)/.exec(out)?.[1] ?? NaN);
    if (stored !== found) throw new Error(`run stored ${stored} records of ${found} reports found:\n${out}`);
    const tenths = new Array<number>(10).fill(0);
    for (const s of samples) if (s.records > 0) tenths[Math.min(9, Math.floor((s.records / stored) * 10))] = Math.max(tenths[Math.min(9, Math.floor((s.records / stored) * 10))]!, s.rss);
    const last = samples.filter((s) => s.records === stored);
    const r = (n: number) => Math.round(n);
    const threads = availableParallelism();
    return {
      listed: total,
      reportsFound: found,
      records: stored,
      threads,
      seconds: Math.round((performance.now() - t0) / 100) / 10,
      crawlSeconds: Math.round(((crawlEnd || performance.now()) - t0) / 100) / 10,
      cpuSeconds: Math.round(cpu * 10) / 10,
      peakRssMb: r(peak),
      crawlRssMb: r(crawlRss),
      rssAfter: Object.fromEntries([...marks.map(([k, v]) => [String(k), r(v)]), [String(stored), r(last[0]?.rss ?? NaN)]]),
      rssByTenth: tenths.map(r),
      peakRssMbPerThread: r(peak / threads),
    };
  } finally {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchRunMemory(Number(process.argv[2] ?? 1000)), null, 2));
}
