/**
 * Everything the stages need, opened from options with the embedded defaults: SQLite under
 * ./data (or $DATABASE_URL), artifacts under ./data/artifacts, one HTTP client, one per-host
 * limiter, one robots.txt cache, and a browser started only if a portal needs one.
 */
import { join } from 'node:path';
import { openArtifacts } from '../artifacts/index.js';
import type { Portal } from '../crawl/config.js';
import { InProcessHostLimiter, type HostLimiter } from '../crawl/politeness.js';
import { createRobots } from '../crawl/robots.js';
import type { PageRenderer } from '../fetch/browser.js';
import { createFetcher } from '../fetch/client.js';
import { type ParsePoolOptions, createParsePool } from '../pool/pool.js';
import { openStore, type Store } from '../store/index.js';
import type { StageContext } from './stages.js';

export interface ContextOptions {
  portals: readonly Portal[];
  /** Default ./data. */
  dataDir?: string;
  /** SQLite path or postgres:// URL; default $DATABASE_URL, else <dataDir>/nianbao.sqlite. */
  db?: string;
  /** Shared across workers in distributed mode (Redis); in-process otherwise. */
  limiter?: HostLimiter;
  store?: Store;
  /**
   * Parse pool (worker threads with hard time and memory limits) for extraction and for reading
   * pages: its options (`{}` for one thread per CPU), or false / absent to parse in place.
   * `nianbao run`, `retry` and `demo` use one.
   */
  pool?: ParsePoolOptions | false;
}

export interface OpenContext extends StageContext {
  close(): Promise<void>;
}

export async function openContext(opts: ContextOptions): Promise<OpenContext> {
  const dataDir = opts.dataDir ?? 'data';
  const store = opts.store ?? (await openStore({ dataDir, ...(opts.db ? { url: opts.db } : {}) }));
  const fetcher = createFetcher({});
  let renderer: Promise<PageRenderer> | null = null;
  // Threads start on first use and stop when idle: a run that extracts nothing starts none.
  const pool = opts.pool ? createParsePool(opts.pool) : null;
  return {
    ...(pool ? { extract: pool.extract, parser: { listing: pool.listing, article: pool.article } } : {}),
    store,
    artifacts: openArtifacts({ dir: join(dataDir, 'artifacts') }),
    fetcher,
    limiter: opts.limiter ?? new InProcessHostLimiter(),
    robots: createRobots({ fetcher }),
    portals: new Map(opts.portals.map((p) => [p.id, p])),
    // Loaded on first use: Playwright's module alone is ~80 MB of RSS, for a run whose portals
    // (most) need no browser.
    renderer: () => (renderer ??= import('../fetch/browser.js').then((m) => m.launchBrowserRenderer())),
    async close() {
      if (renderer) await (await renderer.catch(() => null))?.close();
      await fetcher.close();
      await pool?.close();
      if (!opts.store) await store.close();
    },
  };
}
