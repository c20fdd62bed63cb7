/**
 * Memory of the compiled `nianbao extract` over 1,000 mixed documents (HTML, DOCX, PDF, text
 * dumps — a quarter each, the same corpus as bench/memory.ts), the way a user runs it: plain
 * Node, no tsx (whose TypeScript transform alone costs 100+ MB), the parse pool's threads.
 * The process's RSS is read from /proc every 100 ms and tied to the records printed so far, so
 * a climb shows against documents done. Threads share the process: RSS is of all of them.
 * OCR is switched off (NIANBAO_TESSERACT at a missing path): scanned samples become
 * converter_missing records, as they would on a host without Tesseract; OCR's memory is
 * Tesseract's own processes.
 *
 *   npm run build && npx tsx bench/extract-memory.ts [documents=1000] [jobs=2]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpus } from './memory.js';
import { cpuSecondsOf, rssOf } from './proc.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXT = { html: 'html', docx: 'docx', pdf: 'pdf', text: 'txt' } as const;

export interface ExtractMemory {
  documents: number;
  jobs: number;
  seconds: number;
  /** CPU of the process, all threads (read from /proc up to 100 ms before it ended). */
  cpuSeconds: number;
  /** Highest RSS the kernel saw (VmHWM), MB. */
  peakRssMb: number;
  /** Highest RSS sampled in each tenth of the documents, MB: flat when nothing accumulates. */
  rssByTenth: number[];
}

export async function benchExtractMemory(total = 1000, jobs = 2): Promise<ExtractMemory> {
  const docs = corpus();
  const formats = Object.keys(EXT) as Array<keyof typeof EXT>;
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-extract-memory-'));
  try {
    const files = Array.from({ length: total }, (_, i) => {
      const f = formats[i % formats.length]!;
      const pool = docs[f];
      const path = join(dir, `${String(i).padStart(4, '0')}.${EXT[f]}`);
      writeFileSync(path, pool[Math.floor(i / formats.length) % pool.length]!);
      return path;
    });
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'bin/nianbao.js'), 'extract', '-j', String(jobs), '--json', ...files], {
      env: { ...process.env, NIANBAO_TESSERACT: join(dir, 'no-tesseract') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let done = 0;
    child.stdout.on('data', (d: Buffer) => {
      for (const c of d) if (c === 10) done++;
    });
    const tenths = new Array<number>(10).fill(0);
    let peak = 0;
    let cpu = 0;
    const poll = setInterval(() => {
      cpu = cpuSecondsOf(child.pid!) ?? cpu;
      const m = rssOf(child.pid!);
      if (!m) return;
      const t = Math.min(9, Math.floor((done / total) * 10));
      tenths[t] = Math.max(tenths[t]!, m.rss);
      peak = Math.max(peak, m.hwm);
    }, 100);
    const code = await new Promise<number | null>((ok) => child.on('close', ok));
    clearInterval(poll);
    if (code !== 0) throw new Error(`extract exited with ${code}`);
    if (done !== total) throw new Error(`extract printed ${done} records of ${total}`);
    const r = (n: number) => Math.round(n);
    return { documents: total, jobs, seconds: Math.round((performance.now() - t0) / 100) / 10, cpuSeconds: Math.round(cpu * 10) / 10, peakRssMb: r(peak), rssByTenth: tenths.map(r) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchExtractMemory(Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 2))));
}
