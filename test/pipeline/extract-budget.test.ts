/**
 * The local run's bound on the bytes its extractions hold at once (src/pool/byte-budget.ts):
 * a portal of many documents, extracted 16 at a time under a budget of a few of them, through a hook
 * around the real extraction that counts the bytes in its hands. The bound holds, a document
 * larger than the whole budget runs alone (and the run does not stall on it), and the summary
 * has every document, its failures in the order the portal lists them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import type { StageContext } from '../../src/pipeline/stages.js';
import type { RunSummary } from '../../src/pipeline/summary.js';
import { openPipeline, testPortal, type TestPipeline } from '../faults/harness.js';
import { listingHtml, reportTitle } from '../faults/portal.js';
import { htmlReport } from '../faults/reports.js';
import { type FaultServer, fault, startFaultServer } from '../faults/server.js';

const HOST = 'www.budget.test';
const KiB = 1024;
/** Small sizes keep the test quick; the budget sees bytes, whatever their scale. */
const BUDGET = 400 * KiB;
/** Sizes in turn; every third document is a page with no report on it (a failed record). */
const SIZES = [40, 150, 60, 100, 75].map((k) => k * KiB);
const DOCS = 24;
/** This one is larger than the whole budget. */
const HUGE = 11;
const HUGE_BYTES = 450 * KiB;

/** An HTML page padded with a comment to `size` bytes (the extractor ignores comments). */
function padded(html: string, size: number): Buffer {
  const head = Buffer.from(html.replace('</body>', '<!--'), 'utf8');
  const tail = Buffer.from('--></body></html>', 'utf8');
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length - tail.length), 'x'), tail]);
}

interface Doc {
  path: string;
  title: string;
  bytes: Buffer;
  readable: boolean;
}

function documents(): Doc[] {
  return Array.from({ length: DOCS }, (_, i) => {
    const size = i === HUGE ? HUGE_BYTES : SIZES[i % SIZES.length]!;
    const agency = `示例县预算${i}局`;
    const readable = i % 3 !== 1;
    const html = readable ? htmlReport(8100 + i, agency, 2023).bytes.toString('utf8') : '<html><head><title>页面不存在</title></head><body><p>您访问的页面不存在</p></body></html>';
    return { path: `/ndbg/b${i}.html`, title: reportTitle(agency, 2023), bytes: padded(html, size), readable };
  });
}

describe('the local run bounds the bytes its extractions hold', () => {
  const docs = documents();
  let srv: FaultServer;
  let p: TestPipeline;
  let run: RunSummary;
  let held = 0;
  /** Most bytes in hand at once, the huge document's moments apart. */
  let peak = 0;
  let most = 0;
  let inFlight = 0;
  let hugeInHand = false;
  /** What else was in hand while the huge document was. */
  const besideHuge: number[] = [];
  const seen: string[] = [];
  const url = (path: string) => srv.url(HOST, path);
  const indexOf = (uri: string) => docs.findIndex((d) => url(d.path) === uri);

  const extract: StageContext['extract'] = async (bytes, input) => {
    held += bytes.length;
    inFlight++;
    most = Math.max(most, inFlight);
    if (bytes.length === HUGE_BYTES) hugeInHand = true;
    if (hugeInHand) besideHuge.push(held - HUGE_BYTES);
    else peak = Math.max(peak, held);
    seen.push(input.uri);
    try {
      // Long enough that every extraction the budget lets in overlaps with the others. Failures
      // take longer the earlier they are listed (as a hard PDF's would): they end out of order.
      const i = indexOf(input.uri);
      await new Promise((r) => setTimeout(r, docs[i]!.readable ? 30 : 60 * (DOCS - i)));
      return await extractRecord(bytes, input);
    } finally {
      held -= bytes.length;
      inFlight--;
      if (bytes.length === HUGE_BYTES) hugeInHand = false;
    }
  };

  beforeAll(async () => {
    srv = await startFaultServer();
    for (const d of docs) srv.route(d.path, fault.ok(d.bytes, 'text/html; charset=utf-8'));
    srv.route('/ndbg/index.html', fault.ok(listingHtml(docs.map((d) => ({ href: d.path, title: d.title })))));
    const portal = testPortal({ id: 'budget', entries: [url('/ndbg/index.html')], allowedHosts: [HOST], allowPrivate: true });
    p = await openPipeline([portal], { extract });
    run = await p.run({ extractConcurrency: 16, extractBytesInFlight: BUDGET });
  }, 120_000);

  afterAll(async () => {
    await p?.close();
    await srv?.close();
  });

  it('never holds more than the budget, yet extracts many documents at once', () => {
    expect(peak).toBeLessThanOrEqual(BUDGET);
    // The bound is what held them back, not a lack of overlap: without it all 16 would be in hand.
    expect(most).toBeGreaterThanOrEqual(3);
    expect(peak).toBeGreaterThan(BUDGET / 2);
  });

  it('runs a document larger than the whole budget alone', () => {
    expect(besideHuge).toEqual([0]);
  });

  it('extracts every document once and lists every failure, in the order the portal lists them', async () => {
    expect([...seen].sort()).toEqual(docs.map((d) => url(d.path)).sort());
    const readable = docs.filter((d) => d.readable).length;
    expect(run).toMatchObject({ reportsFound: DOCS, fetched: DOCS, fetchFailed: 0, extracted: DOCS, valid: readable, failed: DOCS - readable });
    expect(run.failures.map((f) => [f.stage, f.url])).toEqual(docs.filter((d) => !d.readable).map((d) => ['extract', url(d.path)]));
    expect(await p.counts()).toMatchObject({ documents: DOCS, records: DOCS });
  });
});
