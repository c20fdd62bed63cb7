/** /runs and /runs?crawl=id: the run records, the same numbers as `nianbao status`. */
import { type Request, Router } from 'express';
import { listAlerts } from '../monitor/history.js';
import { listCrawlRuns } from '../monitor/ledger.js';
import { CrawlNotFoundError, crawlStatus } from '../monitor/status.js';
import type { Store } from '../store/index.js';
import { html } from './html.js';
import { type Chrome, page } from './layout.js';
import { runPageHtml, runsPageHtml } from './pages/runs.js';

export function runsRoutes(deps: { store: Store; chrome: (req: Request) => Chrome }): Router {
  const r = Router();
  r.get('/runs', async (req, res) => {
    const crawl = typeof req.query.crawl === 'string' && req.query.crawl.length <= 200 ? req.query.crawl : null;
    if (!crawl) {
      const [runs, open] = await Promise.all([listCrawlRuns(deps.store, 100), listAlerts(deps.store, { open: true })]);
      return void res.type('html').send(runsPageHtml(runs, open, deps.chrome(req)).value);
    }
    try {
      res.type('html').send(runPageHtml(await crawlStatus(deps.store, crawl), deps.chrome(req)).value);
    } catch (err) {
      if (!(err instanceof CrawlNotFoundError)) throw err;
      res.status(404).type('html').send(page('Runs', 'runs', deps.chrome(req), html`<h1>Runs</h1><p class="card">No crawl “${crawl}”.</p>`).value);
    }
  });
  return r;
}
