/**
 * The crawler never reaches a private, loopback or link-local address, and never leaves a
 * portal's hosts, unless the portal's configuration says so — through the whole pipeline, with
 * every redirect hop checked. Host names are mapped by the test's DNS; addresses that must never
 * be connected to (10.0.0.1, 169.254.169.254) are only ever resolved, never dialled: every case
 * that names one runs without allowPrivate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../src/fetch/address.js';
import type { RunSummary } from '../../src/pipeline/summary.js';
import { openPipeline, testPortal, testResolver, type TestPipeline } from './harness.js';
import { listingHtml, reportTitle } from './portal.js';
import { expectKnown, sampleReport } from './reports.js';
import { type FaultServer, fault, startFaultServer } from './server.js';

const GOOD = sampleReport('pdf', 'chromium-2021-blank');

describe('without allowPrivate, a portal on a loopback address is refused before any request', () => {
  let srv: FaultServer;
  beforeAll(async () => {
    srv = await startFaultServer();
    srv.route('/ndbg/index.html', fault.ok(listingHtml([{ href: '/files/a.pdf', title: reportTitle(GOOD.agency, GOOD.year) }])));
    srv.route('/files/a.pdf', fault.ok(GOOD.bytes, GOOD.type));
  });
  afterAll(() => srv.close());

  // The same portal, reached by a name that resolves to 127.0.0.1 and by loopback literals.
  const cases = [
    { name: 'a name resolving to 127.0.0.1', host: 'www.portal.test' },
    { name: 'the literal 127.0.0.1', host: '127.0.0.1' },
    { name: 'localhost', host: 'localhost' },
  ];

  it.each(cases)('$name: private_address, nothing requested, nothing stored but the failure', async ({ host }) => {
    const entry = srv.url(host, '/ndbg/index.html');
    const p = await openPipeline([testPortal({ id: 'p', entries: [entry], allowedHosts: [host], allowPrivate: false })], { fetcher: { resolve: testResolver({ localhost: '127.0.0.1' }) } });
    try {
      const before = srv.hits.length;
      const run = await p.run();
      expect(run.failures).toEqual([expect.objectContaining({ stage: 'discover', url: entry, reason: 'private_address' })]);
      expect(srv.hits.length).toBe(before);
      // The refused entry is on record as a failed page (so /failed shows it), with no content.
      expect(await p.counts()).toMatchObject({ documents: 0, pages: 1, records: 0 });
    } finally {
      await p.close();
    }
  });

  it('the same portal with allowPrivate: crawled, fetched and stored', async () => {
    const entry = srv.url('www.portal.test', '/ndbg/index.html');
    const p = await openPipeline([testPortal({ id: 'p', entries: [entry], allowedHosts: ['www.portal.test'], allowPrivate: true })]);
    try {
      const run = await p.run();
      expect(run.failures).toEqual([]);
      expectKnown(await p.store.getRecord(srv.url('www.portal.test', '/files/a.pdf')), GOOD, 'a.pdf');
    } finally {
      await p.close();
    }
  });
});

describe('redirects to private addresses and to other hosts', () => {
  let srv: FaultServer;
  /** An "internal service" really listening on [::1]: a refusal must come from the rules, not a closed port. */
  let internal: FaultServer;
  let refused: TestPipeline;
  let allowed: TestPipeline;
  let run: RunSummary;
  let runAllowed: RunSummary;
  let hitsWhileRefused: { internal: number; offHost: number };
  const HOST = 'www.gov.test';
  const url = (path: string) => srv.url(HOST, path);
  const v6 = () => `http://[::1]:${internal.port}/secret.pdf`;
  const v6Name = () => `http://v6.gov.test:${internal.port}/secret.pdf`;

  // Redirect targets and the reason each must be refused with, without allowPrivate.
  const targets = (): { name: string; location: string; reason: string }[] => [
    { name: 'intranet name → 10.0.0.1', location: 'http://intranet.gov.test/report.pdf', reason: 'private_address' },
    { name: 'metadata name → 169.254.169.254', location: 'http://metadata.gov.test/latest/meta-data/', reason: 'private_address' },
    { name: 'name → ::1', location: v6Name(), reason: 'private_address' },
    { name: 'name → fe80::1 (IPv6 link-local)', location: 'http://ll6.gov.test/report.pdf', reason: 'private_address' },
    { name: 'name → ::ffff:10.0.0.1 (IPv4-mapped)', location: 'http://mapped.gov.test/report.pdf', reason: 'private_address' },
    { name: 'literal 10.0.0.1', location: 'http://10.0.0.1/report.pdf', reason: 'private_address' },
    { name: 'literal 169.254.169.254', location: 'http://169.254.169.254/latest/meta-data/', reason: 'private_address' },
    { name: 'literal [::1]', location: v6(), reason: 'private_address' },
    { name: 'another host', location: srv.url('www.elsewhere.test', '/files/good.pdf'), reason: 'host_not_allowed' },
    { name: 'a private literal the portal does not list', location: 'http://192.168.1.1/report.pdf', reason: 'host_not_allowed' },
  ];
  const pathOf = (i: number) => `/files/redirect-${i}.pdf`;

  beforeAll(async () => {
    srv = await startFaultServer();
    internal = await startFaultServer({ host: '::1' });
    internal.route('/secret.pdf', fault.ok(GOOD.bytes, GOOD.type));
    const items = targets().map((t, i) => {
      srv.route(pathOf(i), fault.redirect(t.location));
      return { href: pathOf(i), title: reportTitle(`示例县跳转${i + 1}局`, 2023) };
    });
    srv.route('/files/good.pdf', fault.ok(GOOD.bytes, GOOD.type));
    // A link straight to another host, and the healthy report last.
    items.push({ href: srv.url('www.elsewhere.test', '/files/x.pdf'), title: reportTitle('示例县外站局', 2023) });
    items.push({ href: '/files/good.pdf', title: reportTitle(GOOD.agency, GOOD.year) });
    srv.route('/ndbg/index.html', fault.ok(listingHtml(items)));
    // The portal lists the literals too (a careless configuration): the address rule must still refuse them.
    const allowedHosts = [HOST, '*.gov.test', '10.0.0.1', '169.254.169.254', `[::1]:${internal.port}`];
    const dns = testResolver({ 'intranet.gov.test': '10.0.0.1', 'metadata.gov.test': '169.254.169.254', 'v6.gov.test': '::1', 'll6.gov.test': 'fe80::1', 'mapped.gov.test': '::ffff:10.0.0.1' });
    // 127.0.0.1 plays the public internet; every other private address stays forbidden.
    const isForbiddenAddress = (ip: string) => ip !== '127.0.0.1' && isPrivateAddress(ip);
    refused = await openPipeline([testPortal({ id: 'gov', entries: [url('/ndbg/index.html')], allowedHosts, allowPrivate: false })], { fetcher: { resolve: dns, isForbiddenAddress } });
    run = await refused.run();
    hitsWhileRefused = { internal: internal.hits.length, offHost: srv.hits.filter((h) => h.host !== HOST).length };

    // With allowPrivate, only the [::1] redirects are listed: nothing may dial 10.0.0.1 or 169.254.169.254.
    srv.route('/v6/index.html', fault.ok(listingHtml([2, 7].map((i) => ({ href: pathOf(i), title: reportTitle(`示例县跳转${i + 1}局`, 2023) })))));
    allowed = await openPipeline([testPortal({ id: 'gov', entries: [url('/v6/index.html')], allowedHosts, allowPrivate: true })], { fetcher: { resolve: dns, isForbiddenAddress } });
    runAllowed = await allowed.run();
  }, 180_000);

  afterAll(async () => {
    await refused?.close();
    await allowed?.close();
    await srv?.close();
    await internal?.close();
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])('redirect %i is refused with its reason, stored as a failed document', async (i) => {
    const t = targets()[i]!;
    expect(await refused.doc(url(pathOf(i))), t.name).toMatchObject({ status: 'failed', errorCode: t.reason, sha256: null });
    expect(run.failures).toContainEqual(expect.objectContaining({ stage: 'fetch', url: url(pathOf(i)), reason: t.reason }));
  });

  it('the internal service and the other host never received a request', () => {
    expect(hitsWhileRefused).toEqual({ internal: 0, offHost: 0 });
  });

  it('a listing link to another host is skipped as host_not_allowed, never stored or requested', async () => {
    expect(run.skipped).toEqual([{ url: srv.url('www.elsewhere.test', '/files/x.pdf'), reason: 'host_not_allowed' }]);
    expect(await refused.store.getDocument(srv.url('www.elsewhere.test', '/files/x.pdf'))).toBeNull();
  });

  it('the run went on: the healthy report is stored exactly right', async () => {
    expectKnown(await refused.store.getRecord(url('/files/good.pdf')), GOOD, 'good.pdf');
    expect(run).toMatchObject({ fetched: 1, fetchFailed: targets().length, valid: 1 });
  });

  it('with allowPrivate the same redirects to [::1] are followed, and the internal service answers', async () => {
    expect(runAllowed.failures).toEqual([]);
    for (const i of [2, 7]) expectKnown(await allowed.store.getRecord(url(pathOf(i))), GOOD, pathOf(i));
    // Each name of the internal service (v6.gov.test, [::1]) is its own origin: robots.txt, then the file.
    expect(internal.hits.map((h) => `${h.host} ${h.path}`).sort()).toEqual(['[::1] /robots.txt', '[::1] /secret.pdf', 'v6.gov.test /robots.txt', 'v6.gov.test /secret.pdf']);
    expect(srv.hits.filter((h) => h.host !== HOST)).toEqual([]);
  });
});
