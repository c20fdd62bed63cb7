/**
 * The commands beyond `extract` and `schema`, each in its own module. cli.ts loads this list on
 * demand, so `nianbao extract` starts without the store, the crawler or the browser.
 */
import type { CommandInstaller } from './cli/io.js';
import { installDistributed } from './commands/distributed.js';
import { installExport } from './commands/export.js';
import { installRun } from './commands/run.js';
import { installServe } from './commands/serve.js';
import { installStatus } from './commands/status.js';

export const COMMANDS: readonly CommandInstaller[] = [installExport, installRun, installDistributed, installServe, installStatus];
