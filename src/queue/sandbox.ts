/**
 * Extraction runs in BullMQ sandboxed processors — a child process (default) or a worker thread
 * running a compiled processor file — so a long PDF keeps a CPU busy there while the worker's
 * own event loop keeps renewing job locks. This module finds that file and hands the sandbox its
 * runtime through the environment.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerOptions } from 'bullmq';
import { SandboxMissingError } from './errors.js';
import type { WorkerRuntime } from './runtime.js';

/** Environment variable carrying the WorkerRuntime (JSON) into the sandbox. */
export const SANDBOX_RUNTIME_ENV = 'NIANBAO_SANDBOX_RUNTIME';

export type SandboxKind = 'process' | 'thread';

/**
 * The compiled extract processor. From dist/ it sits beside this module; from the TypeScript
 * sources (tests, tsx) it is the build's copy in dist/, which must exist (`npm run build`).
 */
export function extractProcessorFile(): string {
  const here = fileURLToPath(import.meta.url);
  const file = here.endsWith('.js') ? join(dirname(here), 'processors', 'extract.js') : resolve(dirname(here), '../../dist/queue/processors/extract.js');
  if (!existsSync(file)) throw new SandboxMissingError(file);
  return file;
}

/** Worker options that start the sandbox with the runtime in its environment. */
export function sandboxOptions(rt: WorkerRuntime, kind: SandboxKind): Pick<WorkerOptions, 'useWorkerThreads' | 'workerForkOptions' | 'workerThreadsOptions'> {
  const env = { ...process.env, [SANDBOX_RUNTIME_ENV]: JSON.stringify(rt) };
  return kind === 'thread' ? { useWorkerThreads: true, workerThreadsOptions: { env } } : { useWorkerThreads: false, workerForkOptions: { env } };
}

/** Inside the sandbox: the runtime the worker passed. */
export function sandboxRuntime(env: Record<string, string | undefined> = process.env): WorkerRuntime {
  const raw = env[SANDBOX_RUNTIME_ENV];
  if (!raw) throw new Error(`${SANDBOX_RUNTIME_ENV} is not set: this file runs only as a BullMQ sandboxed processor.`);
  return JSON.parse(raw) as WorkerRuntime;
}
