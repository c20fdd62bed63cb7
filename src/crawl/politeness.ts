/**
 * Per-host politeness: at most `maxConcurrent` requests in flight to a host, and request starts
 * spaced at least `minIntervalMs` apart. The interface is the seam for a shared implementation
 * (one budget per host across every worker, e.g. on Redis); the in-process one serves local mode.
 */

export interface HostSlotOptions {
  /** Least time between two request starts on this host. */
  minIntervalMs: number;
  maxConcurrent: number;
  /**
   * The holder will call `sent` on its Release when the request goes out: until then no other
   * slot of the host is granted, so the interval is measured between actual sends.
   */
  reportsSend?: boolean;
  signal?: AbortSignal;
}

/**
 * Frees the concurrency slot; call exactly once when the response is done with. `sent`, called
 * when the request is actually written to its socket, starts the host's interval again from
 * there: DNS, a new connection or a busy event loop between slot and send must not bunch the
 * requests the server receives.
 */
export type Release = (() => void) & { sent?: () => void };

export interface HostLimiter {
  /** Resolves when a request to `host` may start now. */
  acquire(host: string, opts: HostSlotOptions): Promise<Release>;
  /** The host asked us to wait (Retry-After, 429/503): no slot before `delayMs` from now. */
  defer(host: string, delayMs: number): void;
}

/** Interval between request starts for a rate in requests/second and a robots.txt Crawl-delay. */
export function minIntervalMs(requestsPerSecond: number, crawlDelayMs?: number | null, maxCrawlDelayMs = 60_000): number {
  const fromRate = requestsPerSecond > 0 ? 1000 / requestsPerSecond : 0;
  // A Crawl-delay of an hour would stall a crawl forever; past the cap we slow down, not stop.
  const fromRobots = crawlDelayMs ? Math.min(crawlDelayMs, maxCrawlDelayMs) : 0;
  return Math.ceil(Math.max(fromRate, fromRobots));
}

interface Waiter {
  resolve: (r: Release) => void;
  reject: (e: unknown) => void;
  opts: HostSlotOptions;
  onAbort?: () => void;
}

interface HostState {
  nextAt: number;
  active: number;
  /** Admitted but not yet sent: the next request waits for its send. */
  unsent: number;
  waiters: Waiter[];
  timer: NodeJS.Timeout | null;
}

/** Monotonic milliseconds: wall-clock jumps must not open or close the gate. */
const monotonicNow = () => performance.timeOrigin + performance.now();

export class InProcessHostLimiter implements HostLimiter {
  private readonly hosts = new Map<string, HostState>();
  constructor(private readonly now: () => number = monotonicNow) {}

  acquire(host: string, opts: HostSlotOptions): Promise<Release> {
    const s = this.state(host);
    return new Promise<Release>((resolve, reject) => {
      if (opts.signal?.aborted) return reject(opts.signal.reason);
      const w: Waiter = { resolve, reject, opts };
      if (opts.signal) {
        w.onAbort = () => {
          const i = s.waiters.indexOf(w);
          if (i >= 0) s.waiters.splice(i, 1);
          reject(opts.signal!.reason);
        };
        opts.signal.addEventListener('abort', w.onAbort, { once: true });
      }
      s.waiters.push(w);
      this.pump(host, s);
    });
  }

  defer(host: string, delayMs: number): void {
    const s = this.state(host);
    s.nextAt = Math.max(s.nextAt, this.now() + delayMs);
    this.reschedule(host, s);
  }

  private state(host: string): HostState {
    let s = this.hosts.get(host);
    if (!s) {
      s = { nextAt: 0, active: 0, unsent: 0, waiters: [], timer: null };
      this.hosts.set(host, s);
    }
    return s;
  }

  private pump(host: string, s: HostState): void {
    while (s.waiters.length > 0) {
      const w = s.waiters[0]!;
      if (s.active >= Math.max(1, w.opts.maxConcurrent) || s.unsent > 0) return;
      const now = this.now();
      if (now < s.nextAt) return this.reschedule(host, s);
      s.waiters.shift();
      if (w.onAbort) w.opts.signal?.removeEventListener('abort', w.onAbort);
      const interval = w.opts.minIntervalMs;
      const counted = !!w.opts.reportsSend;
      s.active++;
      if (counted) s.unsent++;
      s.nextAt = now + interval;
      let sent = false;
      let released = false;
      const markSent = () => {
        if (sent) return false;
        sent = true;
        if (counted) s.unsent--;
        return true;
      };
      const release: Release = Object.assign(
        () => {
          if (released) return;
          released = true;
          markSent();
          s.active--;
          this.pump(host, s);
        },
        {
          sent: () => {
            if (!markSent()) return;
            s.nextAt = Math.max(s.nextAt, this.now() + interval);
            this.pump(host, s);
          },
        },
      );
      w.resolve(release);
    }
  }

  private reschedule(host: string, s: HostState): void {
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    if (s.waiters.length === 0) return;
    const wait = Math.max(0, s.nextAt - this.now());
    // +1: timers may fire a fraction of a millisecond early relative to the monotonic clock.
    s.timer = setTimeout(() => {
      s.timer = null;
      this.pump(host, s);
    }, Math.ceil(wait) + 1);
  }
}
