/**
 * OCR of scanned reports: pages/s, docs/s, CPU per page (this process and its Tesseract and
 * pdftoppm children), memory over repeated documents, and accuracy against the generator's truth
 * (fields exact, values shown that differ from the truth in valid and in flagged records).
 * Reads samples/scan/, plus `NIANBAO_OCR_BENCH_GENERATE` more scans made on the spot
 * (scripts/samples/scan.ts: both templates, 150/200 dpi, grey/colour, turned ≤ 1°, sealed; needs
 * Chromium). `NIANBAO_OCR_BENCH_CONDITIONS=1` adds the scans of bench/ocr-conditions.ts (what
 * real scanners add: JPEG, copier grey, dark edges, blur, bleed-through, odd rules, turned pages).
 * `NIANBAO_OCR_BENCH_REPEAT` passes over the set (memory flatness).
 *
 *   npx tsx bench/ocr.ts          (or `npm run bench -- ocr`)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childCpuSeconds } from './proc.js';
import { extractRecord } from '../src/extractor.js';
import { PDFTOPPM_ENV, TESSERACT_ENV, findTool } from '../src/extract/ocr/tools.js';
import { generateReport } from '../test/fixtures/report.js';
import { CONDITION_SCANS } from './ocr-conditions.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Doc {
  name: string;
  bytes: Buffer;
  truth: Record<string, number | null>;
  agency: string | null;
  year: number | null;
}

/** CPU seconds of this process and of its finished children (Linux /proc; 0 elsewhere). */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6 + (childCpuSeconds() ?? 0);
}

/**
 * `n` generated scans. With `NIANBAO_OCR_BENCH_CACHE` (a folder), each scan is kept there and
 * read back on the next run: Chromium and the rasteriser cost more than the OCR being measured.
 */
async function generated(n: number, conditioned = false): Promise<Doc[]> {
  if (!n) return [];
  const cache = process.env.NIANBAO_OCR_BENCH_CACHE;
  const tmp = mkdtempSync(join(tmpdir(), 'nianbao-ocr-bench-'));
  let browser: Awaited<ReturnType<typeof import('../scripts/samples/scan.js').launch>> | null = null;
  const docs: Doc[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const seed = (conditioned ? 2000 : 1000) + i;
      const template = i % 2 ? '2019' : '2021';
      const c = conditioned ? CONDITION_SCANS[i]! : null;
      const spec = c ? { seed, ...c } : { seed, dpi: (i % 4 < 2 ? 200 : 150) as 150 | 200, gray: i % 3 !== 2, skew: ((i % 5) + 1) * 0.2, stamp: i % 3 !== 0 };
      const rep = generateReport(seed, { template, activity: 0.6 });
      const name = `${c ? `cond-${c.condition}-` : ''}gen-${seed}-${template}-${spec.dpi}dpi-${spec.gray ? 'grey' : 'colour'}-${spec.skew.toFixed(1)}deg${spec.stamp ? '-sealed' : ''}`;
      const cached = cache ? join(cache, `${name}.pdf`) : null;
      let bytes: Buffer;
      if (cached && existsSync(cached)) bytes = readFileSync(cached);
      else {
        const { launch, printPdf, scanHtml, scanPdf } = await import('../scripts/samples/scan.js');
        browser ??= await launch(tmp);
        bytes = scanPdf(await printPdf(browser, scanHtml(rep, spec.stamp, c?.conditions)), spec, tmp);
        if (cached) (mkdirSync(cache!, { recursive: true }), writeFileSync(cached, bytes));
      }
      docs.push({ name, bytes, truth: rep.values, agency: rep.agency, year: rep.year });
    }
  } finally {
    await browser?.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  return docs;
}

/** RSS after documents 10, 50, 100 … (1-based), and after the last. */
function rssAt(rss: readonly number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const n of [1, 10, 25, 50, 75, 100, 150, 200]) if (n <= rss.length) out[n] = rss[n - 1]!;
  out[rss.length] = rss.at(-1)!;
  return out;
}

/**
 * Growth of RSS in MiB a document: the least-squares slope over the documents after the 10th
 * (the first ones fill the heap and load Tesseract's and pdf.js's code), null with too few.
 */
function rssSlope(rss: readonly number[]): number | null {
  const ys = rss.slice(10);
  if (ys.length < 5) return null;
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, i) => ((num += (i - mx) * (y - my)), (den += (i - mx) ** 2)));
  return Math.round((num / den) * 1000) / 1000;
}

