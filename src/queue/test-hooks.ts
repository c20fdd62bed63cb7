/**
 * Test-only switches, off unless their NIANBAO_TEST_* variable is set, and applied around a
 * processor (workers/extract.ts, worker.ts) rather than inside one, so that the production path
 * holds no test code: with the variable unset the processor is returned as it is.
 *
 * NIANBAO_TEST_EXTRACT_HOLD_MS: hold each extraction this many ms before it starts, its job's
 * progress naming the holding process, so a crash test (test/crash) can kill or stop the worker
 * mid-extraction. Never set in production.
 */
import type { ExtractJob } from './jobs.js';
import type { ExtractSummary, JobLike, ProcessorDeps } from './processors.js';

type ExtractFactory = (deps: ProcessorDeps) => (job: JobLike<ExtractJob>) => Promise<ExtractSummary>;

export function withExtractHold(factory: ExtractFactory, env: Record<string, string | undefined> = process.env): ExtractFactory {
  const holdMs = Number(env.NIANBAO_TEST_EXTRACT_HOLD_MS) || 0;
  if (holdMs <= 0) return factory;
  return (deps) => {
    const run = factory(deps);
    return async (job) => {
      await job.updateProgress({ heldBy: process.pid });
      await new Promise((r) => setTimeout(r, holdMs));
      return run(job);
    };
  };
}
