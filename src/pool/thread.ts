/**
 * The parse pool's thread (pool.ts): runs one task at a time — extract a record, read a listing
 * or an article page — with the same pure functions the main thread would run, so a result is
 * byte-identical to running it in place. Loaded by piscina from dist/src/pool/thread.js, or from
 * this file through tsx when nianbao runs from its TypeScript sources (tests, `tsx src/cli.ts`).
 */
import { workerData } from 'node:worker_threads';
import { ExtractError } from '../extract/errors.js';
import type { ThreadData } from './start.js';
import { type PoolAnswer, type PoolTask, recordLine } from './tasks.js';

// A thread of `nianbao extract` started early (start.ts) loads the extraction core now, while
// the calling thread is still loading and reading files; its first task awaits the same import.
if ((workerData as ThreadData | undefined)?.preload === 'extract') import('../extractor.js').catch(() => {});

export default async function run(task: PoolTask): Promise<PoolAnswer<unknown>> {
  if (task.started) {
    Atomics.store(task.started, 0, 1);
    Atomics.notify(task.started, 0);
  }
  try {
    // Each kind loads its own code on first use: a thread of `nianbao extract` never loads the
    // crawler, and a crawl's page reader never loads the record builder.
    if (task.kind === 'extract') {
      if (task.pdfium) (await import('../extract/pdf/pdfium.js')).usePdfiumModule(task.pdfium);
      const { extractRecord } = await import('../extractor.js');
      const record = await extractRecord(task.bytes, task.input);
      return { ok: true, value: task.json ? recordLine(record) : record };
    }
    const { discoverArticle, discoverListing } = await import('../crawl/discover.js');
    if (task.kind === 'listing') return { ok: true, value: discoverListing(task.html, task.url, task.selectors) };
    return { ok: true, value: discoverArticle(task.html, task.url, task.selectors) };
  } catch (err) {
    if (err instanceof ExtractError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'parse_failed', message: err instanceof Error ? err.message : String(err) };
  }
}
