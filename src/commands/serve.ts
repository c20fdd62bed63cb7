/**
 * `nianbao serve`: the review pages and the BullMQ board on 127.0.0.1, behind a token.
 * With --redis (or $REDIS_URL) the queues are shown at /queues and Re-extract queues a job;
 * without, or with --inline, Re-extract runs in this process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { Redis } from 'ioredis';
import type { CommandInstaller, Io } from '../cli/io.js';
import { loadPortalConfig, type Portal } from '../crawl/config.js';
import { openArtifacts } from '../artifacts/index.js';
import { DEFAULT_PREFIX } from '../queue/jobs.js';
import { openContext, type OpenContext } from '../pipeline/context.js';
import { openStore, redact } from '../store/index.js';
import { resolveRuntime } from '../queue/runtime.js';
import { createApp, generateToken, isLoopback, listen, openQueues, parseBasicAuth, type UiQueues } from '../server/index.js';
import type { ReextractMode } from '../server/reextract.js';
import type { Reviewer } from '../server/auth.js';
import { parseReviewers, parseReviewersEnv } from '../server/reviewers.js';

export interface ServeOptions {
  port: number;
  host: string;
  token?: string;
  basicAuth?: string;
  /** File of reviewer tokens, one `name:token` a line. */
  reviewers?: string;
  db?: string;
  /** PostgreSQL schema of the store (default $NIANBAO_DB_SCHEMA, else public). */
  dbSchema?: string;
  /** Data folder (default $NIANBAO_DATA, else ./data). */
  data?: string;
  redis?: string;
  prefix: string;
  inline?: boolean;
  config: string;
}

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('--port must be 0–65535');
  return n;
};

