/**
 * The real pipeline (runLocal over the real stages) on a temporary SQLite store and artifact
 * folder, with an HTTP client whose DNS maps invented host names to loopback — so a test portal
 * can have many hosts, and so the private-address rules see exactly what a real crawl would.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArtifactStore, openArtifacts } from '../../src/artifacts/index.js';
import type { Portal } from '../../src/crawl/config.js';
import { CRAWL_DEFAULTS, type CrawlLimits, type RateLimit } from '../../src/crawl/defaults.js';
import { InProcessHostLimiter, type HostLimiter } from '../../src/crawl/politeness.js';
import { createRobots } from '../../src/crawl/robots.js';
import { createFetcher, type FetcherOptions } from '../../src/fetch/client.js';
import type { Resolver } from '../../src/fetch/lookup.js';
import type { Fetcher } from '../../src/fetch/types.js';
import { type LocalRunOptions, runLocal } from '../../src/pipeline/local.js';
import type { ParsePool } from '../../src/pool/pool.js';
import type { StageContext } from '../../src/pipeline/stages.js';
import type { RunSummary } from '../../src/pipeline/summary.js';
import { type Store, type StoredDocument, openStore } from '../../src/store/index.js';

/**
 * DNS for tests: every name resolves to 127.0.0.1 unless `map` says otherwise. Nothing leaves
 * the machine, and a name mapped to 169.254.169.254 is only ever checked, never connected to.
 */
export function testResolver(map: Record<string, string> = {}): Resolver {
  return async (hostname) => {
    const address = map[hostname.toLowerCase()] ?? '127.0.0.1';
    return [{ address, family: isIP(address) === 6 ? 6 : 4 }];
  };
}

export interface PortalOptions {
  id: string;
  entries: string[];
  allowedHosts: string[];
  allowPrivate: boolean;
  rateLimit?: Partial<RateLimit>;
  limits?: Partial<CrawlLimits>;
}

/**
 * A portal as the configuration would give it. Fast defaults for tests: 50 requests/s per host,
 * one retry, and a 15 s deadline per request: far past any healthy response on a loaded machine
 * (3 s was not), so only the tests about deadlines, which set their own, ever reach it.
 */
export function testPortal(o: PortalOptions): Portal {
  return {
    id: o.id,
    name: `测试门户 ${o.id}`,
    region: { name: '江苏省', code: '320000' },
    level: 'county',
    entries: o.entries.map((url) => ({ url })),
    allowedHosts: o.allowedHosts,
    selectors: {},
    rateLimit: { requestsPerSecond: 50, concurrency: 4, ...o.rateLimit },
    render: 'http',
    allowPrivate: o.allowPrivate,
    limits: { ...CRAWL_DEFAULTS.limits, timeoutMs: 15_000, retries: 1, ...o.limits },
  };
}

/**
 * Header and stall timeouts short enough for tests, long enough that a loaded machine (other
 * test files, other processes) never makes a healthy response look stalled; quick backoff.
 */
export const FAST_FETCH: FetcherOptions['limits'] = { headersTimeoutMs: 1500, bodyTimeoutMs: 1500, backoffBaseMs: 10, backoffMaxMs: 50 };

export interface TestPipeline {
  ctx: StageContext;
  store: Store;
  artifacts: ArtifactStore;
  fetcher: Fetcher;
  run(opts?: Partial<LocalRunOptions>): Promise<RunSummary>;
  doc(url: string): Promise<StoredDocument>;
  /** Rows in every table of the store. */
  counts(): Promise<Record<'documents' | 'pages' | 'records' | 'runs', number>>;
  /** Files in the artifact store. */
  artifactCount(): number;
  close(): Promise<void>;
}

export interface PipelineOptions {
  fetcher?: FetcherOptions;
  limiter?: HostLimiter;
  extract?: StageContext['extract'];
  /** Parse in this pool's threads (extraction and pages), as openContext does in production. */
  pool?: ParsePool;
  /** The artifact store's own size limit (default 200 MiB). */
  artifactMaxBytes?: number;
}

export async function openPipeline(portals: Portal[], opts: PipelineOptions = {}): Promise<TestPipeline> {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-faults-'));
  const store = await openStore({ url: join(dir, 'nianbao.sqlite'), env: {} });
  const artifacts = openArtifacts({ dir: join(dir, 'artifacts'), ...(opts.artifactMaxBytes ? { maxBytes: opts.artifactMaxBytes } : {}) });
  const fetcher = createFetcher({ resolve: testResolver(), ...opts.fetcher, limits: { ...FAST_FETCH, ...opts.fetcher?.limits } });
  const ctx: StageContext = {
    store,
    artifacts,
    fetcher,
    limiter: opts.limiter ?? new InProcessHostLimiter(),
    robots: createRobots({ fetcher }),
    portals: new Map(portals.map((p) => [p.id, p])),
    ...(opts.extract ? { extract: opts.extract } : {}),
    ...(opts.pool ? { extract: opts.pool.extract, parser: { listing: opts.pool.listing, article: opts.pool.article } } : {}),
  };
  return {
    ctx,
    store,
    artifacts,
    fetcher,
    run: (o = {}) => runLocal(ctx, { portals, fetchConcurrency: 8, extractConcurrency: 2, ...o }),
    async doc(url) {
      const d = await store.getDocument(url);
      if (!d) throw new Error(`no document ${url} in the store`);
      return d;
    },
    async counts() {
      const n = async (t: 'documents' | 'pages' | 'records' | 'runs') => Number((await store.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      return { documents: await n('documents'), pages: await n('pages'), records: await n('records'), runs: await n('runs') };
    },
    artifactCount() {
      const walk = (d: string): number => readdirSync(d).reduce((s, f) => (statSync(join(d, f)).isDirectory() ? s + (f === 'tmp' ? 0 : walk(join(d, f))) : s + 1), 0);
      try {
        return walk(artifacts.dir);
      } catch {
        return 0;
      }
    },
    async close() {
      await fetcher.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
