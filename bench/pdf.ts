/**
 * PDF throughput: the sample PDFs (samples/pdf, failures left out) and the real PDFs of
 * ../shared/real-fetched when present, read by the PDF adapter (bytes → grid) and by the whole
 * record pipeline (bytes → record), and the same files through `pdftotext -layout` for scale.
 * One warm-up pass, then passes until `minSeconds` have gone by.
 *
 *   npx tsx bench/pdf.ts          (or through bench/run.ts)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractDocument } from '../src/extract/index.js';
import { extractRecord } from '../src/extractor.js';
import { pdfjs } from '../src/extract/pdf/load.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Throughput {
  seconds: number;
  docsPerSec: number;
  pagesPerSec: number;
}

export interface PdfBenchResult {
  files: string[];
  /** Pages per pass over all files. */
  pages: number;
  passes: number;
  /** bytes → ExtractedDoc (pdf.js, rules, cells). */
  adapter: Throughput;
  /** bytes → record (adapter + template matching + identities). */
  record: Throughput;
  /** `pdftotext -layout file -`, one process per file; null when poppler is not installed. */
  pdftotext: Throughput | null;
  /** How many times faster pdftotext -layout is than the adapter (documents/s ÷ documents/s). */
  pdftotextRatio: number | null;
  /** Largest resident set of this process so far, in MiB. */
  peakRssMiB: number;
  /**
   * Resident set once pdf.js is loaded, before any document, in MiB. Under tsx this includes
   * tsx's transform of pdf.js's 3 MB of JavaScript (≈350 MiB); compiled code on plain Node
   * loads pdf.js in ≈95 MiB. The peak minus this is what reading documents costs.
   */
  loadedRssMiB: number;
}

function pdfFiles(): string[] {
  const dir = join(ROOT, 'samples', 'pdf');
  const out = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.pdf') && !f.startsWith('failed-')).sort().map((f) => join(dir, f)) : [];
  const shared = [process.env.NIANBAO_SHARED, join(ROOT, '..', 'shared')].filter(Boolean).map((d) => join(d!, 'real-fetched'));
  const real = shared.find((d) => existsSync(d));
  if (real) out.push(...readdirSync(real).filter((f) => f.endsWith('.pdf')).sort().map((f) => join(real, f)));
  return out;
}

async function timed(minSeconds: number, pass: () => Promise<number>): Promise<{ seconds: number; passes: number; pages: number }> {
  await pass(); // warm-up: module loading and JIT
  let passes = 0;
  let pages = 0;
  const t0 = performance.now();
  do {
    pages = await pass();
    passes++;
  } while ((performance.now() - t0) / 1000 < minSeconds);
  return { seconds: (performance.now() - t0) / 1000, passes, pages };
}

function throughput(seconds: number, passes: number, docs: number, pages: number): Throughput {
  return { seconds: round(seconds), docsPerSec: round((docs * passes) / seconds), pagesPerSec: round((pages * passes) / seconds) };
}

const round = (n: number) => Math.round(n * 100) / 100;

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function benchPdf(opts: { minSeconds?: number } = {}): Promise<PdfBenchResult> {
  const minSeconds = opts.minSeconds ?? 5;
  const files = pdfFiles();
  if (!files.length) throw new Error('no PDF to measure: samples/pdf is empty');
  const bytes = files.map((f) => readFileSync(f));
  await pdfjs();
  const loadedRssMiB = round(process.memoryUsage().rss / 1024 / 1024);

  const adapter = await timed(minSeconds, async () => {
    let pages = 0;
    for (const b of bytes) pages += (await extractDocument(b)).pages ?? 0;
    return pages;
  });
  const record = await timed(minSeconds, async () => {
    for (const [i, b] of bytes.entries()) await extractRecord(b, { uri: files[i]! });
    return adapter.pages;
  });
  let pdftotext: Throughput | null = null;
  if (hasPdftotext()) {
    const t = await timed(Math.min(minSeconds, 2), async () => {
      for (const f of files) execFileSync('pdftotext', ['-layout', f, '-'], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
      return adapter.pages;
    });
    pdftotext = throughput(t.seconds, t.passes, files.length, t.pages);
  }
  const adapterT = throughput(adapter.seconds, adapter.passes, files.length, adapter.pages);
  return {
    files: files.map((f) => f.replace(`${ROOT}/`, '')),
    pages: adapter.pages,
    passes: adapter.passes,
    adapter: adapterT,
    record: throughput(record.seconds, record.passes, files.length, adapter.pages),
    pdftotext,
    pdftotextRatio: pdftotext ? round(pdftotext.docsPerSec / adapterT.docsPerSec) : null,
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024),
    loadedRssMiB,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchPdf(), null, 2));
}