async function connectRedis(url: string, io: Io): Promise<Redis> {
  // BullMQ wants maxRetriesPerRequest null on connections it may block on; a ping proves Redis is there.
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: 5000 });
  // Said once per outage, not on every reconnection attempt.
  let down = false;
  redis.on('ready', () => (down = false));
  redis.on('error', (err: Error) => {
    if (down || redis.status === 'wait') return;
    down = true;
    io.err(`nianbao serve: Redis ${redact(url)}: ${err.message}\n`);
  });
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (err) {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${redact(url)}: ${(err as Error).message}`);
  }
}

async function portalsFrom(path: string, io: Io): Promise<Portal[]> {
  try {
    return (await loadPortalConfig(path)).portals;
  } catch (err) {
    io.err(`nianbao serve: cannot read the portal configuration ${path} (${(err as Error).message}); in-process Re-extract is off for every portal.\n`);
    return [];
  }
}

/** Serve until `stop` resolves, then close everything. */
export async function serve(opts: ServeOptions, io: Io, env: NodeJS.ProcessEnv, stop: Promise<unknown>): Promise<void> {
  const given = opts.token ?? env.NIANBAO_UI_TOKEN;
  const token = given || generateToken();
  if (given && given.length < 16) io.err('nianbao serve: warning: the token is short; anyone who can reach the port may guess it.\n');
  if (!isLoopback(opts.host)) io.err(`nianbao serve: warning: listening on ${opts.host}, not loopback: the UI is reachable from the network; use a long token and TLS in front.\n`);
  const basic = opts.basicAuth ? parseBasicAuth(opts.basicAuth) : null;
  const reviewers = reviewerList(opts, env);
  if (reviewers.length && !given) io.err(`nianbao serve: ${reviewers.length} reviewer token${reviewers.length === 1 ? '' : 's'} loaded; no shared token (--token) given.\n`);

  // The same store and data folder as the workers: options first, then DATABASE_URL, NIANBAO_DATA, NIANBAO_DB_SCHEMA.
  const rt = resolveRuntime({ config: opts.config, ...(opts.data ? { dataDir: opts.data } : {}), ...(opts.db ? { db: opts.db } : {}), ...(opts.dbSchema ? { dbSchema: opts.dbSchema } : {}) }, env);
  const store = await openStore({ dataDir: rt.dataDir, env: { ...env, DATABASE_URL: env.DATABASE_URL || undefined }, ...(rt.db ? { url: rt.db } : {}), ...(rt.dbSchema ? { schema: rt.dbSchema } : {}) });
  const artifacts = openArtifacts({ dir: join(rt.dataDir, 'artifacts') });
  let redis: Redis | null = null;
  let queues: UiQueues | null = null;
  let ctx: OpenContext | null = null;
  try {
    const redisUrl = opts.redis ?? env.REDIS_URL;
    if (redisUrl) {
      redis = await connectRedis(redisUrl, io);
      queues = openQueues({ connection: redis, prefix: opts.prefix });
    }
    let reextract: ReextractMode;
    if (queues && !opts.inline) reextract = { kind: 'queue', queues };
    else {
      ctx = await openContext({ portals: await portalsFrom(opts.config, io), dataDir: rt.dataDir, store });
      reextract = { kind: 'inline', ctx };
    }
    const app = createApp({ store, artifacts, auth: { token, basic, reviewers, ...(env.NIANBAO_UI_TOKEN_NAME ? { tokenName: env.NIANBAO_UI_TOKEN_NAME } : {}) }, queues, reextract, loopbackOnly: isLoopback(opts.host), onError: (err) => io.err(`nianbao serve: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`) });
    const running = await listen(app, { host: opts.host, port: opts.port });
    io.out(`nianbao UI at ${running.url}/ (store: ${store.dialect}${queues ? `, queues: prefix ${opts.prefix}` : ', no queues'}; Re-extract ${reextract.kind === 'queue' ? 'queues jobs' : 'runs in-process'})\n`);
    // A generated token is shown once, as a link that signs in and then drops it from the address bar.
    if (!given && !reviewers.length) io.out(`Sign in: ${running.url}/review?token=${token}\n`);
    await stop;
    io.out('nianbao serve: shutting down\n');
    await running.close();
  } finally {
    await queues?.close();
    redis?.disconnect();
    await ctx?.close();
    await store.close();
  }
}

/** Reviewer tokens: --reviewers file (or $NIANBAO_UI_REVIEWERS_FILE), plus $NIANBAO_UI_REVIEWERS (name:token,…). */
export function reviewerList(opts: Pick<ServeOptions, 'reviewers'>, env: NodeJS.ProcessEnv): Reviewer[] {
  const file = opts.reviewers ?? env.NIANBAO_UI_REVIEWERS_FILE;
  const fromFile = file ? parseReviewers(readFileSync(file, 'utf8')) : [];
  const fromEnv = env.NIANBAO_UI_REVIEWERS ? parseReviewersEnv(env.NIANBAO_UI_REVIEWERS) : [];
  // One list: a name or token given twice across both is refused the same way.
  return parseReviewers([...fromFile, ...fromEnv].map((r) => `${r.name}:${r.token}`).join('\n'));
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(s);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

export const installServe: CommandInstaller = (program, io, setExit) => {
  program
    .command('serve')
    .description('Serve the review pages and the queue board (bull-board) on 127.0.0.1, behind a token.')
    .option('--port <n>', 'port', port, 8080)
    .option('--host <addr>', 'address to listen on (anything but loopback is reachable from the network)', '127.0.0.1')
    .option('--token <token>', 'access token (default: $NIANBAO_UI_TOKEN, else a random one, printed once)')
    .option('--basic-auth <user:pass>', 'also accept HTTP basic auth with these credentials')
    .option('--reviewers <file>', 'reviewer tokens, one name:token a line (default: $NIANBAO_UI_REVIEWERS_FILE; also $NIANBAO_UI_REVIEWERS=name:token,…)')
    .option('--data <dir>', 'data folder: SQLite store, artifacts (default: $NIANBAO_DATA, else ./data)')
    .option('--db <url>', 'SQLite path or postgres:// URL (default: $DATABASE_URL, else <data>/nianbao.sqlite)')
    .option('--db-schema <name>', 'PostgreSQL schema of the store (default: $NIANBAO_DB_SCHEMA, else public)')
    .option('--redis <url>', 'Redis of the BullMQ queues (default: $REDIS_URL; none: no queue board, Re-extract in-process)')
    .option('--prefix <prefix>', 'BullMQ key prefix', DEFAULT_PREFIX)
    .option('--inline', 'Re-extract in this process even when the queues are available')
    .option('-c, --config <file>', 'portal configuration (regions for in-process Re-extract)', 'config/portals.yaml')
    .action(async (opts: ServeOptions) => {
      try {
        if (opts.basicAuth) parseBasicAuth(opts.basicAuth);
        reviewerList(opts, process.env);
      } catch (err) {
        io.err(`nianbao serve: ${(err as Error).message}\n`);
        return setExit(2);
      }
      await serve(opts, io, process.env, untilSignal());
      setExit(0);
    });
};
