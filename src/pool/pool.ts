/**
 * The parse pool: worker threads (piscina) that run every parse of untrusted bytes — extraction
 * of a document, discovery's reading of a listing or article page — under hard limits. A task
 * that runs past its time budget has its thread terminated (no parser can be interrupted from
 * inside a synchronous loop; stopping the thread is the only real limit), a task that passes the
 * heap cap kills only its thread (resourceLimits), and either becomes `too_complex` naming the
 * limit. The caller's event loop never runs the parse, so a hostile page cannot freeze a worker
 * that must renew its job locks.
 *
 * API:
 *   const pool = createParsePool({ threads: 2 });
 *   await pool.extract(bytes, input)         // NianbaoRecord (never throws: a failed record)
 *   await pool.extractLine(bytes, input)     // the same record as JSON text, with its status
 *   await pool.listing(html, url, selectors) // ListingDiscovery, or throws ExtractError
 *   await pool.article(html, url, selectors) // ArticleInfo, or throws ExtractError
 *   await pool.close()
 *
 * Tasks beyond `threads` wait in this module's own queue; a task's clock starts when a thread
 * takes it, so time spent queued behind other documents never counts against it. Results come
 * back by structured clone, identical to calling the same functions in place. Word 97–2003 and
 * WPS files are converted to DOCX in the calling thread (see `extract`), and the thread reads
 * the DOCX.
 *
 * Loading the thread's code: from dist/ (production) the thread runs dist/src/pool/thread.js;
 * from the TypeScript sources (vitest, tsx) it runs src/pool/thread-dev.mjs, which loads
 * thread.ts through tsx's tsImport (tsx is a devDependency; see that file for why).
 */
import { availableParallelism } from 'node:os';
import type { Selectors } from '../crawl/config.js';
import type { ArticleInfo } from '../crawl/article.js';
import type { ListingDiscovery } from '../crawl/discover.js';
import { convertBeforehand } from '../extract/docx/legacy-convert.js';
import { pdfEngine } from '../extract/pdf/engine.js';
import { ExtractError } from '../extract/errors.js';
import { imageKind, isPdf } from '../extract/sniff.js';
import type { ExtractRecordInput } from '../extractor.js';
import { issue } from '../record/issues.js';
import { formatForSource, sha256 } from '../source.js';
import type { NianbaoRecord, Source } from '../validate/schema.js';
import { POOL_DEFAULTS, newPiscina, takeEarly } from './start.js';
import { type PoolAnswer, type PoolTask, type RecordLine, recordLine } from './tasks.js';

export { POOL_DEFAULTS, threadEntry } from './start.js';

export interface ParsePoolOptions {
  /** Threads at once; default one per CPU. */
  threads?: number;
  /** Hard time limit of one extraction, ms (default 180 s: above LibreOffice's own 120 s). */
  extractTimeoutMs?: number;
  /** Hard time limit of reading one listing or article page, ms (default 30 s). */
  pageTimeoutMs?: number;
  /** Old-generation heap cap of a thread, MB (default 1,536). */
  maxHeapMb?: number;
  /** A thread idle this long exits (default 30 s); the next task starts a new one. */
  idleTimeoutMs?: number;
}

export interface ParsePool {
  extract(bytes: Uint8Array, input: ExtractRecordInput): Promise<NianbaoRecord>;
  /** extract's record as JSON text: for a caller that only prints it (see RecordLine). */
  extractLine(bytes: Uint8Array, input: ExtractRecordInput): Promise<RecordLine>;
  listing(html: string, url: string, selectors?: Selectors): Promise<ListingDiscovery>;
  article(html: string, url: string, selectors?: Selectors): Promise<ArticleInfo>;
  /** Tasks running or waiting. */
  readonly pending: number;
  close(): Promise<void>;
}

/** A thread that has not taken its task after this long is given up on (it could not start). */
const THREAD_START_LIMIT_MS = 120_000;

type WaitAsync = (a: Int32Array, index: number, value: number, timeoutMs: number) => { async: false; value: string } | { async: true; value: Promise<string> };
// Atomics.waitAsync (Node 16+) is not in TypeScript's ES2023 library.
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

const formatMs = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);

/** A thread that died of its heap cap reports this code (Node's worker_threads). */
const OUT_OF_MEMORY = 'ERR_WORKER_OUT_OF_MEMORY';

