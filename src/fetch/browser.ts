/**
 * Rendering listing pages that only exist after JavaScript runs, in headless Chromium
 * (playwright-core driving the system's /usr/bin/chromium). Every request the page makes passes
 * our host and private-address rules, every redirect hop included.
 *
 * Limitation: the private-address check resolves the name here, and Playwright resolves it again
 * when fetching, so DNS rebinding between the two is not excluded the way the HTTP client's
 * connect-time check excludes it. Portals needing a browser are few and configured by hand.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Route } from 'playwright-core';
import { isPrivateAddress, ipLiteral } from './address.js';
import { hostAllowed } from './hosts.js';
import { systemResolver, type Resolver } from './lookup.js';
import type { FetchFailure, FailureReason } from './reasons.js';
import { reasonForStatus } from './reasons.js';
import type { FetchPolicy } from './types.js';
import { sweepDeadProcessDirs } from '../temp-dirs.js';

const MAX_BROWSER_REDIRECTS = 5;

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface RenderOptions {
  policy: FetchPolicy;
  timeoutMs?: number;
  /** Cap on the rendered HTML (UTF-16 code units are counted as bytes: close enough for a guard). */
  maxBytes?: number;
  /** networkidle (default) waits for the XHRs that build the list. */
  waitUntil?: 'load' | 'domcontentloaded' | 'networkidle';
}

export interface RenderSuccess {
  ok: true;
  url: string;
  finalUrl: string;
  status: number | null;
  html: string;
  /** Requests refused by the host or address rules (not those skipped to save bandwidth). */
  blocked: string[];
  elapsedMs: number;
}

export type RenderResult = RenderSuccess | FetchFailure;

export interface PageRenderer {
  render(url: string, opts: RenderOptions): Promise<RenderResult>;
  close(): Promise<void>;
}

export interface BrowserOptions {
  executablePath?: string;
  userAgent?: string;
  launchTimeoutMs?: number;
  resolve?: Resolver;
  isForbiddenAddress?: (ip: string) => boolean;
  /** Resource types not worth downloading to read a listing. */
  skipResourceTypes?: string[];
}

/** Chromium profile folders carry the pid of the process whose browser uses them. */
export const CHROMIUM_PROFILE = /^nianbao-chromium-(\d+)-/;

export async function launchBrowserRenderer(opts: BrowserOptions = {}): Promise<PageRenderer> {
  // A worker killed with its browser leaves the profile behind: the next browser clears those.
  sweepDeadProcessDirs(CHROMIUM_PROFILE);
  const userDataDir = await mkdtemp(join(tmpdir(), `nianbao-chromium-${process.pid}-`));
  const resolve = opts.resolve ?? systemResolver;
  const isForbidden = opts.isForbiddenAddress ?? isPrivateAddress;
  const skip = new Set(opts.skipResourceTypes ?? ['image', 'media', 'font']);
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      // The process owning the browser decides how to stop (a worker finishes its jobs first).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      executablePath: opts.executablePath ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: opts.launchTimeoutMs ?? 30_000,
      serviceWorkers: 'block',
      acceptDownloads: false,
      ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }

  async function refusal(u: URL, policy: FetchPolicy): Promise<string | null> {
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `${u.protocol} not allowed`;
    if (!hostAllowed(u, policy.allowedHosts)) return 'host_not_allowed';
    if (policy.allowPrivate) return null;
    const ip = ipLiteral(u.hostname);
    if (ip) return isForbidden(ip) ? 'private_address' : null;
    try {
      const addrs = await resolve(u.hostname);
      return addrs.some((a) => isForbidden(a.address)) ? 'private_address' : null;
    } catch {
      return 'dns_error';
    }
  }

  /**
   * Fetch a routed request hop by hop, checking every redirect target. Chromium does not route
   * the requests that follow a fulfilled redirect, so the chain is walked here and the browser
   * only sees one redirect, straight to a target already checked.
   */
  async function fetchChecked(route: Route, policy: FetchPolicy, timeout: number, blocked: string[]): Promise<void> {
    let hop = route.request().url();
    let method = route.request().method();
    let response = await route.fetch({ maxRedirects: 0, timeout });
    for (let hops = 0; [301, 302, 303, 307, 308].includes(response.status()); hops++) {
      const location = response.headers()['location'];
      if (!location) break;
      const next = new URL(location, hop);
      const why = await refusal(next, policy);
      if (why) {
        blocked.push(next.href);
        return route.abort(why === 'private_address' ? 'addressunreachable' : 'blockedbyclient');
      }
      if (hops >= MAX_BROWSER_REDIRECTS) return route.abort('failed');
      if (response.status() === 303 || ((response.status() === 301 || response.status() === 302) && method === 'POST')) method = 'GET';
      hop = next.href;
      response = await route.fetch({ url: hop, method, maxRedirects: 0, timeout });
    }
    if (hop === route.request().url()) return route.fulfill({ response });
    return route.fulfill({ status: 302, headers: { location: hop } });
  }

  return {
    async render(url, ropts) {
      const started = Date.now();
      const timeout = ropts.timeoutMs ?? 30_000;
      const blocked: string[] = [];
      const fail = (reason: FailureReason, message: string, extra: Partial<FetchFailure> = {}): FetchFailure => ({ ok: false, reason, message, url, finalUrl: url, attempts: 1, redirects: [], ...extra });
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return fail('invalid_url', `not a URL: ${url}`);
      }
      const first = await refusal(target, ropts.policy);
      if (first) return fail(first === 'host_not_allowed' || first === 'private_address' ? first : 'render_failed', `${url}: ${first}`);
      const page = await context.newPage();
      try {
        await page.route('**/*', async (route: Route) => {
          const req = route.request();
          let u: URL;
          try {
            u = new URL(req.url());
          } catch {
            return route.abort('blockedbyclient');
          }
          if (u.protocol === 'data:' || u.protocol === 'blob:') return route.continue();
          if (skip.has(req.resourceType())) return route.abort('blockedbyclient');
          const why = await refusal(u, ropts.policy);
          if (why) {
            blocked.push(req.url());
            return route.abort(why === 'private_address' ? 'addressunreachable' : 'blockedbyclient');
          }
          try {
            await fetchChecked(route, ropts.policy, timeout, blocked);
          } catch {
            await route.abort('failed').catch(() => {});
          }
        });
        const resp = await page.goto(url, { waitUntil: ropts.waitUntil ?? 'networkidle', timeout });
        const status = resp?.status() ?? null;
        const finalUrl = page.url();
        if (status !== null && status >= 400) return fail(reasonForStatus(status), `HTTP ${status}`, { status, finalUrl });
        const html = await page.content();
        if (ropts.maxBytes && html.length > ropts.maxBytes) return fail('too_large', `rendered page exceeds ${ropts.maxBytes} bytes`, { finalUrl });
        return { ok: true, url, finalUrl, status, html, blocked, elapsedMs: Date.now() - started };
      } catch (err) {
        const msg = err instanceof Error ? err.message.split('\n')[0]! : String(err);
        if (/timeout/i.test(msg)) return fail('timeout', msg);
        if (/ERR_BLOCKED_BY_CLIENT|ERR_ADDRESS_UNREACHABLE/.test(msg)) return fail('host_not_allowed', msg);
        return fail('render_failed', msg);
      } finally {
        await page.close().catch(() => {});
      }
    },
    async close() {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
