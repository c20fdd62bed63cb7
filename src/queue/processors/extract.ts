/**
 * The sandboxed extract processor: BullMQ runs this compiled file (dist/queue/processors/extract.js)
 * in a child process or worker thread. It opens its own StageContext once, from the runtime the
 * worker put in its environment, and runs the extract stage for each job it is given.
 */
import type { SandboxedJob } from 'bullmq';
import type { ExtractJob } from '../jobs.js';
import { type ExtractSummary, runExtract } from '../processors.js';
import { type WorkerContext, openWorkerContext } from '../runtime.js';
import { sandboxRuntime } from '../sandbox.js';

let context: Promise<WorkerContext> | null = null;

export default async function extractProcessor(job: SandboxedJob<ExtractJob>): Promise<ExtractSummary> {
  context ??= openWorkerContext(sandboxRuntime()).catch((err) => {
    context = null; // the next job tries again (the database may have been restarting)
    throw err;
  });
  return runExtract(await context, job.data);
}
