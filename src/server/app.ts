/**
 * The UI as an express app: security headers and Host check, sign-in, the auth gate, CSRF, then
 * the review pages and bull-board. Everything it needs comes in `AppDeps`, so tests build it on a
 * temporary store and the serve command on the real one.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { ArtifactStore } from '../artifacts/index.js';
import type { Store } from '../store/index.js';
import { EXTRACTOR_VERSION } from '../version.js';
import { APP_CSS, APP_CSS_PATH } from './assets.js';
import { type AuthConfig, csrfToken } from './auth.js';
import { BOARD_PATH, boardRouter } from './board.js';
import { flash as makeFlash } from './flash.js';
import { csrfGuard, formParser, requireAuth, signinRoutes, tokenLink } from './gate.js';
import { type GridCache, gridCache } from './grid-cache.js';
import { html } from './html.js';
import { type Chrome, page } from './layout.js';
import type { UiQueues } from './queues.js';
import { type ReextractMode, reextractor } from './reextract.js';
import { CSP_BOARD, hostGuard, securityHeaders } from './security.js';
import { pageRoutes } from './routes.js';
import { CORRECT_PATH, correctionParser, correctionRoutes } from './review-routes.js';
import { qualityRoutes } from './quality-route.js';
import { runsRoutes } from './runs-routes.js';

export interface AppDeps {
  store: Store;
  artifacts: ArtifactStore;
  auth: AuthConfig;
  /** bull-board is mounted at /queues when given. */
  queues?: UiQueues | null;
  /** How Re-extract runs. */
  reextract: ReextractMode;
  /** Serve only loopback Host names (when bound to a loopback address). */
  loopbackOnly: boolean;
  grids?: GridCache;
  extractorVersion?: string;
  /** Called with unexpected errors (the response says only that something failed). */
  onError?: (err: unknown) => void;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // req.secure (the cookie's Secure flag) comes from the socket, never from X-Forwarded-* headers a client could forge.
  app.set('trust proxy', false);

  const chrome = (req: Request): Chrome => ({ csrf: req.res?.locals.csrf ?? csrfToken(deps.auth.token), queues: !!deps.queues, canSignOut: req.res?.locals.auth === 'cookie', reviewer: req.res?.locals.reviewer ?? null });

  app.use(hostGuard(deps.loopbackOnly));
  app.use(securityHeaders);
  app.use(signinRoutes(deps.auth));
  app.use(tokenLink(deps.auth));
  app.use(requireAuth(deps.auth));
  app.use((req, res, next) => (req.path.startsWith(BOARD_PATH) ? next() : req.path === CORRECT_PATH ? correctionParser(req, res, next) : formParser(req, res, next)));
  app.use(csrfGuard(deps.auth, { tokenFor: (req) => !req.path.startsWith(BOARD_PATH) }));

  app.get('/', (_req, res) => res.redirect(303, '/review'));
  app.get(APP_CSS_PATH, (_req, res) => {
    res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    res.type('css').send(APP_CSS);
  });

  const flash = makeFlash();
  app.use(correctionRoutes({ store: deps.store, flash }));
  app.use(
    pageRoutes({
      store: deps.store,
      grids: deps.grids ?? gridCache(deps.artifacts),
      reextract: reextractor(deps.reextract, deps.store),
      flash,
      chrome,
      extractorVersion: deps.extractorVersion ?? EXTRACTOR_VERSION,
    }),
  );

  app.use(qualityRoutes({ store: deps.store }));
  app.use(runsRoutes({ store: deps.store, chrome }));

  if (deps.queues) {
    const board = boardRouter(deps.queues);
    app.use(BOARD_PATH, (_req, res, next) => {
      res.setHeader('Content-Security-Policy', CSP_BOARD);
      next();
    }, board);
  } else {
    app.get([BOARD_PATH, `${BOARD_PATH}/*rest`], (req, res) => {
      res.status(404).type('html').send(page('Queues', 'queues', chrome(req), html`<h1>Queues</h1><p class="card">No queues: this server runs without Redis (start it with <code>--redis redis://…</code> to manage the BullMQ queues here).</p>`).value);
    });
  }

  app.use((req, res) => {
    res.status(404).type('html').send(page('Not found', null, chrome(req), html`<h1>Not found</h1><p><a href="/review">Records</a></p>`).value);
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    deps.onError?.(err);
    if (res.headersSent) return;
    const status = err instanceof Error && typeof (err as { status?: unknown }).status === 'number' ? (err as Error & { status: number }).status : 500;
    // Only client errors (a malformed body, say) are described; anything else stays in the log.
    res.status(status >= 400 && status < 500 ? status : 500).type('text/plain').send(status >= 400 && status < 500 ? `${(err as Error).message}\n` : 'Something went wrong; see the server log.\n');
  });
  return app;
}
