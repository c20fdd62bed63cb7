/**
 * The gate every crawl request passes: robots.txt first (disallowed paths are never requested),
 * then the host's politeness slot, spaced by the portal's rate limit or the robots Crawl-delay,
 * whichever is slower.
 */
import type { Admission, Admit, FetchPolicy } from '../fetch/types.js';
import { hostKey } from '../fetch/hosts.js';
import type { Portal } from './config.js';
import { type HostLimiter, minIntervalMs } from './politeness.js';
import type { RobotsChecker } from './robots.js';

export interface PortalGate {
  policy: FetchPolicy;
  /** Robots + politeness: for pages and documents. */
  admit: Admit;
  /** Politeness only: for robots.txt itself. */
  politeOnly: Admit;
  onRetryAfter: (host: string, delayMs: number) => void;
  /** Robots verdict without a request (for links the crawler only records). */
  robotsAllows: (url: string) => Promise<{ allowed: boolean; reason?: 'robots_disallowed' | 'robots_unavailable'; message?: string }>;
}

export function portalPolicy(portal: Portal): FetchPolicy {
  return { allowedHosts: portal.allowedHosts, allowPrivate: portal.allowPrivate };
}

export function portalGate(portal: Portal, deps: { limiter: HostLimiter; robots: RobotsChecker }, signal?: AbortSignal): PortalGate {
  const policy = portalPolicy(portal);
  const slot = async (url: URL, crawlDelayMs: number | null): Promise<Admission> => {
    try {
      const host = hostKey(url);
      const interval = minIntervalMs(portal.rateLimit.requestsPerSecond, crawlDelayMs);
      const release = await deps.limiter.acquire(host, { minIntervalMs: interval, maxConcurrent: portal.rateLimit.concurrency, reportsSend: true, signal });
      return { ok: true, release, ...(release.sent ? { sent: release.sent } : {}) };
    } catch (err) {
      return { ok: false, reason: 'aborted', message: err instanceof Error ? err.message : String(err) };
    }
  };
  const politeOnly: Admit = (url) => slot(url, null);
  const admit: Admit = async (url) => {
    const v = await deps.robots.check(url.href, { policy, admit: politeOnly });
    if (!v.allowed) return { ok: false, reason: v.reason ?? 'robots_disallowed', message: v.message ?? 'disallowed by robots.txt' };
    return slot(url, v.crawlDelayMs);
  };
  return {
    policy,
    admit,
    politeOnly,
    onRetryAfter: (host, ms) => deps.limiter.defer(host, ms),
    robotsAllows: async (url) => {
      const v = await deps.robots.check(url, { policy, admit: politeOnly });
      return { allowed: v.allowed, reason: v.reason, message: v.message };
    },
  };
}
