/**
 * Starting the parse pool's threads (pool.ts), and starting the first one early: `nianbao
 * extract` calls startEarly from bin/nianbao.js before the CLI's modules load, so the thread's own
 * start — Node's bootstrap of a worker, then the extraction core's modules, which it loads at once
 * instead of at its first task — runs alongside the calling thread's loading of the CLI, reading
 * of the files and parsing of the arguments. createParsePool takes that pool over (takeEarly);
 * a command that never makes one (a usage error, --help) discards it (discardEarly).
 *
 * Light on purpose: this module loads only piscina, ahead of everything else.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';

export const POOL_DEFAULTS = { extractTimeoutMs: 180_000, pageTimeoutMs: 30_000, maxHeapMb: 1_536, idleTimeoutMs: 30_000 } as const;

/** What a pool's threads load before their first task (thread.ts reads it from workerData). */
export interface ThreadData {
  preload?: 'extract';
}

/** Where the thread's code is, and how the thread loads it. */
export function threadEntry(self: string = import.meta.url): { filename: string; execArgv: string[] | undefined } {
  const fromSource = self.endsWith('.ts');
  if (fromSource) return { filename: new URL('./thread-dev.mjs', self).href, execArgv: [] };
  // No execArgv: the thread inherits the parent's options as they are. A list given here is
  // parsed again, and Node refuses V8 flags in it (`node --trace-opt bin/nianbao.js extract …`
  // stopped with "invalid execArgv flags"); V8 flags are the process's anyway, and --inspect or
  // --cpu-prof inherited do what they do for any worker (no port of its own; a profile per thread).
  return { filename: new URL('./thread.js', self).href, execArgv: undefined };
}

export interface PiscinaOptions {
  minThreads: number;
  maxThreads: number;
  maxHeapMb: number;
  idleTimeoutMs: number;
  data?: ThreadData;
}

export function newPiscina(o: PiscinaOptions): Piscina {
  const entry = threadEntry();
  const piscina = new Piscina({
    filename: entry.filename,
    execArgv: entry.execArgv,
    minThreads: o.minThreads,
    maxThreads: o.maxThreads,
    idleTimeout: o.idleTimeoutMs,
    // Tasks are async (pdf.js, LibreOffice): a thread must not be paused between them.
    atomics: 'disabled',
    resourceLimits: { maxOldGenerationSizeMb: o.maxHeapMb },
    ...(o.data ? { workerData: o.data } : {}),
  });
  // Errors of idle threads (none expected) must not crash the process; tasks report their own.
  piscina.on('error', () => {});
  return piscina;
}

/** The command word of argv (the first argument that is not an option), if any. */
export function commandWord(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

let early: Piscina | undefined;

/**
 * For `extract`: a pool with one thread started now, which loads the extraction core at once.
 * Up to one thread per CPU: the pool that takes it over runs at most its own number of tasks at
 * a time, so no more threads start than that number.
 */
export function startEarly(argv: readonly string[]): void {
  if (early || commandWord(argv) !== 'extract') return;
  try {
    early = newPiscina({ minThreads: 1, maxThreads: availableParallelism(), maxHeapMb: POOL_DEFAULTS.maxHeapMb, idleTimeoutMs: POOL_DEFAULTS.idleTimeoutMs, data: { preload: 'extract' } });
  } catch {
    // A thread that cannot start here (a Node option a worker rejects) cannot start later either:
    // the pool made when it is needed says why, as it would have without this start.
  }
}

/** The early pool, for a pool of the default limits and at most its threads; else it is discarded. */
export function takeEarly(o: { threads: number; maxHeapMb: number; idleTimeoutMs: number }): Piscina | undefined {
  const pool = early;
  early = undefined;
  if (!pool) return undefined;
  if (o.maxHeapMb === POOL_DEFAULTS.maxHeapMb && o.idleTimeoutMs === POOL_DEFAULTS.idleTimeoutMs && o.threads <= pool.maxThreads) return pool;
  pool.destroy().catch(() => {});
  return undefined;
}

/** Whether an early pool is waiting to be taken over (for tests). */
export const earlyWaiting = (): boolean => early !== undefined;

/** Stops the early pool if no command took it over. */
export async function discardEarly(): Promise<void> {
  const pool = early;
  early = undefined;
  await pool?.destroy();
}
