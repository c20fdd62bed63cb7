/**
 * A generated farm of small portals, each on a fault server of its own on 127.0.0.1 (so worker
 * child processes reach them with real DNS too), where some portals break between nights in the
 * ways portals really break: the column moves (a 200 page with no report link), the site starts
 * answering 403 to everything (blocks our user agent), the listing moves behind JavaScript (an
 * empty shell filled in by a script), robots.txt starts disallowing the column. Night 1 every
 * portal is healthy.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Portal } from '../../src/crawl/config.js';
import { testPortal } from '../faults/harness.js';
import { listingHtml, reportTitle } from '../faults/portal.js';
import { type KnownReport, htmlReport } from '../faults/reports.js';
import { type FaultServer, type Handler, fault, startFaultServer } from '../faults/server.js';

export type Breakage = 'healthy' | 'layout' | 'forbidden' | 'javascript' | 'robots';

export interface FarmPortal {
  id: string;
  breaks: Breakage;
  server: FaultServer;
  entry: string;
  reports: { path: string; known: KnownReport }[];
}

/** The HTTP client's deadlines for crawling the farm (the fault harness's are short, for fault tests). */
export const PATIENT_FETCH = { limits: { headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000 } };

export interface BrokenFarm {
  portals: FarmPortal[];
  /** As the configuration gives them (local mode). */
  config: Portal[];
  /** The same portals as a portals.yaml (distributed mode's workers read it). */
  writeConfig(dir: string, monitoring?: string): string;
  /** Every portal answers as on night `n`; breakages start on `breakNight`. */
  set night(n: number);
  close(): Promise<void>;
}

/** A 200 page of the portal's new design: navigation, text, no link to any report. */
const MOVED = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a></div>
<div class="notice"><p>本栏目已整合至新版政府信息公开平台，请通过首页“政务公开”栏目访问相关信息。网站改版期间给您带来的不便，敬请谅解。</p></div>
<div class="footer">主办单位：示例县人民政府办公室</div></body></html>`;

/** The listing as a script framework's shell: the items arrive from an API the crawler does not run. */
const SHELL = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title><script src="/static/js/chunk-vendors.js"></script></head>
<body><noscript>本页面需要启用 JavaScript 才能正常显示。</noscript><div id="app"></div><script src="/static/js/app.js"></script></body></html>`;

export async function startBrokenFarm(kinds: readonly Breakage[], opts: { breakNight?: number; seed?: number } = {}): Promise<BrokenFarm> {
  const breakNight = opts.breakNight ?? 2;
  const seed = opts.seed ?? 8100;
  const portals: FarmPortal[] = [];
  for (const [i, breaks] of kinds.entries()) {
    const server = await startFaultServer();
    const id = `farm-${breaks}-${i}`;
    const reports = [0, 1].map((k) => ({ path: `/ndbg/r${k}.html`, known: htmlReport(seed + i * 10 + k, `示例县夜间${'一二三四五六七八九十'[i % 10]}${k ? '乙' : '甲'}局`, 2022 + k) }));
    const broken = (healthy: Handler, whenBroken: Handler): Handler => fault.nightly((n) => (n >= breakNight ? whenBroken : healthy));
    const listing = fault.ok(listingHtml(reports.map((r) => ({ href: r.path, title: reportTitle(r.known.agency, r.known.year) }))));
    const listingNow = breaks === 'layout' ? broken(listing, fault.ok(MOVED)) : breaks === 'javascript' ? broken(listing, fault.ok(SHELL)) : breaks === 'forbidden' ? broken(listing, fault.status(403)) : listing;
    server.route('/ndbg/index.html', listingNow);
    // robots.txt: none at first (everything allowed); the robots portal then disallows its column.
    server.route('/robots.txt', breaks === 'robots' ? broken(fault.status(404), fault.ok('User-agent: *\nDisallow: /ndbg/\n', 'text/plain')) : fault.status(404));
    for (const r of reports) {
      const ok = fault.ok(r.known.bytes, r.known.type);
      server.route(r.path, breaks === 'forbidden' ? broken(ok, fault.status(403)) : ok);
    }
    portals.push({ id, breaks, server, entry: server.url('127.0.0.1', '/ndbg/index.html'), reports });
  }
  // Deadlines far above a healthy answer's time even on a loaded machine: here a timeout would be a
  // breakage the test did not plan, and an alert it does not expect.
  const config = portals.map((p) => testPortal({ id: p.id, entries: [p.entry], allowedHosts: ['127.0.0.1'], allowPrivate: true, limits: { timeoutMs: 15_000 } }));
  return {
    portals,
    config,
    writeConfig(dir, monitoring) {
      const yaml = [
        'portals:',
        ...portals.flatMap((p) => [
          `  - id: ${p.id}`,
          `    name: 测试门户 ${p.id}`,
          '    region: { name: 江苏省, code: "320000" }',
          '    level: county',
          `    entries: [{ url: "${p.entry}" }]`,
          '    allowedHosts: ["127.0.0.1"]',
          '    allowPrivate: true',
          '    rateLimit: { requestsPerSecond: 50, concurrency: 4 }',
          '    limits: { timeoutMs: 15000, retries: 1 }',
        ]),
        ...(monitoring ? [monitoring] : []),
      ].join('\n');
      const path = join(dir, 'portals.yaml');
      writeFileSync(path, `${yaml}\n`);
      return path;
    },
    set night(n: number) {
      for (const p of portals) p.server.night = n;
    },
    async close() {
      for (const p of portals) await p.server.close();
    },
  };
}
