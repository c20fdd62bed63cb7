/**
 * A simulated farm of portals on loopback for load tests and benchmarks: hundreds of invented
 * hosts resolved to 127.0.0.1 by the fetcher's `resolve` option, served by one HTTP server in a
 * child process (farm-server.ts) that logs each request's arrival per host on its own clock.
 * Each host is a portal with its own rate limit; `hostRates` then measures how fast each host
 * was hit against its limit, from the server's arrival times or from the limiter's grants.
 *
 *   const farm = await startFarm({ hosts: 50, reportsPerHost: 10 });
 *   const p = await openPipeline(farm.portals, { fetcher: farm.fetcher, limiter: farm.limiter });
 *   await p.run({ portalConcurrency: 50 });
 *   hostRates(farm, arrivals(await farm.hits()))   // per host: requests, min gap, max per second
 */
import { type ChildProcess, fork } from 'node:child_process';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Portal } from '../../src/crawl/config.js';
import type { FetcherOptions } from '../../src/fetch/client.js';
import type { Resolver } from '../../src/fetch/lookup.js';
import { type HostLimiter, InProcessHostLimiter } from '../../src/crawl/politeness.js';
import { type FarmHost, type FarmOptions, farmHosts, farmPool, hostIntervalMs } from './farm-layout.js';
import { testPortal, testResolver } from './harness.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolvePath(HERE, '../..');

export interface FarmHit {
  path: string;
  /** Arrival, server clock (performance.timeOrigin + now, ms). */
  at: number;
  status: number;
}

export interface ExpectedFarmRecord {
  agency: string;
  year: number;
  template: '2019' | '2021';
  values: Record<string, number | null>;
}

export interface Farm {
  options: FarmOptions;
  hosts: FarmHost[];
  /** One portal per host, rate limits as the host asks. */
  portals: Portal[];
  /** DNS mapping every farm host to 127.0.0.1. */
  resolve: Resolver;
  /**
   * The HTTP client's options for crawling the farm: its DNS, and the default timeouts (under
   * load the crawler's own event loop is busy parsing, so the tests' short timeouts would fire).
   */
  fetcher: FetcherOptions;
  port: number;
  /** Report URL → the record a correct extraction gives. */
  expected: Map<string, ExpectedFarmRecord>;
  /** Listing and report pages the farm serves (robots.txt not counted). */
  pageCount: number;
  /** Requests received so far, per host name (server clock). */
  hits(): Promise<Record<string, FarmHit[]>>;
  /** The per-host limiter to crawl the farm with; it records each slot it grants in `grants`. */
  limiter: HostLimiter;
  /** When the limiter let each request to a host start (the crawler's clock), per host name. */
  grants: Record<string, number[]>;
  /** When each request to a host was written to its socket (the crawler's clock), per host name. */
  sends: Record<string, number[]>;
  resetHits(): void;
  close(): Promise<void>;
}

function request<T>(child: ChildProcess, msg: object, reply: string): Promise<T> {
  return new Promise((ok, fail) => {
    const on = (m: { type: string } & Record<string, unknown>) => {
      if (m.type !== reply) return;
      child.off('message', on);
      child.off('exit', onExit);
      ok(m as T);
    };
    const onExit = (code: number | null) => fail(new Error(`the farm server exited (${code}) before answering ${JSON.stringify(msg)}`));
    child.on('message', on);
    child.once('exit', onExit);
    child.send(msg);
  });
}

/**
 * The real in-process limiter, recording the moment it grants each slot. The limiter reads a
 * slot's `minIntervalMs` exactly once, when it grants it (to set the host's next start), so a
 * getter there sees the grant itself — not when the request's code later gets to run, which on a
 * busy event loop can be many milliseconds after.
 */
function recordingLimiter(grants: Record<string, number[]>): HostLimiter {
  const inner = new InProcessHostLimiter();
  return {
    acquire(host, opts) {
      const name = host.replace(/:\d+$/, '');
      const spy = {
        ...opts,
        get minIntervalMs() {
          (grants[name] ??= []).push(performance.timeOrigin + performance.now());
          return opts.minIntervalMs;
        },
      };
      return inner.acquire(host, spy);
    },
    defer: (host, ms) => inner.defer(host, ms),
  };
}

/** Every farm host is 127.0.0.1; a host with a slow name server answers its first lookup late. */
function farmResolver(hosts: readonly FarmHost[]): Resolver {
  const loopback = testResolver();
  const slow = new Map(hosts.filter((h) => h.dnsDelayMs > 0).map((h) => [h.name, h.dnsDelayMs]));
  return async (name) => {
    const delay = slow.get(name);
    if (delay) {
      slow.delete(name);
      await new Promise((r) => setTimeout(r, delay));
    }
    return loopback(name);
  };
}

