/**
 * Memory by thread, for finding what grows in a long `nianbao run` or `extract` (issue #15):
 * preloaded into every thread of a Node process (worker threads inherit NODE_OPTIONS' --import),
 * it appends one JSON line a second per thread — V8 heap used/total, malloced, external and
 * array buffers; the main thread adds RSS, anonymous memory (smaps_rollup) and the thread count —
 * to $NIANBAO_HEAP_PROBE_DIR/probe-<pid>.log. A worker's lines name its threadId, so a pool
 * thread that was stopped and restarted shows as a new id.
 *
 *   NODE_OPTIONS="--import $PWD/bench/heap-probe.mjs" NIANBAO_HEAP_PROBE_DIR=/tmp/probe npx tsx bench/run-memory.ts
 */
import { appendFileSync, readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { isMainThread, threadId } from 'node:worker_threads';

const dir = process.env.NIANBAO_HEAP_PROBE_DIR ?? '/tmp';
const file = `${dir}/probe-${process.pid}.log`;
const mb = (n) => Math.round(n / 2 ** 20);
const kbField = (text, key) => Math.round(Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0) / 1024);

setInterval(() => {
  const h = v8.getHeapStatistics();
  const m = process.memoryUsage();
  const line = { t: Date.now(), tid: threadId, heapUsed: mb(h.used_heap_size), heapTotal: mb(h.total_heap_size), malloced: mb(h.malloced_memory), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) };
  if (isMainThread) {
    try {
      line.rss = mb(m.rss);
      line.anon = kbField(readFileSync('/proc/self/smaps_rollup', 'utf8'), 'Anonymous');
      line.threads = Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
    } catch {
      // Not Linux: the V8 figures only.
    }
  }
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}, 1000).unref();
