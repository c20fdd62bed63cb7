/**
 * Which module installs each command word beyond `extract` and `schema`, loaded on demand: a
 * command loads its own module only (`nianbao export` does not load the browser, the queues or
 * the review server). The full help, `help` and unknown words load them all (commands.ts).
 */
import type { CommandInstaller } from './cli/io.js';

type Loader = () => Promise<CommandInstaller>;

const distributed: Loader = async () => (await import('./commands/distributed.js')).installDistributed;
const run: Loader = async () => (await import('./commands/run.js')).installRun;

export const COMMAND_LOADERS: Readonly<Record<string, Loader>> = {
  export: async () => (await import('./commands/export.js')).installExport,
  run,
  retry: run,
  demo: run,
  worker: distributed,
  crawl: distributed,
  schedule: distributed,
  serve: async () => (await import('./commands/serve.js')).installServe,
  status: async () => (await import('./commands/status.js')).installStatus,
};
