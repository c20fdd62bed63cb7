/**
 * Who may use the UI: whoever holds the token. It is accepted as `Authorization: Bearer`, or once
 * through the sign-in form or `?token=`, which sets an HttpOnly SameSite=Strict session cookie.
 * The cookie holds an HMAC derived from the token, not the token itself, so changing the token
 * ends every session. Optional HTTP basic auth is an alternative credential. Every comparison is
 * constant-time.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'nianbao_ui';
const SESSION_MAX_AGE_S = 12 * 60 * 60;

/** A named reviewer and the token that signs them in (one per person: every override names its reviewer). */
export interface Reviewer {
  name: string;
  token: string;
}

export interface AuthConfig {
  token: string;
  basic?: { user: string; pass: string } | null;
  /** More tokens, one per reviewer (--reviewers file or $NIANBAO_UI_REVIEWERS); `token` still works. */
  reviewers?: readonly Reviewer[] | null;
  /** The name saves made with `token` are stored under (default "reviewer"). */
  tokenName?: string;
}

export const DEFAULT_REVIEWER = 'reviewer';

export type AuthMethod = 'bearer' | 'cookie' | 'basic';

/** Who a request is: how it proved it, the reviewer's name, and the secret its session and CSRF token derive from. */
export interface Identity {
  method: AuthMethod;
  reviewer: string;
  key: string;
}

function holders(cfg: AuthConfig): Reviewer[] {
  return [{ name: cfg.tokenName ?? DEFAULT_REVIEWER, token: cfg.token }, ...(cfg.reviewers ?? [])];
}

/** The reviewer holding `token`, comparing against every configured token (no early exit). */
export function tokenHolder(cfg: AuthConfig, token: string): Reviewer | null {
  let found: Reviewer | null = null;
  for (const h of holders(cfg)) if (safeEqual(token, h.token) && !found) found = h;
  return found;
}

/** A fresh token for when none is configured: 32 random bytes, URL-safe. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Equal strings, in time independent of where they differ and of their lengths (both hashed first). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

const derive = (token: string, purpose: string) => createHmac('sha256', token).update(`nianbao-ui:${purpose}:v1`).digest('base64url');

export const sessionValue = (token: string) => derive(token, 'session');
/** The anti-CSRF token of the review forms; unreadable to other sites, so they cannot forge a form post. */
export const csrfToken = (token: string) => derive(token, 'csrf');

/** "user:pass" as given to --basic-auth; the password may contain colons. */
export function parseBasicAuth(spec: string): { user: string; pass: string } {
  const i = spec.indexOf(':');
  if (i <= 0 || i === spec.length - 1) throw new Error('--basic-auth must be user:password');
  return { user: spec.slice(0, i), pass: spec.slice(i + 1) };
}

export function readCookie(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** How the request proved it holds a credential, or null. */
export function authenticate(req: Request, cfg: AuthConfig): AuthMethod | null {
  return identify(req, cfg)?.method ?? null;
}

/** Who the request is, or null. */
export function identify(req: Request, cfg: AuthConfig): Identity | null {
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) {
    const h = tokenHolder(cfg, bearer[1]!);
    return h ? { method: 'bearer', reviewer: h.name, key: h.token } : null;
  }
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (basic && cfg.basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    // Both halves compared, always: no early exit that tells a right user name from a wrong one.
    const userOk = safeEqual(i < 0 ? decoded : decoded.slice(0, i), cfg.basic.user);
    const passOk = safeEqual(i < 0 ? '' : decoded.slice(i + 1), cfg.basic.pass);
    return userOk && passOk ? { method: 'basic', reviewer: cfg.basic.user, key: cfg.token } : null;
  }
  const cookie = readCookie(req, SESSION_COOKIE);
  if (!cookie) return null;
  let found: Reviewer | null = null;
  for (const h of holders(cfg)) if (safeEqual(cookie, sessionValue(h.token)) && !found) found = h;
  return found ? { method: 'cookie', reviewer: found.name, key: found.token } : null;
}

/** The session cookie of the reviewer holding `key` (default: the single token). */
export function setSessionCookie(req: Request, res: Response, cfg: AuthConfig, key: string = cfg.token): void {
  res.cookie(SESSION_COOKIE, sessionValue(key), {
    httpOnly: true,
    sameSite: 'strict',
    // Secure whenever the request came over TLS; plain http on loopback cannot carry a Secure cookie.
    secure: req.secure,
    path: '/',
    maxAge: SESSION_MAX_AGE_S * 1000,
  });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
}

/** A `next` target for after sign-in: a path on this site only (no `//host`, no `/\host`, no scheme). */
export function localPath(next: unknown, fallback = '/review'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\r\n]/.test(next)) return fallback;
  return next;
}
