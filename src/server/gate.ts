/**
 * The express side of auth: sign-in and sign-out, `?token=` links, the gate in front of every
 * other route (bull-board and the stylesheet included), and the CSRF check on state changes.
 */
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { type AuthConfig, type AuthMethod, authenticate, clearSessionCookie, csrfToken, identify, localPath, safeEqual, setSessionCookie, tokenHolder } from './auth.js';
import { html } from './html.js';
import { signinPage } from './pages/signin.js';
import { CSP_SIGNIN, sameOrigin } from './security.js';

declare module 'express-serve-static-core' {
  interface Locals {
    auth?: AuthMethod;
    /** The signed-in reviewer's name: every override is stored under it. */
    reviewer?: string;
    /** The CSRF token of the signed-in reviewer's forms. */
    csrf?: string;
  }
}

const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });

function sendSignin(res: Response, status: number, cfg: AuthConfig, next: string, error?: string): void {
  res.status(status).setHeader('Content-Security-Policy', CSP_SIGNIN);
  res.type('html').send(signinPage({ next, basic: !!cfg.basic, ...(error ? { error } : {}) }).value);
}

/** GET/POST /signin and POST /signout. Mounted before the gate. */
export function signinRoutes(cfg: AuthConfig): Router {
  const r = Router();
  r.get('/signin', (req, res) => {
    const next = localPath(req.query.next);
    if (authenticate(req, cfg)) return res.redirect(303, next);
    sendSignin(res, 200, cfg, next);
  });
  r.post('/signin', form, (req, res) => {
    const next = localPath(req.body?.next);
    // Login CSRF: another site must not sign a browser in (even with a token it knows).
    if (!sameOrigin(req)) return void res.status(403).type('text/plain').send('Cross-site sign-in refused.\n');
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    const holder = tokenHolder(cfg, token);
    if (!holder) return sendSignin(res, 401, cfg, next, 'That token is not right.');
    setSessionCookie(req, res, cfg, holder.token);
    res.redirect(303, next);
  });
  r.post('/signout', form, (req, res) => {
    const who = identify(req, cfg);
    if (!who) return void res.status(401).type('text/plain').send('Not signed in.\n');
    if (who.method !== 'bearer' && (!sameOrigin(req) || !safeEqual(String(req.body?.csrf ?? ''), csrfToken(who.key)))) {
      return void res.status(403).type('text/plain').send('Cross-site request refused.\n');
    }
    clearSessionCookie(req, res);
    res.redirect(303, '/signin');
  });
  return r;
}

/** `?token=…` on a GET signs in and redirects to the same URL without it (out of history and logs). */
export function tokenLink(cfg: AuthConfig) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = req.query.token;
    if (token === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const url = new URL(req.originalUrl, 'http://local');
    url.searchParams.delete('token');
    const target = localPath(url.pathname + url.search, '/review');
    const holder = typeof token === 'string' ? tokenHolder(cfg, token) : null;
    if (!holder) return sendSignin(res, 401, cfg, target, 'That token is not right.');
    setSessionCookie(req, res, cfg, holder.token);
    res.redirect(303, target);
  };
}

/** Everything after this needs a credential: browsers are sent to sign in, API clients get 401. */
export function requireAuth(cfg: AuthConfig) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const who = identify(req, cfg);
    if (who) {
      res.locals.auth = who.method;
      res.locals.reviewer = who.reviewer;
      res.locals.csrf = csrfToken(who.key);
      return next();
    }
    const page = (req.method === 'GET' || req.method === 'HEAD') && !req.path.startsWith('/queues/api') && req.accepts(['html', 'json']) === 'html';
    // With basic auth configured, a browser gets the basic-auth prompt instead of the form; the
    // 401 page still links to the token form.
    if (page && !cfg.basic) return res.redirect(303, `/signin?next=${encodeURIComponent(localPath(req.originalUrl))}`);
    res.setHeader('WWW-Authenticate', cfg.basic ? ['Bearer realm="nianbao"', 'Basic realm="nianbao", charset="UTF-8"'] : 'Bearer realm="nianbao"');
    res.status(401);
    if (page) res.type('html').send(html`<!doctype html><title>Sign in</title><p>Authentication required. <a href="/signin?next=${encodeURIComponent(localPath(req.originalUrl))}">Sign in with the token</a>.</p>`.value);
    else res.json({ error: 'unauthorized', message: 'A token is required (Authorization: Bearer, or sign in at /signin).' });
  };
}

/**
 * State changes must come from this site's own pages. A bearer token is never sent by a browser
 * on its own, so requests carrying one are exempt; cookie and basic-auth requests (ambient
 * credentials) must be same-origin, and the review forms must also carry the CSRF token.
 */
export function csrfGuard(cfg: AuthConfig, opts: { tokenFor: (req: Request) => boolean }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || res.locals.auth === 'bearer') return next();
    if (!sameOrigin(req)) return void res.status(403).type('text/plain').send('Cross-site request refused.\n');
    if (opts.tokenFor(req) && !safeEqual(String(req.body?.csrf ?? ''), res.locals.csrf ?? csrfToken(cfg.token))) {
      return void res.status(403).type('text/plain').send('Missing or wrong CSRF token; reload the page and try again.\n');
    }
    next();
  };
}

export { form as formParser };
