/**
 * The sandboxed extract processor: BullMQ runs this compiled file (dist/queue/processors/extract.js)
 * in a child process or worker thread. It opens its own StageContext once, from the runtime the
 * worker put in its environment, and runs the extract stage for each job it is given.
 */
import { isMainThread } from 'node:worker_threads';
import type { SandboxedJob } from 'bullmq';
import type { ExtractJob } from '../jobs.js';
import { type ExtractSummary, runExtract } from '../processors.js';
import { type WorkerContext, openWorkerContext } from '../runtime.js';
import { sandboxRuntime } from '../sandbox.js';

let context: Promise<WorkerContext> | null = null;

/**
 * A sandbox process must not outlive its worker (killed, or exited past its shutdown deadline):
 * as an orphan it would finish its job unseen, then spin at full CPU for ever — BullMQ's child
 * wrapper retries its failed report to the closed IPC channel from its own uncaughtException
 * handler. Exit instead; the job's lock expires and another worker runs it.
 */
if (isMainThread && process.send) process.once('disconnect', () => process.exit(1));

/**
 * Test-only (test/crash), off unless set: hold each job this many ms before extracting, its
 * progress set to this process's id, so a test can kill or stop a worker mid-extraction.
 */
const TEST_HOLD_MS = Number(process.env.NIANBAO_TEST_EXTRACT_HOLD_MS) || 0;

export default async function extractProcessor(job: SandboxedJob<ExtractJob>): Promise<ExtractSummary> {
  context ??= openWorkerContext(sandboxRuntime()).catch((err) => {
    context = null; // the next job tries again (the database may have been restarting)
    throw err;
  });
  const ctx = await context;
  if (TEST_HOLD_MS > 0) {
    await job.updateProgress({ heldBy: process.pid });
    await new Promise((r) => setTimeout(r, TEST_HOLD_MS));
  }
  return runExtract(ctx, job.data);
}
