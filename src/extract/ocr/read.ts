/**
 * Tesseract over images: one image through stdin, or several through one process. Each call
 * costs Tesseract's start (its model loaded: ≈ 0.15–0.2 s of CPU, as much as reading a digit
 * strip), so the reads of a document that share their arguments are made in one call: Tesseract
 * takes a file listing images and reads each as a page of its own, with the same result as
 * reading it alone (checked word for word on generated scans).
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Gray, encodeBmp, encodePgm } from './image.js';
import { run } from './tools.js';
import { type OcrWord, parseTsvPages } from './tsv.js';

export interface ReadRequest {
  img: Gray;
  args: readonly string[];
  /**
   * The image's resolution, written into its file (BMP) rather than passed as `--dpi`: reads
   * that differ only in it (the title, read smaller, and the pages) then share a call. Unset:
   * a PGM without one, which Tesseract takes as 70 dpi.
   */
  dpi?: number;
}

function encode(r: ReadRequest): Buffer {
  return r.dpi ? encodeBmp(r.img, r.dpi) : encodePgm(r.img);
}

let batches = 0;

/** One image, read from stdin. */
export async function tesseract(bin: string, req: ReadRequest, timeoutMs: number): Promise<OcrWord[]> {
  const r = await run(bin, ['stdin', 'stdout', ...req.args, 'tsv'], encode(req), timeoutMs);
  if (r.code !== 0) throw new Error(`tesseract failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  return parseTsvPages(r.stdout.toString('utf8'), 1)[0]!;
}

/** Several images with the same arguments (`reqs[0]`'s) in one process: their files are written to `dir`. */
async function tesseractMany(bin: string, reqs: readonly ReadRequest[], timeoutMs: number, dir: string): Promise<OcrWord[][]> {
  if (reqs.length === 1) return [await tesseract(bin, reqs[0]!, timeoutMs)];
  const id = `read-${process.pid}-${batches++}`;
  const files = reqs.map((r, k) => join(dir, `${id}-${k}.${r.dpi ? 'bmp' : 'pgm'}`));
  await Promise.all(reqs.map((r, k) => writeFile(files[k]!, encode(r))));
  const list = join(dir, `${id}.txt`);
  await writeFile(list, `${files.join('\n')}\n`);
  // The images are a page's size each: gone as soon as read, not at the end of the document.
  const r = await run(bin, [list, 'stdout', ...reqs[0]!.args, 'tsv'], null, timeoutMs).finally(() => Promise.all([list, ...files].map((f) => rm(f, { force: true }))));
  if (r.code !== 0) throw new Error(`tesseract failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  return parseTsvPages(r.stdout.toString('utf8'), reqs.length);
}

/**
 * The words of each request: requests with the same arguments go to one Tesseract process, or
 * to `parts` of them (consecutive requests each), which the machine's cores then run at once.
 */
export async function readAll(bin: string, reqs: readonly ReadRequest[], timeoutMs: number, dir: string, parts = 1): Promise<OcrWord[][]> {
  const groups = new Map<string, number[]>();
  reqs.forEach((r, k) => {
    const key = r.args.join('\u0000');
    const ks = groups.get(key);
    if (ks) ks.push(k);
    else groups.set(key, [k]);
  });
  const out: OcrWord[][] = reqs.map(() => []);
  const calls: Promise<void>[] = [];
  for (const ks of groups.values()) {
    const n = Math.max(1, Math.min(parts, ks.length));
    for (let p = 0; p < n; p++) {
      const part = ks.slice(Math.floor((p * ks.length) / n), Math.floor(((p + 1) * ks.length) / n));
      calls.push(tesseractMany(bin, part.map((k) => reqs[k]!), timeoutMs, dir).then((words) => part.forEach((k, i) => (out[k] = words[i]!))));
    }
  }
  await Promise.all(calls);
  return out;
}
