/**
 * The local run contains every per-item error: an extraction that throws (a bug meeting a page no
 * test had) is that document's failure in the summary; the other documents are stored and the run
 * finishes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import type { RunSummary } from '../../src/pipeline/summary.js';
import { openPipeline, testPortal, type TestPipeline } from '../faults/harness.js';
import { listingHtml, reportTitle } from '../faults/portal.js';
import { type KnownReport, expectKnown, htmlReport } from '../faults/reports.js';
import { type FaultServer, fault, startFaultServer } from '../faults/server.js';

const HOST = 'www.contained.test';

describe('a local run contains per-document errors', () => {
  let srv: FaultServer;
  let p: TestPipeline;
  let run: RunSummary;
  const reports: { path: string; known: KnownReport }[] = [];

  beforeAll(async () => {
    srv = await startFaultServer();
    for (let i = 0; i < 3; i++) {
      const known = htmlReport(7600 + i, `示例县包含${i + 1}局`, 2023);
      const path = `/ndbg/r${i}.html`;
      srv.route(path, fault.ok(known.bytes));
      reports.push({ path, known });
    }
    srv.route('/ndbg/index.html', fault.ok(listingHtml(reports.map((r) => ({ href: r.path, title: reportTitle(r.known.agency, r.known.year) })))));
    const portal = testPortal({ id: 'contained', entries: [srv.url(HOST, '/ndbg/index.html')], allowedHosts: [HOST], allowPrivate: true });
    p = await openPipeline([portal], {
      extract: async (bytes, input) => {
        if (input.uri.endsWith('/r1.html')) throw new RangeError('Maximum call stack size exceeded');
        return extractRecord(bytes, input);
      },
    });
    run = await p.run();
  }, 60_000);

  afterAll(async () => {
    await p?.close();
    await srv?.close();
  });

  it('the throwing document is a failure with its message; the others are stored; the run is done', async () => {
    expect(run.failures).toEqual([{ stage: 'extract', url: srv.url(HOST, '/ndbg/r1.html'), reason: 'internal_error', message: 'Maximum call stack size exceeded' }]);
    for (const r of [reports[0]!, reports[2]!]) expectKnown(await p.store.getRecord(srv.url(HOST, r.path)), r.known, r.path);
    expect(run.valid).toBe(2);
    const last = await p.store.db.selectFrom('runs').select('status').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(last.status).toBe('done');
  });
});