export async function startFarm(options: FarmOptions): Promise<Farm> {
  // The server process inherits this process's priority (the farm test lowers it).
  const child = fork(join(HERE, 'farm-server.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await request<{ port: number }>(child, { type: 'start', options }, 'ready');
  const pool = farmPool(options);
  const hosts = farmHosts(options, pool);
  const url = (h: FarmHost, path: string) => `http://${h.name}:${port}${path}`;
  const expected = new Map<string, ExpectedFarmRecord>();
  for (const h of hosts) {
    for (const r of h.reports) {
      const rep = pool[r.pool]!;
      expected.set(url(h, r.path), { agency: rep.agency, year: rep.year, template: rep.template, values: rep.values });
    }
  }
  const resolve = farmResolver(hosts);
  const grants: Record<string, number[]> = {};
  const sends: Record<string, number[]> = {};
  const portals = hosts.map((h) =>
    testPortal({
      id: `farm-${h.index}`,
      entries: [url(h, '/ndbg/index.html')],
      allowedHosts: [h.name],
      // Loopback, explicitly allowed: the farm's hosts are invented names for 127.0.0.1.
      allowPrivate: true,
      rateLimit: { requestsPerSecond: h.requestsPerSecond, concurrency: 2 },
      limits: { timeoutMs: 30_000, retries: 3 },
    }),
  );
  return {
    options,
    hosts,
    portals,
    resolve,
    fetcher: {
      resolve,
      limits: { headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000 },
      onRequest: (i) => (sends[new URL(i.url).hostname] ??= []).push(performance.timeOrigin + performance.now()),
    },
    limiter: recordingLimiter(grants),
    grants,
    sends,
    port,
    expected,
    pageCount: hosts.reduce((n, h) => n + h.listings.length + h.reports.length, 0),
    hits: async () => (await request<{ hits: Record<string, FarmHit[]> }>(child, { type: 'hits' }, 'hits')).hits,
    resetHits: () => child.send({ type: 'reset' }),
    close: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.disconnect();
      }),
  };
}

export interface HostRate {
  host: string;
  requests: number;
  /** Least gap the crawler must leave between request starts (rate limit or Crawl-delay). */
  limitMs: number;
  /** The host's rate limit, requests per second. */
  limitPerSecond: number;
  /** Smallest gap between two consecutive arrivals, server clock. */
  minGapMs: number;
  /** Most requests that arrived within any one second. */
  maxPerSecond: number;
  /** Arrivals, from the second on, that came sooner after the previous one than the limit allows (minus `toleranceMs`). */
  early: number;
  /**
   * Pairs of arrivals (i, j) closer together than the j - i gaps the limit requires, beyond
   * `toleranceMs`: a sustained excess, which one late request cannot fake.
   */
  overRate: number;
}

/** Arrival times per host, from the server's log. */
export function arrivals(hits: Record<string, FarmHit[]>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(hits).map(([h, list]) => [h, list.map((x) => x.at)]));
}

/**
 * Per host, how fast requests came, from request times on one clock (the server's arrivals, or
 * the crawler's request starts). The first request (robots.txt) is admitted before the
 * Crawl-delay is known, so the gap after it is held to the rate limit alone. `toleranceMs`
 * absorbs timer and loopback jitter on a single gap.
 */
export function hostRates(farm: Farm, times: Record<string, number[]>, toleranceMs = 10): HostRate[] {
  return farm.hosts.map((h) => {
    const at = [...(times[h.name] ?? [])].sort((a, b) => a - b);
    const rateMs = Math.ceil(1000 / h.requestsPerSecond);
    const limitMs = hostIntervalMs(h);
    const need = at.map((_, i) => (i === 0 ? 0 : i === 1 ? rateMs : limitMs));
    let minGap = Infinity;
    let early = 0;
    for (let i = 1; i < at.length; i++) {
      const gap = at[i]! - at[i - 1]!;
      minGap = Math.min(minGap, gap);
      if (gap < need[i]! - toleranceMs) early++;
    }
    let overRate = 0;
    for (let i = 0; i < at.length; i++) {
      let required = 0;
      for (let j = i + 1; j < at.length; j++) {
        required += need[j]!;
        if (at[j]! - at[i]! < required - toleranceMs) overRate++;
      }
    }
    let maxPerSecond = 0;
    for (let i = 0, j = 0; j < at.length; j++) {
      while (at[j]! - at[i]! >= 1000) i++;
      maxPerSecond = Math.max(maxPerSecond, j - i + 1);
    }
    return { host: h.name, requests: at.length, limitMs, limitPerSecond: h.requestsPerSecond, minGapMs: at.length > 1 ? minGap : NaN, maxPerSecond, early, overRate };
  });
}
