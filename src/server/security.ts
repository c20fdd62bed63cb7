/**
 * Response headers and request checks that do not depend on who is asking: CSP per area,
 * no framing, no sniffing, no referrers to other sites (report URLs stay here), no caching of
 * private pages; the Host allow-list that defeats DNS rebinding; the same-origin test for
 * state-changing requests.
 */
import type { NextFunction, Request, Response } from 'express';
import { SIGNIN_STYLE_HASH } from './pages/signin.js';

const COMMON = ["frame-ancestors 'none'", "object-src 'none'", "form-action 'self'"];

/** The review pages: one same-origin stylesheet and one same-origin script (no inline script). */
export const CSP_PAGES = ["default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "base-uri 'none'", ...COMMON].join('; ');

/** The sign-in page: its inline style by hash, nothing else. */
export const CSP_SIGNIN = ["default-src 'none'", `style-src ${SIGNIN_STYLE_HASH}`, "base-uri 'none'", ...COMMON].join('; ');

/**
 * bull-board's React app: its own scripts from /queues/static (no inline or eval'd script), but
 * CSS-in-JS and a few style attributes need 'unsafe-inline' styles; its <base href> needs
 * base-uri 'self'. Web fonts from Google are deliberately not allowed: the tool stays offline.
 */
export const CSP_BOARD = ["default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:", "connect-src 'self'", "base-uri 'self'", ...COMMON].join('; ');

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` on our own form
  // posts, which the same-origin check would have to refuse. Other sites still get no referrer.
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', CSP_PAGES);
  next();
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function hostname(hostHeader: string): string {
  // "[::1]:8080" → "[::1]"; "localhost:8080" → "localhost".
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(hostHeader);
  return (m?.[1] ?? hostHeader).toLowerCase();
}

/**
 * On a loopback address only loopback Host names are served: a page on another site that
 * re-points its DNS name at 127.0.0.1 (DNS rebinding) gets nothing, not even the sign-in page.
 */
export function hostGuard(allowLoopbackOnly: boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (allowLoopbackOnly && !isLoopback(hostname(req.headers.host ?? ''))) {
      res.status(421).type('text/plain').send('This server only answers to 127.0.0.1 / localhost.\n');
      return;
    }
    next();
  };
}

/**
 * Whether a state-changing request comes from a page of this site. Browsers send Origin on every
 * POST/PUT (and Sec-Fetch-Site); a request carrying neither, nor a same-site Referer, is refused.
 */
export function sameOrigin(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  // Set by the browser itself and not settable by page script: decisive when present.
  if (typeof site === 'string') return site === 'same-origin';
  const host = (req.headers.host ?? '').toLowerCase();
  const from = req.headers.origin ?? req.headers.referer;
  if (typeof from !== 'string' || from === 'null') return false;
  try {
    return new URL(from).host.toLowerCase() === host && host !== '';
  } catch {
    return false;
  }
}
