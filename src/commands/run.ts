/**
 * `nianbao run`, `nianbao retry`, `nianbao demo`: the whole pipeline on one machine with the
 * embedded defaults (SQLite + artifacts folder under ./data; PostgreSQL when DATABASE_URL is set).
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandInstaller, Io } from '../cli/io.js';
import { ConfigError, loadPortalConfig, type MonitoringConfig, type Portal } from '../crawl/config.js';
import { samplePortals } from '../demo/portal-config.js';
import { startPortalServer } from '../demo/portal-server.js';
import { EXPORT_FORMATS } from '../export/formats.js';
import { exportDataset } from '../export/index.js';
import { QUALITY_DIR, QUALITY_HTML } from '../quality/index.js';
import { type OpenContext, openContext } from '../pipeline/context.js';
import { type ProgressEvent, retryFailed, runLocal } from '../pipeline/local.js';
import { progressDisplay } from '../pipeline/progress.js';
import { type RunSummary, formatSummary } from '../pipeline/summary.js';

interface CommonOptions {
  data: string;
  db?: string;
  progress: boolean;
}

async function loadPortals(path: string, only: string[] | undefined, io: Io): Promise<(Portal[] & { monitoring?: MonitoringConfig }) | null> {
  try {
    const cfg = await loadPortalConfig(path);
    const portals = only?.length ? cfg.portals.filter((p) => only.includes(p.id)) : cfg.portals;
    const unknown = (only ?? []).filter((id) => !cfg.portals.some((p) => p.id === id));
    if (unknown.length) {
      io.err(`nianbao: no portal ${unknown.join(', ')} in ${path}\n`);
      return null;
    }
    return Object.assign(portals, { monitoring: cfg.monitoring });
  } catch (err) {
    if (err instanceof ConfigError) io.err(`${err.message}\n`);
    else io.err(`nianbao: cannot read ${path}: ${(err as Error).message}\n`);
    return null;
  }
}

/**
 * Open the store, run one pass under the live display (unless --no-progress), print its summary,
 * then `after` with the store still open; the store is closed however it ends.
 */
async function runPass(
  opts: CommonOptions,
  portals: Portal[],
  io: Io,
  pass: (ctx: OpenContext, progress: { onProgress?: (e: ProgressEvent) => void }) => Promise<RunSummary>,
  after?: (ctx: OpenContext) => Promise<void>,
): Promise<void> {
  // Pages and documents are parsed in worker threads under hard time and memory limits.
  const ctx = await openContext({ portals, dataDir: opts.data, pool: {}, ...(opts.db ? { db: opts.db } : {}) });
  const display = opts.progress ? progressDisplay() : null;
  try {
    const summary = await pass(ctx, display ? { onProgress: display.onProgress } : {});
    display?.stop();
    io.out(formatSummary(summary));
    await after?.(ctx);
  } finally {
    display?.stop();
    await ctx.close();
  }
}

const withCommon = (cmd: Command) =>
  cmd
    .option('--data <dir>', 'data folder (SQLite store, artifacts, exports)', 'data')
    .option('--db <url>', 'SQLite path or postgres:// URL (default: $DATABASE_URL, else <data>/nianbao.sqlite)')
    .option('--no-progress', 'no live progress display');

export const installRun: CommandInstaller = (program, io, setExit) => {
  withCommon(
    program
      .command('run')
      .description('Crawl the configured portals, fetch what is new or changed, extract, store.')
      .option('-c, --config <file>', 'portal configuration', 'config/portals.yaml')
      .option('-p, --portal <id...>', 'only these portals')
      .option('--force', 're-extract every document even if unchanged')
      .option('--crawl <id>', 'crawl id of the run record (default: local-<time>)')
      .option('--fetch-concurrency <n>', 'documents fetched at once', (v) => Number.parseInt(v, 10), 8),
  ).action(async (opts: CommonOptions & { config: string; portal?: string[]; force?: boolean; fetchConcurrency: number; crawl?: string }) => {
    const portals = await loadPortals(opts.config, opts.portal, io);
    if (!portals) return setExit(2);
    // The morning summary (files under <data>/runs/, the webhook of `monitoring:`) follows the run's own summary.
    let summary = '';
    const monitor = { dataDir: opts.data, ...(portals.monitoring ? { monitoring: portals.monitoring } : {}), log: (t: string) => (summary += t) };
    await runPass(opts, portals, io, (ctx, progress) => runLocal(ctx, { portals, forceExtract: opts.force, fetchConcurrency: opts.fetchConcurrency, monitor, ...(opts.crawl ? { crawlId: opts.crawl } : {}), ...progress }));
    io.out(summary);
    setExit(0);
  });

  withCommon(
    program
      .command('retry')
      .description('Re-run failed fetches and failed extractions (from the stored artifacts, with the current extractor).')
      .option('--failed', 'retry everything that failed (the default and only mode)', true)
      .option('-c, --config <file>', 'portal configuration', 'config/portals.yaml'),
  ).action(async (opts: CommonOptions & { config: string }) => {
    const portals = await loadPortals(opts.config, undefined, io);
    if (!portals) return setExit(2);
    await runPass(opts, portals, io, (ctx, progress) => retryFailed(ctx, progress));
    setExit(0);
  });

  withCommon(
    program
      .command('demo')
      .description('Serve the offline sample portal on 127.0.0.1, crawl it with the real crawler, and write the dataset and exports under ./data.')
      .option('--serve', 'keep serving the sample portal after the run (Ctrl-C to stop)')
      // A fixed port keeps the portal's URLs the same from one demo to the next, so a second
      // demo shows the incremental re-crawl (304s, nothing re-extracted).
      .option('--port <n>', 'port of the sample portal on 127.0.0.1 (0: any free port)', (v) => Number.parseInt(v, 10), 8737),
  ).action(async (opts: CommonOptions & { serve?: boolean; port: number }) => {
    let server: Awaited<ReturnType<typeof startPortalServer>>;
    try {
      server = await startPortalServer({ port: opts.port });
    } catch (err) {
      io.err(`nianbao: cannot serve the sample portal on 127.0.0.1:${opts.port} (${(err as Error).message}); choose another with --port\n`);
      return setExit(1);
    }
    io.out(`Sample portal at ${server.baseUrl}\n`);
    const portals = await samplePortals(server.baseUrl);
    try {
      await runPass(
        opts,
        portals,
        io,
        (ctx, progress) => runLocal(ctx, { portals, ...progress }),
        async (ctx) => {
          const out = join(opts.data, 'exports', 'demo');
          const exp = await exportDataset(ctx.store, { out, formats: EXPORT_FORMATS });
          io.out(`Exported ${exp.reports} records to ${resolve(out)}: ${exp.files.filter((f) => !f.startsWith(`${QUALITY_DIR}/`)).join(', ')}\n`);
          io.out(`Quality report (open it in a browser): ${resolve(out, QUALITY_HTML)}; its tables as CSV in ${resolve(out, QUALITY_DIR)}\n`);
          io.out(`Store: ${ctx.store.dialect === 'sqlite' ? resolve(opts.data, 'nianbao.sqlite') : 'PostgreSQL ($DATABASE_URL)'}; artifacts: ${resolve(opts.data, 'artifacts')}\n`);
          setExit(0);
          if (opts.serve) {
            io.out('Serving the sample portal; Ctrl-C to stop.\n');
            await new Promise<void>((r) => process.once('SIGINT', () => r()));
          }
        },
      );
    } finally {
      await server.close();
    }
  });
};
