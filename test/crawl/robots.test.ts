import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRobots } from '../../src/crawl/robots.js';
import { createFetcher } from '../../src/fetch/client.js';
import type { FetchPolicy } from '../../src/fetch/types.js';
import { serve, type TestServer } from '../fetch/server.js';

let srv: TestServer;
const fetcher = createFetcher({ limits: { retries: 1, backoffBaseMs: 5 } });
// One loopback origin per robots.txt behaviour.
const servers: TestServer[] = [];

async function origin(answer: (res: import('node:http').ServerResponse) => void): Promise<TestServer> {
  const s = await serve((req, res) => (req.url === '/robots.txt' ? answer(res) : res.end('page')));
  servers.push(s);
  return s;
}
const policy = (s: TestServer): FetchPolicy => ({ allowedHosts: [`127.0.0.1:${s.port}`], allowPrivate: true });

beforeAll(async () => {
  srv = await origin((res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n\nUser-agent: nianbao\nDisallow: /private/\nAllow: /private/open/\nCrawl-delay: 0.5\n'));
});
afterAll(async () => {
  await fetcher.close();
  await Promise.all(servers.map((s) => s.close()));
});

describe('robots.txt', () => {
  it('honours Disallow/Allow and Crawl-delay for our user agent, fetching robots.txt once', async () => {
    const robots = createRobots({ fetcher });
    const p = { policy: policy(srv) };
    expect(await robots.check(`${srv.base}/zwgk/index.html`, p)).toEqual({ allowed: true, crawlDelayMs: 500 });
    expect(await robots.check(`${srv.base}/private/x.html`, p)).toMatchObject({ allowed: false, reason: 'robots_disallowed', crawlDelayMs: 500 });
    expect(await robots.check(`${srv.base}/private/open/x.html`, p)).toMatchObject({ allowed: true });
    await Promise.all([robots.check(`${srv.base}/a`, p), robots.check(`${srv.base}/b`, p)]);
    expect(srv.hits.filter((h) => h.url === '/robots.txt')).toHaveLength(1);
  });

  it('a missing robots.txt (404) allows everything', async () => {
    const s = await origin((res) => res.writeHead(404).end());
    const robots = createRobots({ fetcher });
    expect(await robots.check(`${s.base}/private/x`, { policy: policy(s) })).toEqual({ allowed: true, crawlDelayMs: null });
  });

  it('a 5xx robots.txt means complete disallow for now (RFC 9309), and is not refetched within the crawl', async () => {
    const s = await origin((res) => res.writeHead(503).end());
    const robots = createRobots({ fetcher });
    const v = await robots.check(`${s.base}/zwgk/index.html`, { policy: policy(s) });
    expect(v).toMatchObject({ allowed: false, reason: 'robots_unavailable' });
    expect(v.message).toContain('http_5xx');
    await robots.check(`${s.base}/other.html`, { policy: policy(s) });
    expect(s.hits.filter((h) => h.url === '/robots.txt')).toHaveLength(3); // one fetch of robots.txt: the first try and two retries
  });

  it('an unreachable robots.txt is retried after unavailableTtlMs', async () => {
    let t = 0;
    const s = await origin((res) => res.writeHead(500).end());
    const robots = createRobots({ fetcher, now: () => t, unavailableTtlMs: 1000 });
    await robots.check(`${s.base}/a`, { policy: policy(s) });
    t = 2000;
    await robots.check(`${s.base}/a`, { policy: policy(s) });
    expect(s.hits.filter((h) => h.url === '/robots.txt')).toHaveLength(6);
  });
});
