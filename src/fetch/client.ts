/**
 * The HTTP client every crawl request goes through (undici). Redirects are followed by hand so
 * each hop is checked against the portal's hosts and the private-address rule; transient failures
 * are retried with backoff; every outcome is a value that keeps the URL.
 */
import { createHash } from 'node:crypto';
import { Agent, type Dispatcher, request } from 'undici';
import { isPrivateAddress, ipLiteral } from './address.js';
import { readBody } from './body.js';
import { hostAllowed, hostKey } from './hosts.js';
import { cachingResolver, guardedLookup, systemResolver, type Resolver } from './lookup.js';
import { FetchError, type FailureReason, type FetchFailure, classifyError, isTransient, reasonForStatus } from './reasons.js';
import { backoffDelay, parseRetryAfter, sleep } from './retry.js';
import { DEFAULT_FETCH_LIMITS, type Fetcher, type FetchLimits, type FetchRequest, type FetchResponse, type FetchResult } from './types.js';

export const DEFAULT_USER_AGENT = 'nianbao/0.1 (+https://github.com/nianbao; government annual report research crawler)';

const DEFAULT_ACCEPT =
  'text/html,application/xhtml+xml,application/pdf,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document,*/*;q=0.8';

export interface FetcherOptions {
  userAgent?: string;
  connectTimeoutMs?: number;
  /** Defaults for every request; a request's own limits win. */
  limits?: Partial<FetchLimits>;
  /** DNS; tests map invented names to loopback with it. */
  resolve?: Resolver;
  /** Which resolved addresses are refused unless the policy allows private ones. */
  isForbiddenAddress?: (ip: string) => boolean;
  random?: () => number;
  /** Observes every request as it is written to its socket (for tests and metrics). */
  onRequest?: (info: { url: string; attempt: number; at: number }) => void;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type HopOutcome = { kind: 'response'; res: FetchResponse } | { kind: 'redirect'; location: string; status: number } | { kind: 'failure'; f: Omit<FetchFailure, 'url' | 'redirects' | 'attempts'> };

/**
 * The agent, telling `sent` when undici writes the request to its socket (its handler's
 * onConnect / onRequestStart, called right before the headers go out).
 */
function notifyOnSend(agent: Agent, sent: () => void): Dispatcher {
  let told = false;
  const tell = () => {
    if (!told) {
      told = true;
      sent();
    }
  };
  return agent.compose((dispatch) => (opts, handler) => {
    const observed = new Proxy(handler, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        // Called on the handler itself: undici's handlers keep their state in private fields.
        const f = v as (...a: unknown[]) => unknown;
        if (prop === 'onConnect' || prop === 'onRequestStart') {
          return (...args: unknown[]) => {
            tell();
            return f.apply(target, args);
          };
        }
        return f.bind(target);
      },
    });
    return dispatch(opts, observed);
  });
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export function createFetcher(options: FetcherOptions = {}): Fetcher {
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const resolve = cachingResolver(options.resolve ?? systemResolver);
  const isForbidden = options.isForbiddenAddress ?? isPrivateAddress;
  const random = options.random ?? Math.random;
  const agents = new Map<boolean, Agent>();

  // One agent per private-address policy: the check lives in the agent's DNS lookup.
  function agentFor(allowPrivate: boolean): Agent {
    let a = agents.get(allowPrivate);
    if (!a) {
      a = new Agent({
        connect: { timeout: options.connectTimeoutMs ?? 10_000, lookup: guardedLookup(resolve, allowPrivate ? null : isForbidden) },
        keepAliveTimeout: 4_000,
      });
      agents.set(allowPrivate, a);
    }
    return a;
  }

  /** Refusals that need no network: scheme, host list, a private IP literal. */
  function precheck(url: URL, req: FetchRequest): { reason: FailureReason; message: string } | null {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { reason: 'unsupported_scheme', message: `${url.protocol} is not fetched` };
    if (!hostAllowed(url, req.policy.allowedHosts)) return { reason: 'host_not_allowed', message: `${url.host} is not among the portal's allowed hosts` };
    const ip = ipLiteral(url.hostname);
    if (ip && !req.policy.allowPrivate && isForbidden(ip)) return { reason: 'private_address', message: `${ip} is a private, loopback, link-local or reserved address` };
    return null;
  }

  async function hop(url: URL, req: FetchRequest, limits: FetchLimits, signal: AbortSignal, counter: { attempts: number }, started: number): Promise<HopOutcome> {
    const host = hostKey(url);
    for (let attempt = 0; ; attempt++) {
      // Resolve before taking the host's slot: the interval is owed to the server, not spent on DNS.
      if (req.admit && !ipLiteral(url.hostname)) await resolve(url.hostname).catch(() => undefined);
      const admission = req.admit ? await req.admit(url) : { ok: true as const, release: () => {} };
      if (!admission.ok) return { kind: 'failure', f: { ok: false, reason: admission.reason, message: admission.message, finalUrl: url.href } };
      counter.attempts++;
      let retryWait: number | null = null;
      let failure: { reason: FailureReason; message: string; status?: number; retryAfterMs?: number } | null = null;
      try {
        const headers: Record<string, string> = {
          'user-agent': userAgent,
          accept: req.accept ?? DEFAULT_ACCEPT,
          'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5',
          'accept-encoding': 'gzip, deflate, br',
          ...req.headers,
        };
        if (req.validators?.etag) headers['if-none-match'] = req.validators.etag;
        if (req.validators?.lastModified) headers['if-modified-since'] = req.validators.lastModified;
        const res = await request(url, {
          method: 'GET',
          headers,
          dispatcher: notifyOnSend(agentFor(!!req.policy.allowPrivate), () => {
            admission.sent?.();
            options.onRequest?.({ url: url.href, attempt, at: Date.now() });
          }),
          headersTimeout: limits.headersTimeoutMs,
          bodyTimeout: limits.bodyTimeoutMs,
          signal,
        });
        const h = flatten(res.headers);
        const status = res.statusCode;
        if (REDIRECTS.has(status)) {
          await res.body.dump().catch(() => {});
          if (!h.location) return { kind: 'failure', f: { ok: false, reason: 'redirect_without_location', message: `${status} without Location`, finalUrl: url.href, status } };
          return { kind: 'redirect', location: h.location, status };
        }
        if (status === 304) {
          await res.body.dump().catch(() => {});
          return { kind: 'response', res: response(req, url, status, true, new Uint8Array(), h, counter.attempts, 0, started) };
        }
        if (status >= 200 && status < 300) {
          const cl = Number(h['content-length']);
          if (!h['content-encoding'] && Number.isFinite(cl) && cl > limits.maxBytes) {
            res.body.destroy();
            throw new FetchError('too_large', `Content-Length ${cl} exceeds ${limits.maxBytes} bytes`);
          }
          const { bytes, wireBytes } = await readBody(res.body, h['content-encoding'], limits);
          return { kind: 'response', res: response(req, url, status, false, bytes, h, counter.attempts, wireBytes, started) };
        }
        await res.body.dump().catch(() => {});
        const reason = reasonForStatus(status);
        failure = { reason, message: `HTTP ${status}`, status };
        if (isTransient(reason, status)) {
          const ra = status === 429 || status === 503 ? parseRetryAfter(h['retry-after']) : null;
          if (ra !== null) {
            if (ra > limits.maxRetryAfterMs) {
              req.onRetryAfter?.(host, ra);
              return { kind: 'failure', f: { ok: false, reason, message: `HTTP ${status}; Retry-After ${Math.round(ra / 1000)} s is longer than we wait`, finalUrl: url.href, status, retryAfterMs: ra } };
            }
            req.onRetryAfter?.(host, ra);
            retryWait = ra;
          }
        } else {
          return { kind: 'failure', f: { ok: false, ...failure, finalUrl: url.href } };
        }
      } catch (err) {
        const c = classifyError(err);
        if (signal.aborted) {
          const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
          return { kind: 'failure', f: { ok: false, reason: timedOut ? 'timeout' : 'aborted', message: timedOut ? `no complete response within ${limits.totalTimeoutMs} ms` : 'aborted', finalUrl: url.href } };
        }
        failure = c;
        if (!isTransient(c.reason)) return { kind: 'failure', f: { ok: false, ...c, finalUrl: url.href } };
      } finally {
        admission.release();
      }
      if (attempt >= limits.retries) return { kind: 'failure', f: { ok: false, ...failure!, message: `${failure!.message} (after ${attempt + 1} attempts)`, finalUrl: url.href } };
      const wait = retryWait ?? backoffDelay(attempt, limits.backoffBaseMs, limits.backoffMaxMs, random);
      try {
        await sleep(wait, signal);
      } catch {
        const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
        return { kind: 'failure', f: { ok: false, ...failure!, reason: timedOut ? 'timeout' : 'aborted', message: `${failure!.message}; gave up waiting to retry`, finalUrl: url.href } };
      }
    }
  }

  function response(req: FetchRequest, url: URL, status: number, notModified: boolean, body: Uint8Array, h: Record<string, string>, attempts: number, wireBytes: number, started: number): FetchResponse {
    return {
      ok: true,
      url: req.url,
      finalUrl: url.href,
      status,
      notModified,
      body,
      sha256: notModified ? null : createHash('sha256').update(body).digest('hex'),
      headers: h,
      contentType: h['content-type'] ?? null,
      etag: h.etag ?? null,
      lastModified: h['last-modified'] ?? null,
      redirects: [],
      attempts,
      wireBytes,
      elapsedMs: Date.now() - started,
    };
  }

  async function fetchOnce(req: FetchRequest): Promise<FetchResult> {
    const started = Date.now();
    const limits: FetchLimits = { ...DEFAULT_FETCH_LIMITS, ...options.limits, ...req.limits };
    const counter = { attempts: 0 };
    const redirects: string[] = [];
    const fail = (reason: FailureReason, message: string, finalUrl: string, extra: Partial<FetchFailure> = {}): FetchFailure => ({
      ok: false,
      reason,
      message,
      url: req.url,
      finalUrl,
      attempts: counter.attempts,
      redirects,
      ...extra,
    });
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return fail('invalid_url', `not a URL: ${req.url}`, req.url);
    }
    url.hash = '';
    const deadline = AbortSignal.timeout(limits.totalTimeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    const visited = new Set<string>([url.href]);
    for (;;) {
      const refused = precheck(url, req);
      if (refused) return fail(refused.reason, `${refused.message}${redirects.length ? ` (redirected from ${redirects[redirects.length - 1]})` : ''}`, url.href);
      const out = await hop(url, req, limits, signal, counter, started);
      if (out.kind === 'response') return { ...out.res, redirects, attempts: counter.attempts };
      if (out.kind === 'failure') return { ...out.f, url: req.url, redirects, attempts: counter.attempts };
      let next: URL;
      try {
        next = new URL(out.location, url);
      } catch {
        return fail('invalid_url', `redirect to an invalid Location: ${out.location}`, url.href, { status: out.status });
      }
      next.hash = '';
      redirects.push(url.href);
      if (visited.has(next.href)) return fail('redirect_loop', `redirect loop: ${[...redirects, next.href].join(' → ')}`, next.href, { status: out.status });
      if (redirects.length > limits.maxRedirects) return fail('too_many_redirects', `more than ${limits.maxRedirects} redirects`, next.href, { status: out.status });
      visited.add(next.href);
      url = next;
    }
  }

  return {
    async fetch(req) {
      try {
        return await fetchOnce(req);
      } catch (err) {
        // Defensive: nothing above should throw, but a lost URL is worse than a vague reason.
        const c = classifyError(err);
        return { ok: false, reason: c.reason, message: c.message, url: req.url, finalUrl: req.url, attempts: 0, redirects: [] };
      }
    },
    async close() {
      await Promise.all([...agents.values()].map((a) => a.close()));
      agents.clear();
    },
  };
}