export function createParsePool(opts: ParsePoolOptions = {}): ParsePool {
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  const cfg = { ...POOL_DEFAULTS, ...opts };
  // The pool `nianbao extract` started before its modules loaded (start.ts), else a new one. Either
  // way no more than `threads` tasks run at once (run below), so no more threads start.
  const piscina = takeEarly({ threads, ...cfg }) ?? newPiscina({ minThreads: 0, maxThreads: threads, maxHeapMb: cfg.maxHeapMb, idleTimeoutMs: cfg.idleTimeoutMs });
  let running = 0;
  const waiting: Array<() => void> = [];
  let closed = false;
  // With PDFium, its wasm is compiled here once, at the first PDF (or picture, read as one), and
  // handed to the threads with their tasks: each would otherwise compile the 4 MB module itself.
  // Not at the pool's start: a run without PDFs (one text file: 0.08–0.12 s of a 0.3 s start)
  // would pay for it.
  let pdfium: Promise<WebAssembly.Module | undefined> | undefined;
  const pdfiumFor = (bytes: Uint8Array) => ((isPdf(bytes) || imageKind(bytes)) && pdfEngine() === 'pdfium' ? (pdfium ??= compiledPdfium()) : undefined);

  async function run<V>(task: PoolTask, timeoutMs: number): Promise<V> {
    if (closed) throw new Error('The parse pool is closed.');
    if (running >= threads) await new Promise<void>((r) => waiting.push(r));
    running++;
    const stop = new TaskStop();
    let timedOut = false;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    // The clock starts when the thread takes the task (it flips `started`), not when the task is
    // handed to piscina: starting a thread — after a stopped one, loading its modules — is not
    // the document's time.
    const started = new Int32Array(new SharedArrayBuffer(4));
    const wait = waitAsync(started, 0, 0, THREAD_START_LIMIT_MS);
    void Promise.resolve(wait.async ? wait.value : 'ok').then((v) => {
      if (settled) return;
      if (v === 'timed-out') return stop.abort();
      timer = setTimeout(() => {
        timedOut = true;
        stop.abort();
      }, timeoutMs);
    });
    try {
      const answer = (await piscina.run({ ...task, started }, { signal: stop })) as PoolAnswer<V>;
      if (answer.ok) return answer.value;
      // parse_failed (a parser's own error) travels as `corrupt`, with the thread's message.
      throw new ExtractError(answer.code === 'parse_failed' ? 'corrupt' : answer.code, answer.message);
    } catch (err) {
      if (err instanceof ExtractError) throw err;
      if (timedOut) throw new ExtractError('too_complex', `Parsing ran past its time limit of ${formatMs(timeoutMs)} and was stopped (limit timeMs).`);
      if ((err as { code?: string }).code === OUT_OF_MEMORY) throw new ExtractError('too_complex', `Parsing needed more than ${cfg.maxHeapMb} MB of memory and was stopped (limit memoryMb).`);
      throw err;
    } finally {
      settled = true;
      clearTimeout(timer);
      Atomics.notify(started, 0); // release the start wait of a task that never started
      running--;
      waiting.shift()?.();
    }
  }

  async function extract<V>(bytes: Uint8Array, input: ExtractRecordInput, json: boolean, answer: (r: NianbaoRecord) => V): Promise<V> {
    // A .doc/.wps is converted here, before the thread: LibreOffice runs are batched per
    // thread, and only here do the conversions of files extracted at once meet and share one
    // run. Its own time limit bounds the conversion; the thread's clock starts after it.
    const converted = input.converted ? null : await convertBeforehand(bytes, input);
    if (converted) input = { ...input, converted };
    try {
      const wasm = await pdfiumFor(bytes);
      return await run<V>({ kind: 'extract', bytes, input, ...(json ? { json } : {}), ...(wasm ? { pdfium: wasm } : {}) }, cfg.extractTimeoutMs);
    } catch (err) {
      if (!(err instanceof ExtractError)) throw err;
      // Loaded only when a thread was stopped: the record builder (its matcher, templates and
      // division tables) is the threads' work, not the calling thread's.
      const { failedRecord } = await import('../record/build.js');
      return answer(failedRecord(sourceOf(bytes, input), [issue(err.code, 'error', err.message)], input.hints));
    }
  }

  return {
    extract: (bytes, input) => extract(bytes, input, false, (r) => r),
    extractLine: (bytes, input) => extract(bytes, input, true, recordLine),
    listing: (html, url, selectors = {}) => run<ListingDiscovery>({ kind: 'listing', html, url, selectors }, cfg.pageTimeoutMs),
    article: (html, url, selectors = {}) => run<ArticleInfo>({ kind: 'article', html, url, selectors }, cfg.pageTimeoutMs),
    get pending() {
      return running + waiting.length;
    },
    async close() {
      closed = true;
      await piscina.destroy();
    },
  };
}

/**
 * What stops a task: piscina takes, as a task's signal, any object with an EventEmitter's `once`
 * and `removeListener` for 'abort'. An AbortController's signal is an EventTarget, whose listener
 * bookkeeping cost the calling thread ~10 µs a task; a task's signal has one listener, piscina's.
 */
class TaskStop {
  aborted = false;
  private listener: (() => void) | undefined;

  once(_event: 'abort', listener: () => void): void {
    this.listener = listener;
  }

  off(_event: 'abort', listener: () => void): void {
    if (this.listener === listener) this.listener = undefined;
  }

  removeListener(event: 'abort', listener: () => void): void {
    this.off(event, listener);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listener = this.listener;
    this.listener = undefined;
    listener?.();
  }
}

/** PDFium's compiled wasm, or undefined when it cannot be had here (the thread then says why). */
async function compiledPdfium(): Promise<WebAssembly.Module | undefined> {
  try {
    return await (await import('../extract/pdf/pdfium.js')).compilePdfium();
  } catch {
    return undefined;
  }
}

/** The source block of a record made without the thread's answer (it was stopped). */
function sourceOf(bytes: Uint8Array, input: ExtractRecordInput): Source {
  const source: Source = { uri: input.uri, format: formatForSource(bytes), sha256: sha256(bytes) };
  if (input.fetchedAt) source.fetchedAt = input.fetchedAt;
  return source;
}
