/** The review pages' routes: each loads its data and hands it to a pure renderer in pages/. */
import { type Request, Router } from 'express';
import type { Store } from '../store/index.js';
import { ambiguousPositions } from './ambiguous-cells.js';
import type { Flash } from './flash.js';
import type { GridCache } from './grid-cache.js';
import type { Chrome } from './layout.js';
import { failedPageHtml } from './pages/failed.js';
import { recordPageHtml } from './pages/record.js';
import { recordHref, reviewPageHtml } from './pages/review.js';
import type { Reextractor } from './reextract.js';
import { parseReviewQuery, reviewCounts, reviewPage } from './review-query.js';
import { charsetFromContentType } from '../extract/decode.js';
import { correctionView, reviewerOf } from './review-routes.js';
import { effortPage, issueCounts, nextFlagged } from './queue-order.js';

export interface PageDeps {
  store: Store;
  grids: GridCache;
  reextract: Reextractor;
  flash: Flash;
  chrome: (req: Request) => Chrome;
  extractorVersion: string;
}

const FAILED_LIMIT = 2000;
const MAX_URL = 4096;

function urlParam(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_URL ? v : null;
}

export function pageRoutes(deps: PageDeps): Router {
  const r = Router();

  r.get('/review', async (req, res) => {
    const query = parseReviewQuery(req.query as Record<string, unknown>);
    if (query.errors) {
      // A filter that cannot be applied is said, not dropped: the list would show records it excludes.
      const none = { total: 0, byStatus: { valid: 0, flagged: 0, failed: 0 } };
      return void res.status(400).type('html').send(reviewPageHtml(query, { rows: [], older: null, newer: null }, none, deps.chrome(req), { issues: new Map() }).value);
    }
    const [counts, issues] = await Promise.all([reviewCounts(deps.store, query.filter), issueCounts(deps.store, query.filter)]);
    if (query.sort === 'effort') {
      const e = await effortPage(deps.store, query.filter, query.page ?? 1);
      return void res.type('html').send(reviewPageHtml(query, { rows: e.rows, older: null, newer: null }, counts, deps.chrome(req), { issues, effortTotal: e.total }).value);
    }
    const result = await reviewPage(deps.store, query);
    res.type('html').send(reviewPageHtml(query, result, counts, deps.chrome(req), { issues }).value);
  });

  r.get('/review/record', async (req, res) => {
    const url = urlParam(req.query.url);
    if (!url) return void res.redirect(303, '/review');
    // First: how a re-extraction queued from here ended (it may set the record's extraction time).
    const notice = deps.flash.take(req.query.n) ?? (await deps.reextract.outcome(url, deps.store));
    const [stored, doc] = await Promise.all([deps.store.getRecord(url), deps.store.getDocument(url)]);
    if (!stored && !doc) return void res.status(404).type('html').send(recordPageHtml({ url, stored, doc, grid: null, notice: { kind: 'error', text: 'No record and no document with this URL.' }, reextract: { available: false, why: 'unknown URL.' }, extractorVersion: deps.extractorVersion }, deps.chrome(req)).value);
    // The grid of the bytes the record was made from; for a document without a record, its fetched bytes.
    const sha = stored?.sha256 ?? doc?.sha256 ?? null;
    const grid = sha ? await deps.grids.get(sha, charsetFromContentType(doc?.contentType)) : null;
    const [correction, next] = await Promise.all([stored ? correctionView(deps.store, stored, reviewerOf(res)) : null, nextFlagged(deps.store, stored?.id ?? 0)]);
    const ambiguousAt = stored && grid?.ok ? ambiguousPositions(stored.record, grid.doc) : {};
    const view = { url, stored, doc, grid, notice, ambiguousAt, reextract: deps.reextract.availability(doc), extractorVersion: deps.extractorVersion, correction, nextFlagged: next };
    res.type('html').send(recordPageHtml(view, deps.chrome(req)).value);
  });

  r.post('/review/reextract', async (req, res) => {
    const url = urlParam(req.body?.url);
    if (!url) return void res.status(400).type('text/plain').send('No url.\n');
    const notice = await deps.reextract.run(url, await deps.store.getDocument(url));
    res.redirect(303, `${recordHref(url)}&n=${deps.flash.put(notice)}`);
  });

  r.get('/failed', async (req, res) => {
    const items = await deps.store.listFailed(FAILED_LIMIT);
    res.type('html').send(failedPageHtml(items, deps.chrome(req), FAILED_LIMIT).value);
  });

  return r;
}
