/**
 * One table: documents per second and peak RSS of the whole record pipeline (bytes → record) per
 * format, beside the floor measured in the same run over the same files:
 *
 *   pdf   `pdftotext -layout FILE -`, one process per file (poppler)
 *   html  a bare parse: cheerio (parse5) and the text of every table cell
 *   txt   decoding and splitting every line into cells
 *   docx  unzipping the XML parts and parsing word/document.xml (htmlparser2), no more
 *   doc   LibreOffice's conversion alone (.doc/.wps → DOCX), a file per run; ours runs 4 at a
 *         time (as `nianbao extract` does), so they share LibreOffice runs
 *
 * Each format runs in its own child process (so its peak RSS is its own), one at a time, on one
 * core. The machine is shared: wall time moves with the load, so CPU time (process.cpuUsage, and
 * the children's for pdftotext and LibreOffice) is printed too, and the ratio is taken over CPU
 * time; rounds alternate ours/floor so that load changes hit both.
 *
 *   npx tsx bench/formats.ts [--seconds 5] [pdf,html,...]   (or `npm run bench formats`)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childCpuSeconds } from './proc.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FORMATS = ['pdf', 'html', 'txt', 'docx', 'doc'] as const;
type Format = (typeof FORMATS)[number];

export interface Side {
  /** Documents per second of wall time. */
  docsPerSec: number;
  /** Documents per second of CPU time (this process and its children). */
  docsPerCpuSec: number;
}

export interface FormatRow {
  format: Format;
  documents: number;
  rounds: number;
  ours: Side;
  floor: (Side & { what: string }) | null;
  /** Our CPU time ÷ the floor's, over the same documents. */
  cpuRatio: number | null;
  /** Our wall time ÷ the floor's (moves with the machine's load). */
  wallRatio: number | null;
  /** Peak resident set of the process that ran the format, MiB (tsx's transform included). */
  peakRssMiB: number;
}

function listDir(dir: string, test: (f: string) => boolean): string[] {
  return existsSync(dir) ? readdirSync(dir).filter(test).sort().map((f) => join(dir, f)) : [];
}

function sharedDir(): string | null {
  return [process.env.NIANBAO_SHARED, join(ROOT, '..', 'shared')].filter(Boolean).find((d) => existsSync(join(d!, 'spec'))) ?? null;
}

/** The files of a format: the samples (failures left out where they are files of their own) and the shared real documents. */
async function corpus(format: Format): Promise<{ path?: string; bytes: Uint8Array }[]> {
  const shared = sharedDir();
  const files = (dir: string, test: (f: string) => boolean) => listDir(join(ROOT, 'samples', dir), test);
  const read = (paths: string[]): { path?: string; bytes: Uint8Array }[] => paths.map((path) => ({ path, bytes: readFileSync(path) as Uint8Array }));
  if (format === 'pdf') return read([...files('pdf', (f) => f.endsWith('.pdf') && !f.startsWith('failed-')), ...(shared ? listDir(join(shared, 'real-fetched'), (f) => f.endsWith('.pdf')) : [])]);
  if (format === 'html') {
    // The samples, and the generated pages the tests read.
    const out = read(files('html', (f) => f.endsWith('.html')));
    const { generateReport } = await import('../test/fixtures/report.js');
    const { renderHtml } = await import('../test/fixtures/render-html.js');
    for (let seed = 1; seed <= 20; seed++) out.push({ bytes: new TextEncoder().encode(renderHtml(generateReport(seed, { template: seed % 2 ? '2021' : '2019' }))) });
    return out;
  }
  if (format === 'docx') return read([...files('docx', (f) => f.endsWith('.docx')), ...(shared ? listDir(join(shared, 'real-fetched'), (f) => f.endsWith('.docx')) : [])]);
  if (format === 'doc') return read([...files('doc', (f) => f.endsWith('.doc')), ...files('wps', (f) => f.endsWith('.wps'))]);
  // Text dumps: the shared seeds and flattened reports, and the generated dumps the tests read.
  const out = shared ? read([...listDir(join(shared, 'seeds'), (f) => f.endsWith('.txt')), ...listDir(join(shared, 'real-flattened'), (f) => f.endsWith('.txt'))]) : [];
  const { generateReport } = await import('../test/fixtures/report.js');
  const r = await import('../test/fixtures/render-text.js');
  const renders = [r.renderTabRows, r.renderCellPerLine, r.renderLayout, r.renderRaw];
  for (let seed = 1; seed <= 20; seed++) {
    const rep = generateReport(seed, { template: seed % 2 ? '2021' : '2019' });
    out.push({ bytes: new TextEncoder().encode(renders[seed % renders.length]!(rep)) });
  }
  return out;
}

function cpuSeconds(): number {
  const c = process.cpuUsage();
  // With the CPU of waited-for children: pdftotext and LibreOffice (0 where /proc is not).
  return (c.user + c.system) / 1e6 + (childCpuSeconds() ?? 0);
}

