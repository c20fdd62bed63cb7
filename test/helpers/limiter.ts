/**
 * Politeness checked on the limiter's own decisions, not on intervals measured under load.
 *
 * `recordingLimiter` wraps the real in-process limiter and brackets its decisions on the same
 * monotonic clock: a send is recorded *before* the limiter hears of it (so the recorded send is
 * never later than the moment the limiter starts the host's interval from), a grant *after* the
 * limiter made it (never earlier than the decision). So for every host,
 * `grant[k+1] - send[k] >= minIntervalMs` holds exactly when the limiter kept the interval, however
 * busy the machine is; a late timer or a slow event loop only makes the gaps larger.
 */
import { type HostLimiter, InProcessHostLimiter, type Release } from '../../src/crawl/politeness.js';

export const monotonic = (): number => performance.timeOrigin + performance.now();

export interface SlotRecord {
  host: string;
  minIntervalMs: number;
  grantedAt: number;
  /** When the request went out (null: released without a send, e.g. connection refused). */
  sentAt: number | null;
}

export interface RecordingLimiter extends HostLimiter {
  /** Every granted slot, in grant order. */
  readonly slots: SlotRecord[];
}

export function recordingLimiter(clock: () => number = monotonic): RecordingLimiter {
  const inner = new InProcessHostLimiter(clock);
  const slots: SlotRecord[] = [];
  return {
    slots,
    async acquire(host, opts) {
      const release = await inner.acquire(host, opts);
      const slot: SlotRecord = { host, minIntervalMs: opts.minIntervalMs, grantedAt: clock(), sentAt: null };
      slots.push(slot);
      const wrapped: Release = Object.assign(() => release(), {
        sent: () => {
          slot.sentAt ??= clock();
          release.sent?.();
        },
      });
      return wrapped;
    },
    defer: (host, ms) => inner.defer(host, ms),
  };
}

/** Sends on one host, in send order. */
export function sendsOf(slots: readonly SlotRecord[], host: string): (SlotRecord & { sentAt: number })[] {
  return slots.filter((s): s is SlotRecord & { sentAt: number } => s.host === host && s.sentAt !== null).sort((a, b) => a.sentAt - b.sentAt);
}

/**
 * The pairs of consecutive sends on a host where the later slot was granted before the earlier
 * send's interval had run: empty when the host was treated politely.
 */
export function intervalBreaches(slots: readonly SlotRecord[], host: string): { earlier: SlotRecord; later: SlotRecord; gapMs: number }[] {
  const sends = sendsOf(slots, host);
  const out: { earlier: SlotRecord; later: SlotRecord; gapMs: number }[] = [];
  for (let i = 1; i < sends.length; i++) {
    const earlier = sends[i - 1]!;
    const later = sends[i]!;
    const gapMs = later.grantedAt - earlier.sentAt;
    if (gapMs < earlier.minIntervalMs) out.push({ earlier, later, gapMs });
  }
  return out;
}
