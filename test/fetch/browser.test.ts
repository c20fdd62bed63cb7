/** Headless Chromium on the sample portal's JavaScript-built listing. */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverListing } from '../../src/crawl/discover.js';
import { startPortalServer, type PortalServer } from '../../src/demo/portal-server.js';
import { launchBrowserRenderer, type PageRenderer } from '../../src/fetch/browser.js';

const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('browser rendering', () => {
  let portal: PortalServer;
  let renderer: PageRenderer;
  beforeAll(async () => {
    portal = await startPortalServer();
    renderer = await launchBrowserRenderer({ executablePath: CHROMIUM });
  });
  afterAll(async () => {
    await renderer?.close();
    await portal?.close();
  });

  it('renders links that only JavaScript creates, and blocks hosts outside allowedHosts', async () => {
    const url = `${portal.baseUrl}/jsgk/ndbg/index.html`;
    const r = await renderer.render(url, { policy: { allowedHosts: [new URL(portal.baseUrl).host], allowPrivate: true }, timeoutMs: 15_000 });
    if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
    const found = discoverListing(r.html, r.finalUrl);
    expect(found.reports.map((x) => [x.url, x.year, x.agency])).toEqual([[`${portal.baseUrl}/jsgk/ndbg/202101/t20210127_0415.html`, 2020, '经济技术开发区管理办公室']]);
    expect(r.blocked).toContain('http://stat.example.invalid/count.js');
    expect(portal.requests.map((q) => q.url)).toContain('/jsgk/ndbg/data.json');
    // The same page fetched without a browser has no report links.
    expect(discoverListing((await (await fetch(url)).text()), url).reports).toEqual([]);
  });

  it('refuses a page on a host outside allowedHosts and a private address without allowPrivate', async () => {
    const url = `${portal.baseUrl}/jsgk/ndbg/index.html`;
    const offHost = await renderer.render(url, { policy: { allowedHosts: ['www.gov.cn'] } });
    expect(offHost).toMatchObject({ ok: false, reason: 'host_not_allowed' });
    const priv = await renderer.render(url, { policy: { allowedHosts: [new URL(portal.baseUrl).host] } });
    expect(priv).toMatchObject({ ok: false, reason: 'private_address' });
  });

  it('maps a missing page to http_404', async () => {
    const r = await renderer.render(`${portal.baseUrl}/nowhere.html`, { policy: { allowedHosts: [new URL(portal.baseUrl).host], allowPrivate: true } });
    expect(r).toMatchObject({ ok: false, reason: 'http_404', status: 404 });
  });
});
