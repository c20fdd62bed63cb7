/**
 * How a job fails, as typed errors whose message starts with the reason code, so the queue UI's
 * failedReason reads "http_404: …" and `failureCode()` (jobs.ts) gets the code back.
 *
 * A sandboxed processor's error crosses the process boundary as plain JSON (own properties
 * only): BullMQ then recognises an unrecoverable one by `name === 'UnrecoverableError'`, so the
 * permanent error keeps that name and carries its code as a property.
 */
import { UnrecoverableError } from 'bullmq';
import type { QueueName } from './jobs.js';

/** No retry can fix this: the job goes straight to failed. */
export class PermanentJobError extends UnrecoverableError {
  constructor(
    readonly stage: QueueName,
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    // Kept as BullMQ's name (not this class's) so it survives the sandbox's JSON round trip.
    this.name = 'UnrecoverableError';
  }
}

/** Worth another attempt later (JOB_OPTIONS backoff). */
export class TransientJobError extends Error {
  override name = 'TransientJobError';
  constructor(
    readonly stage: QueueName,
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/** The worker's sandboxed processor file is missing: the TypeScript was not compiled. */
export class SandboxMissingError extends Error {
  override name = 'SandboxMissingError';
  constructor(readonly path: string) {
    super(`The sandboxed processor ${path} does not exist: run \`npm run build\` first.`);
  }
}
