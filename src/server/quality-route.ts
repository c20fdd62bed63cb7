/**
 * /quality: the quality report of the store as it is (the same page `nianbao export` writes),
 * and its tables at /quality/<table>.csv. Read-only: it shows the panel checks as the last
 * extraction or export left them, and builds the page on request (seconds for 10,000 records).
 */
import { Router } from 'express';
import { QUALITY_TABLE_NAMES, collectQuality, qualityHtml, qualityTables, tableCsv } from '../quality/index.js';
import type { Store } from '../store/index.js';

/**
 * The page is self-contained: no script, no request; its SVG charts and its style sheet are
 * inline, so styles (and only styles) are allowed inline.
 */
export const CSP_QUALITY = ["default-src 'none'", "style-src 'unsafe-inline'", "base-uri 'none'", "frame-ancestors 'none'", "object-src 'none'", "form-action 'none'"].join('; ');

export function qualityRoutes(deps: { store: Store }): Router {
  const r = Router();
  r.get('/quality', async (_req, res) => {
    const q = await collectQuality(deps.store, {}, new Date(), { refresh: false });
    res.setHeader('Content-Security-Policy', CSP_QUALITY);
    res.type('html').send(qualityHtml(q, qualityTables(q), { csvHref: (name) => `/quality/${name}.csv` }));
  });
  r.get('/quality/:name.csv', async (req, res, next) => {
    const name = req.params.name;
    if (!QUALITY_TABLE_NAMES.includes(name)) return next();
    const q = await collectQuality(deps.store, {}, new Date(), { refresh: false });
    const table = qualityTables(q).find((t) => t.name === name)!;
    res.setHeader('Content-Disposition', `attachment; filename="quality_${name}.csv"`);
    res.type('text/csv; charset=utf-8').send(tableCsv(table));
  });
  return r;
}
