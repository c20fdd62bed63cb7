/**
 * Which functions TurboFan compiles again after warm-up, in a parse thread extracting documents
 * one after another. A function that shows up here many times is almost always a closure made
 * per call in a hot path (an arrow passed to map/filter/some, or a helper written inside the
 * function that uses it): such closures do not keep their optimized code, so each thread compiles
 * them again and again for as long as it runs, on the compile threads that share the cores with
 * the parse threads. Make them module-level functions, or loops. (Stop 28 found a third of a text
 * dump's CPU there.)
 *
 * Usage: npm run build; npx tsx scripts/late-compiles.ts AFTER FILE...
 *   AFTER: count compiles after this many documents (warm-up); e.g. 1000 of 5,000 text dumps.
 * Prints the total compiles and, per dist file:line and function, compiles after AFTER / in all.
 * It reads dist/ (the compiled code the CLI runs), so build first.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const [afterArg, ...files] = process.argv.slice(2);
const after = Number(afterArg);
if (!Number.isInteger(after) || !files.length) {
  console.error('usage: npx tsx scripts/late-compiles.ts AFTER FILE...');
  process.exit(2);
}

const extractor = new URL('../dist/src/extractor.js', import.meta.url).href;
// The thread writes a marker straight to fd 1 after each document, so that markers and V8's own
// prints (also fd 1, unbuffered) keep their order; the thread's process.stdout would pass through
// the main thread and arrive late.
const threadCode = `
import { readFileSync, writeSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
const { extractRecord } = await import(workerData.extractor);
for (const f of workerData.files) {
  JSON.stringify(await extractRecord(readFileSync(f), { uri: f }));
  writeSync(1, '@@doc\\n');
}`;
const mainCode = `
import { Worker } from 'node:worker_threads';
new Worker(new URL('data:text/javascript,' + encodeURIComponent(${JSON.stringify(threadCode)})), { workerData: ${JSON.stringify({ extractor, files })} });`;

// Into a file, not a pipe: V8 prints whole function sources, and a thread's synchronous write to a
// full non-blocking pipe fails (EAGAIN).
const dir = mkdtempSync(join(tmpdir(), 'late-compiles-'));
const out = join(dir, 'trace.txt');
const fd = openSync(out, 'w');
spawnSync(process.execPath, ['--print-opt-source', '--input-type=module', '-e', mainCode], { stdio: ['ignore', fd, 'inherit'] });
closeSync(fd);
const header = /^--- FUNCTION SOURCE \((.*)\) id\{\d+,(-?\d+)\} start\{(\d+)\} ---/;
const all = new Map<string, number>();
const late = new Map<string, number>();
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
let docs = 0;
for await (const line of createInterface({ input: createReadStream(out) })) {
  if (line === '@@doc') {
    docs++;
    continue;
  }
  const m = header.exec(line);
  // id{job,-1} is the function a job compiles; other ids are the functions inlined into it.
  if (!m || m[2] !== '-1') continue;
  const key = `${m[1]}@${m[3]}`;
  bump(all, key);
  if (docs >= after) bump(late, key);
}

rmSync(dir, { recursive: true });

const sources = new Map<string, string>();
/** "dist/src/x.js:LINE fn" for a "url:fn" name and a character offset. */
function where(key: string): string {
  const at = key.lastIndexOf('@');
  const name = key.slice(0, at);
  const offset = Number(key.slice(at + 1));
  const colon = name.lastIndexOf(':');
  const url = name.slice(0, colon);
  const fn = name.slice(colon + 1) || '(anonymous)';
  if (url.startsWith('data:')) return `(this script's loop) ${fn}`;
  if (!url.startsWith('file:')) return `${url} ${fn}`;
  const path = fileURLToPath(url);
  let text = sources.get(path);
  if (text === undefined) {
    text = readFileSync(path, 'utf8');
    sources.set(path, text);
  }
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return `${path.slice(path.lastIndexOf('/dist/') + 1)}:${line} ${fn}`;
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
console.log(`${docs} documents; ${sum(all)} compiles in all, ${sum(late)} after document ${after}`);
for (const [key, n] of [...late].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${String(n).padStart(4)} / ${String(all.get(key)).padEnd(4)} ${where(key)}`);
