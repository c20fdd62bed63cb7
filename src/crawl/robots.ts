/**
 * robots.txt, fetched once per origin and kept for the life of the checker (one crawl, or a day
 * in a long-lived worker). RFC 9309: a 4xx robots.txt means no rules (crawl everything); a 5xx or
 * an unreachable one means "assume complete disallow" until it can be fetched again.
 */
import robotsParserModule from 'robots-parser';
import type { FailureReason } from '../fetch/reasons.js';
import type { Admit, Fetcher, FetchPolicy } from '../fetch/types.js';
import { decodeText } from '../extract/decode.js';

// robots-parser is CommonJS with an ES-style .d.ts: under NodeNext the default import is typed
// as the module object while at run time it is the function itself.
type RobotsParser = typeof import('robots-parser').default;
const robotsParser: RobotsParser =
  (robotsParserModule as unknown as { default?: RobotsParser }).default ?? (robotsParserModule as unknown as RobotsParser);

export interface RobotsVerdict {
  allowed: boolean;
  reason?: Extract<FailureReason, 'robots_disallowed' | 'robots_unavailable'>;
  message?: string;
  /** Crawl-delay for our user agent, in ms, if robots.txt sets one. */
  crawlDelayMs: number | null;
}

export interface RobotsContext {
  policy: FetchPolicy;
  /** Politeness for the robots.txt request itself. */
  admit?: Admit;
}

export interface RobotsChecker {
  check(url: string, ctx: RobotsContext): Promise<RobotsVerdict>;
}

export interface RobotsOptions {
  fetcher: Fetcher;
  /** The product token matched against User-agent lines. */
  userAgent?: string;
  /** How long fetched rules are kept (RFC 9309: no more than 24 hours). */
  ttlMs?: number;
  /** How long an unreachable robots.txt blocks its origin before we try again. */
  unavailableTtlMs?: number;
  /** RFC 9309 asks parsers to handle at least 500 KiB. */
  maxBytes?: number;
  now?: () => number;
}

interface Rules {
  kind: 'rules' | 'allow_all' | 'unavailable';
  robot?: ReturnType<typeof robotsParser>;
  message?: string;
  expiresAt: number;
}

export function createRobots(opts: RobotsOptions): RobotsChecker {
  const ua = opts.userAgent ?? 'nianbao';
  const now = opts.now ?? Date.now;
  const ttl = opts.ttlMs ?? 24 * 3600_000;
  const unavailableTtl = opts.unavailableTtlMs ?? 10 * 60_000;
  const cache = new Map<string, Promise<Rules>>();

  async function load(origin: string, ctx: RobotsContext): Promise<Rules> {
    const robotsUrl = `${origin}/robots.txt`;
    const res = await opts.fetcher.fetch({
      url: robotsUrl,
      policy: ctx.policy,
      admit: ctx.admit,
      accept: 'text/plain,*/*;q=0.5',
      limits: { maxBytes: opts.maxBytes ?? 512 * 1024, maxDecompressedBytes: opts.maxBytes ?? 512 * 1024, maxRedirects: 5, retries: 2 },
    });
    const at = now();
    if (res.ok) {
      const text = decodeText(res.body, res.contentType).text;
      return { kind: 'rules', robot: robotsParser(robotsUrl, text), expiresAt: at + ttl };
    }
    // Refusals of our own (a private address, a host outside the portal) are not the site being
    // down: the page request fails the same way and should say so under its own reason.
    if (['private_address', 'host_not_allowed', 'unsupported_scheme', 'invalid_url'].includes(res.reason)) return { kind: 'allow_all', expiresAt: at + unavailableTtl };
    // 429 is the server saying "not now", not "no rules": treat it like a 5xx.
    if (res.status !== undefined && res.status >= 400 && res.status < 500 && res.status !== 429) return { kind: 'allow_all', expiresAt: at + ttl };
    return { kind: 'unavailable', message: `${robotsUrl}: ${res.reason} (${res.message})`, expiresAt: at + unavailableTtl };
  }

  async function rulesFor(origin: string, ctx: RobotsContext): Promise<Rules> {
    const cached = cache.get(origin);
    if (cached) {
      const r = await cached;
      if (r.expiresAt > now()) return r;
      if (cache.get(origin) !== cached) return rulesFor(origin, ctx);
    }
    const p = load(origin, ctx);
    cache.set(origin, p);
    return p;
  }

  return {
    async check(url, ctx) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return { allowed: true, crawlDelayMs: null };
      }
      if (u.pathname === '/robots.txt') return { allowed: true, crawlDelayMs: null };
      const rules = await rulesFor(u.origin, ctx);
      if (rules.kind === 'allow_all') return { allowed: true, crawlDelayMs: null };
      if (rules.kind === 'unavailable') return { allowed: false, reason: 'robots_unavailable', message: `robots.txt unavailable, treated as disallow: ${rules.message}`, crawlDelayMs: null };
      const robot = rules.robot!;
      const delay = robot.getCrawlDelay(ua);
      const crawlDelayMs = typeof delay === 'number' && Number.isFinite(delay) && delay > 0 ? delay * 1000 : null;
      // isAllowed is undefined for a URL of another origin; we asked for this one, so never.
      if (robot.isAllowed(u.href, ua) === false) {
        return { allowed: false, reason: 'robots_disallowed', message: `${u.pathname} is disallowed by ${u.origin}/robots.txt (line ${robot.getMatchingLineNumber(u.href, ua)})`, crawlDelayMs };
      }
      return { allowed: true, crawlDelayMs };
    },
  };
}