async function floorPass(format: Format, docs: { path?: string; bytes: Uint8Array }[]): Promise<string> {
  if (format === 'pdf') {
    for (const d of docs) spawnSync('pdftotext', ['-layout', d.path!, '-'], { stdio: ['ignore', 'ignore', 'ignore'] });
    return 'pdftotext -layout (a process per file)';
  }
  if (format === 'html') {
    const { load } = await import('cheerio');
    const { decodeText } = await import('../src/extract/decode.js');
    for (const d of docs) {
      const $ = load(decodeText(d.bytes, null).text);
      $('td,th').each((_, el) => void $(el).text());
    }
    return 'cheerio parse + cell text';
  }
  if (format === 'txt') {
    const { decodeText } = await import('../src/extract/decode.js');
    for (const d of docs) for (const line of decodeText(d.bytes, null).text.split(/\r?\n/)) line.split(/\t| {2,}/);
    return 'decode + split into cells';
  }
  if (format === 'docx') {
    const { guardDocx } = await import('../src/extract/docx/zip-guard.js');
    const { parseDocument } = await import('htmlparser2');
    for (const d of docs) {
      const xml = guardDocx(d.bytes, 1 << 30).xml.get('word/document.xml');
      if (xml) parseDocument(xml.toString('utf8'), { xmlMode: true });
    }
    return 'unzip + parse of document.xml';
  }
  const { convertToDocx } = await import('../src/extract/docx/soffice.js');
  for (const d of docs) await convertToDocx(d.bytes, { inputExt: 'doc', timeoutMs: 120_000 });
  return 'LibreOffice conversion alone';
}

function floorAvailable(format: Format): boolean {
  try {
    if (format === 'pdf') execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** In the child: alternate a round of ours and a round of the floor until `seconds` of our CPU time. */
async function runFormat(format: Format, seconds: number): Promise<FormatRow | { format: Format; skipped: string }> {
  const docs = await corpus(format);
  if (!docs.length) return { format, skipped: 'no documents' };
  if (format === 'doc') {
    const { findSoffice } = await import('../src/extract/docx/soffice.js');
    if (!findSoffice()) return { format, skipped: 'LibreOffice (soffice) is not installed' };
  }
  const { extractRecord } = await import('../src/extractor.js');
  const ours = async () => {
    // .doc/.wps: four at a time, as `nianbao extract` runs them, so that they share LibreOffice runs.
    if (format === 'doc') {
      for (let i = 0; i < docs.length; i += 4) await Promise.all(docs.slice(i, i + 4).map((d) => extractRecord(d.bytes, { uri: d.path! })));
      return;
    }
    for (const d of docs) await extractRecord(d.bytes, { uri: d.path ?? format });
  };
  const hasFloor = floorAvailable(format);
  await ours(); // warm-up: module loading and JIT, untimed
  let what = '';
  if (hasFloor) what = await floorPass(format, docs);
  const t = { ours: { wall: 0, cpu: 0 }, floor: { wall: 0, cpu: 0 } };
  const measure = async (side: 'ours' | 'floor', fn: () => Promise<unknown>) => {
    const w0 = performance.now();
    const c0 = cpuSeconds();
    await fn();
    t[side].wall += (performance.now() - w0) / 1000;
    t[side].cpu += cpuSeconds() - c0;
  };
  let rounds = 0;
  do {
    await measure('ours', ours);
    if (hasFloor) await measure('floor', () => floorPass(format, docs));
    rounds++;
  } while (t.ours.cpu < seconds);
  const n = docs.length * rounds;
  const side = (s: { wall: number; cpu: number }): Side => ({ docsPerSec: round(n / s.wall), docsPerCpuSec: round(n / s.cpu) });
  return {
    format,
    documents: docs.length,
    rounds,
    ours: side(t.ours),
    floor: hasFloor ? { what, ...side(t.floor) } : null,
    cpuRatio: hasFloor ? round(t.ours.cpu / t.floor.cpu) : null,
    wallRatio: hasFloor ? round(t.ours.wall / t.floor.wall) : null,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

export function formatTable(rows: readonly (FormatRow | { format: Format; skipped: string })[]): string {
  const head = '| format | docs × rounds | docs/s (wall) | docs/CPU-s | peak RSS MiB | floor | floor docs/s (wall) | floor docs/CPU-s | CPU ratio | wall ratio |';
  const lines = [head, `|${' --- |'.repeat(10)}`];
  for (const r of rows) {
    if ('skipped' in r) {
      lines.push(`| ${r.format} | skipped: ${r.skipped} |${' |'.repeat(8)}`);
      continue;
    }
    const f = r.floor;
    lines.push(`| ${r.format} | ${r.documents} × ${r.rounds} | ${r.ours.docsPerSec} | ${r.ours.docsPerCpuSec} | ${r.peakRssMiB} | ${f?.what ?? '—'} | ${f?.docsPerSec ?? '—'} | ${f?.docsPerCpuSec ?? '—'} | ${r.cpuRatio ?? '—'}× | ${r.wallRatio ?? '—'}× |`);
  }
  return lines.join('\n');
}

/** Every format, each in a child process; prints the table and returns the rows. */
export async function benchFormats(opts: { seconds?: number; formats?: readonly Format[] } = {}): Promise<unknown> {
  const seconds = opts.seconds ?? 5;
  const rows = [];
  for (const format of opts.formats ?? FORMATS) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', format, '--seconds', String(seconds)], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    const last = child.stdout.trim().split('\n').at(-1) ?? '';
    try {
      rows.push(JSON.parse(last) as FormatRow);
    } catch {
      rows.push({ format, skipped: `child failed: ${(child.stderr || last).trim().split('\n').slice(-3).join(' ')}` });
    }
  }
  const table = formatTable(rows);
  console.log(table);
  return { table, rows };
}

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(flag('--seconds') ?? 5);
  const child = flag('--child') as Format | undefined;
  if (child) {
    process.stdout.write(`${JSON.stringify(await runFormat(child, seconds))}\n`);
  } else {
    const list = argv.find((a) => /^[a-z,]+$/.test(a) && a !== flag('--seconds'));
    await benchFormats({ seconds, formats: list ? (list.split(',') as Format[]) : undefined });
  }
}
