/**
 * What a worker process needs to open its StageContext, as plain serialisable data: the sandboxed
 * extraction processes receive the same description (sandbox.ts) and open their own context from
 * it, so every process of a worker talks to the same store, artifacts and portal configuration.
 */
import { resolve } from 'node:path';
import { loadPortalConfig, type MonitoringConfig, type Portal } from '../crawl/config.js';
import type { HostLimiter } from '../crawl/politeness.js';
import { type OpenContext, openContext } from '../pipeline/context.js';
import { openStore } from '../store/index.js';
import type { ParsePoolOptions } from '../pool/pool.js';
import { envMs } from './env-ms.js';

export interface WorkerRuntime {
  /** Portal configuration file (portals.yaml). */
  config: string;
  /** Data folder: artifacts under <dataDir>/artifacts — a volume every worker shares. */
  dataDir: string;
  /** postgres:// URL (distributed mode) or a SQLite path (one machine only); default $DATABASE_URL. */
  db?: string;
  /** PostgreSQL schema; default public. Tests use one schema each. */
  dbSchema?: string;
}

/** The runtime from options, falling back to the environment (DATABASE_URL, NIANBAO_DATA, NIANBAO_DB_SCHEMA). */
export function resolveRuntime(opts: Partial<WorkerRuntime>, env: Record<string, string | undefined> = process.env): WorkerRuntime {
  const db = opts.db ?? env.DATABASE_URL;
  const dbSchema = opts.dbSchema ?? env.NIANBAO_DB_SCHEMA;
  const isUrl = db !== undefined && /^[a-z]+:\/\//i.test(db);
  return {
    // Absolute: the sandboxed processes may not share the parent's idea of the working directory.
    config: resolve(opts.config ?? 'config/portals.yaml'),
    dataDir: resolve(opts.dataDir ?? env.NIANBAO_DATA ?? 'data'),
    ...(db ? { db: isUrl ? db : resolve(db) } : {}),
    ...(dbSchema ? { dbSchema } : {}),
  };
}

export interface WorkerContext extends OpenContext {
  portalList: readonly Portal[];
  /** What happens when a crawl is over (the configuration's `monitoring:`). */
  monitoring: MonitoringConfig;
}

/**
 * The parse pool's hard time limits from the environment, as the lock timings are
 * (`nianbao worker` has no flag for them): $NIANBAO_PAGE_TIME_LIMIT_MS for reading one listing
 * or article page, $NIANBAO_EXTRACT_TIME_LIMIT_MS for one extraction; else POOL_DEFAULTS.
 */
export function poolLimitsFromEnv(env: Record<string, string | undefined> = process.env): ParsePoolOptions {
  const page = envMs('NIANBAO_PAGE_TIME_LIMIT_MS', env);
  const extract = envMs('NIANBAO_EXTRACT_TIME_LIMIT_MS', env);
  return { ...(page ? { pageTimeoutMs: page } : {}), ...(extract ? { extractTimeoutMs: extract } : {}) };
}

/**
 * Open the store, artifacts, fetcher and robots cache a worker process shares between its jobs,
 * and its parse pool: every page and document is parsed in a pool thread under hard time and
 * memory limits, so a hostile page fails alone (too_complex) instead of freezing the process that
 * runs the job — the worker itself (inline queues) or a BullMQ sandbox, where a stuck parse would
 * otherwise hold the job, and the sandbox, for ever while the worker kept renewing its lock.
 */
export async function openWorkerContext(rt: WorkerRuntime, opts: { limiter?: HostLimiter; pool?: ParsePoolOptions } = {}): Promise<WorkerContext> {
  const { portals, monitoring } = await loadPortalConfig(rt.config);
  const store = await openStore({ dataDir: rt.dataDir, ...(rt.db ? { url: rt.db } : {}), ...(rt.dbSchema ? { schema: rt.dbSchema } : {}) });
  const pool = { ...poolLimitsFromEnv(), ...opts.pool };
  const ctx = await openContext({ portals, dataDir: rt.dataDir, store, pool, ...(opts.limiter ? { limiter: opts.limiter } : {}) });
  return {
    ...ctx,
    portalList: portals,
    monitoring,
    async close() {
      // Closes the browser, if one was started; a browser that will not close must not keep the
      // worker from exiting (the process's exit kills it).
      await within(ctx.close(), 10_000);
      // openContext leaves a store it was given to the caller.
      await store.close();
    },
  };
}

/** `p`, or after `ms` give up waiting (the timer keeps the process alive meanwhile). */
async function within(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