export async function benchOcr(): Promise<unknown> {
  if (!findTool('tesseract', TESSERACT_ENV) || !findTool('pdftoppm', PDFTOPPM_ENV)) return { skipped: 'tesseract or pdftoppm not installed' };
  const dir = join(ROOT, 'samples', 'scan');
  const docs: Doc[] = readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort().map((f) => ({
    name: f.replace(/\.pdf$/, ''),
    bytes: readFileSync(join(dir, f)),
    ...((e: { values: Record<string, number | null>; agency: string | null; year: number | null }) => ({ truth: e.values, agency: e.agency, year: e.year }))(JSON.parse(readFileSync(join(dir, f.replace(/\.pdf$/, '.expected.json')), 'utf8'))),
  }));
  docs.push(...(await generated(Number(process.env.NIANBAO_OCR_BENCH_GENERATE) || 0)));
  if (process.env.NIANBAO_OCR_BENCH_CONDITIONS) docs.push(...(await generated(CONDITION_SCANS.length, true)));
  const only = process.env.NIANBAO_OCR_BENCH_ONLY;
  if (only) docs.splice(0, docs.length, ...docs.filter((d) => new RegExp(only).test(d.name)));
  const repeat = Number(process.env.NIANBAO_OCR_BENCH_REPEAT) || 1;

  const perDoc: Record<string, unknown>[] = [];
  const rss: number[] = [];
  let pages = 0;
  let fields = 0;
  let exact = 0;
  let wrongValid = 0;
  let wrongFlagged = 0;
  const missingByCause: Record<string, number> = {};
  const labels = { agencyRight: 0, agencyWrong: [] as string[], agencyNull: 0, yearRight: 0, yearWrong: [] as string[], yearNull: 0 };
  const start = Date.now();
  const cpu0 = cpuSeconds();
  for (let pass = 0; pass < repeat; pass++) {
    for (const d of docs) {
      const t0 = Date.now();
      const c0 = cpuSeconds();
      const rec = await extractRecord(d.bytes, { uri: d.name });
      const ocrIssue = rec.issues.find((i) => i.code === 'ocr');
      const n = Number(/pages? ([\d, ]+)\)/.exec(ocrIssue?.message ?? '')?.[1]?.split(',').length ?? 0);
      pages += n;
      rss.push(Math.round(process.memoryUsage().rss / 2 ** 20));
      // One line a document on stderr: a long run (memory over many passes) is read as it goes.
      if (process.env.NIANBAO_OCR_BENCH_PROGRESS) console.error(`doc ${rss.length} ${d.name} rss ${rss.at(-1)} MiB pages ${n} cpu ${(cpuSeconds() - c0).toFixed(1)} s wall ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (pass > 0) continue;
      if (rec.agency === null) labels.agencyNull++;
      else if (rec.agency === d.agency) labels.agencyRight++;
      else labels.agencyWrong.push(`${d.name}: ${rec.agency} (truth ${d.agency})`);
      if (rec.year === null) labels.yearNull++;
      else if (rec.year === d.year) labels.yearRight++;
      else labels.yearWrong.push(`${d.name}: ${rec.year} (truth ${d.year})`);
      const total = Object.keys(d.truth).length;
      const right = Object.entries(rec.values).filter(([f, v]) => v === d.truth[f]).length;
      const wrong = Object.entries(rec.values).filter(([f, v]) => v !== d.truth[f]).length;
      fields += total;
      exact += right;
      if (rec.status === 'valid') wrongValid += wrong;
      else wrongFlagged += wrong;
      // Why each field of the truth is not in the record: the code of the issue that names it.
      const missing: Record<string, number> = {};
      for (const f of Object.keys(d.truth)) {
        if (f in rec.values) continue;
        const why = rec.issues.find((i) => i.fields?.includes(f))?.code ?? 'unnamed';
        missing[why] = (missing[why] ?? 0) + 1;
        missingByCause[why] = (missingByCause[why] ?? 0) + 1;
      }
      const wrongFields = Object.entries(rec.values).filter(([f, v]) => v !== d.truth[f]).map(([f, v]) => `${f}=${v} (truth ${d.truth[f]}, read "${rec.raw[f] ?? ''}")`);
      perDoc.push({ doc: d.name, status: rec.status, agency: rec.agency, year: rec.year, missing, wrongFields, pages: n, exact: `${right}/${total}`, wrong, seconds: (Date.now() - t0) / 1000, cpuPerPage: n ? Math.round(((cpuSeconds() - c0) / n) * 100) / 100 : null, meanConfidence: Number(/confidence (\d+(?:\.\d+)?)/.exec(ocrIssue?.message ?? '')?.[1] ?? NaN) });
    }
  }
  const seconds = (Date.now() - start) / 1000;
  const cpu = cpuSeconds() - cpu0;
  return {
    docs: docs.length * repeat,
    pages,
    seconds,
    pagesPerSec: Math.round((pages / seconds) * 1000) / 1000,
    docsPerSec: Math.round(((docs.length * repeat) / seconds) * 1000) / 1000,
    cpuSecondsPerPage: Math.round((cpu / pages) * 100) / 100,
    fieldsExactPct: Math.round((exact / fields) * 1000) / 10,
    wrongValuesInValid: wrongValid,
    wrongValuesInFlagged: wrongFlagged,
    missingByCause,
    labels,
    rssMiB: { first: rss[0], last: rss.at(-1), peak: Math.max(...rss), at: rssAt(rss), slopePerDoc: rssSlope(rss) },
    perDoc,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(JSON.stringify(await benchOcr(), null, 2));
