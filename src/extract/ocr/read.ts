/**
 * Tesseract over images: one image through stdin, or several through one process. Each call
 * costs Tesseract's start (its model loaded: ≈ 0.15–0.2 s of CPU, as much as reading a digit
 * strip), so the reads of a document that share their arguments are made in one call: Tesseract
 * takes a file listing images and reads each as a page of its own, with the same result as
 * reading it alone (checked word for word on generated scans).
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Gray, encodePgm } from './image.js';
import { run } from './tools.js';
import { type OcrWord, parseTsvPages } from './tsv.js';

export interface ReadRequest {
  img: Gray;
  args: readonly string[];
}

let batches = 0;

/** One image, read from stdin. */
export async function tesseract(bin: string, img: Gray, args: readonly string[], timeoutMs: number): Promise<OcrWord[]> {
  const r = await run(bin, ['stdin', 'stdout', ...args, 'tsv'], encodePgm(img), timeoutMs);
  if (r.code !== 0) throw new Error(`tesseract failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  return parseTsvPages(r.stdout.toString('utf8'), 1)[0]!;
}

/** Several images with the same arguments in one process: their files are written to `dir`. */
async function tesseractMany(bin: string, imgs: readonly Gray[], args: readonly string[], timeoutMs: number, dir: string): Promise<OcrWord[][]> {
  if (imgs.length === 1) return [await tesseract(bin, imgs[0]!, args, timeoutMs)];
  const id = `read-${process.pid}-${batches++}`;
  const files = imgs.map((_, k) => join(dir, `${id}-${k}.pgm`));
  await Promise.all(imgs.map((img, k) => writeFile(files[k]!, encodePgm(img))));
  const list = join(dir, `${id}.txt`);
  await writeFile(list, `${files.join('\n')}\n`);
  // The images are a page's size each: gone as soon as read, not at the end of the document.
  const r = await run(bin, [list, 'stdout', ...args, 'tsv'], null, timeoutMs).finally(() => Promise.all([list, ...files].map((f) => rm(f, { force: true }))));
  if (r.code !== 0) throw new Error(`tesseract failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  return parseTsvPages(r.stdout.toString('utf8'), imgs.length);
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
      calls.push(tesseractMany(bin, part.map((k) => reqs[k]!.img), reqs[part[0]!]!.args, timeoutMs, dir).then((words) => part.forEach((k, i) => (out[k] = words[i]!))));
    }
  }
  await Promise.all(calls);
  return out;
}
