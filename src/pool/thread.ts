/**
 * The parse pool's thread (pool.ts): runs one task at a time — extract a record, read a listing
 * or an article page — with the same pure functions the main thread would run, so a result is
 * byte-identical to running it in place. Loaded by piscina from dist/src/pool/thread.js, or from
 * this file through tsx when nianbao runs from its TypeScript sources (tests, `tsx src/cli.ts`).
 */
import { discoverArticle, discoverListing } from '../crawl/discover.js';
import { ExtractError } from '../extract/errors.js';
import { extractRecord } from '../extractor.js';
import type { PoolAnswer, PoolTask } from './tasks.js';

export default async function run(task: PoolTask): Promise<PoolAnswer<unknown>> {
  if (task.started) {
    Atomics.store(task.started, 0, 1);
    Atomics.notify(task.started, 0);
  }
  try {
    if (task.kind === 'extract') return { ok: true, value: await extractRecord(task.bytes, task.input) };
    if (task.kind === 'listing') return { ok: true, value: discoverListing(task.html, task.url, task.selectors) };
    return { ok: true, value: discoverArticle(task.html, task.url, task.selectors) };
  } catch (err) {
    if (err instanceof ExtractError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'parse_failed', message: err instanceof Error ? err.message : String(err) };
  }
}
