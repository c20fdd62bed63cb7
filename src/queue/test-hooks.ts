/**
 * Test-only switches, off unless their NIANBAO_TEST_* variable is set, and applied around a
 * processor (workers/extract.ts, worker.ts) rather than inside one, so that the production path
 * holds no test code: with the variable unset the processor is returned as it is.
 *
 * NIANBAO_TEST_EXTRACT_HOLD_MS: hold each extraction this many ms before it starts, its job's
 * progress naming the holding process, so a crash test (test/crash) can kill or stop the worker
 * mid-extraction. Never set in production.
 *
 * NIANBAO_TEST_EXTRACT_RELEASE (with the hold): a file whose existence ends every hold at once,
 * so that a test which must do something before the held extraction goes on (kill Redis) says
 * when, instead of racing the hold's timer on a loaded machine.
 */
import { existsSync } from 'node:fs';
import type { ExtractJob } from './jobs.js';
import type { ExtractSummary, JobLike, ProcessorDeps } from './processors.js';

type ExtractFactory = (deps: ProcessorDeps) => (job: JobLike<ExtractJob>) => Promise<ExtractSummary>;

export function withExtractHold(factory: ExtractFactory, env: Record<string, string | undefined> = process.env): ExtractFactory {
  const holdMs = Number(env.NIANBAO_TEST_EXTRACT_HOLD_MS) || 0;
  if (holdMs <= 0) return factory;
  const release = env.NIANBAO_TEST_EXTRACT_RELEASE;
  const released = () => !!release && existsSync(release);
  return (deps) => {
    const run = factory(deps);
    return async (job) => {
      if (!released()) {
        await job.updateProgress({ heldBy: process.pid });
        const end = Date.now() + holdMs;
        while (Date.now() < end && !released()) await new Promise((r) => setTimeout(r, Math.min(50, end - Date.now())));
      }
      return run(job);
    };
  };
}
