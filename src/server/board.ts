/**
 * bull-board at /queues for the three pipeline queues. Mounted behind the app's auth and
 * same-origin checks (see app.ts); its jobs re-run fresh (see fresh-retry.ts).
 */
import { createBullBoard } from '@bull-board/api';
import { ExpressAdapter } from '@bull-board/express';
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { Job } from 'bullmq';
import { type ExtractJob, QUEUE_NAMES } from '../queue/jobs.js';
import { FreshRetryBullMQAdapter } from './fresh-retry.js';
import type { UiQueues } from './queues.js';

export const BOARD_PATH = '/queues';

/**
 * An extract job re-run from the board must re-extract even though a (failed) record of the same
 * bytes by the same extractor is stored: without `force`, extractStage would call it unchanged
 * and the job would "complete" with the record still failed, whatever was fixed meanwhile.
 */
const FORCE_EXTRACT = {
  beforeRetry: async (job: Job) => {
    if (!(job.data as ExtractJob).force) await job.updateData({ ...(job.data as ExtractJob), force: true });
  },
};

export function boardRouter(queues: UiQueues): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new FreshRetryBullMQAdapter(queues[name], name === 'extract' ? FORCE_EXTRACT : {})),
    // @bull-board/express pins its own copy of @bull-board/api; the two adapter types differ only
    // in a private field, and at run time only the interface is used.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: {
      uiConfig: {
        boardTitle: 'nianbao queues',
        hideDocsLink: true,
        miscLinks: [
          { text: 'Review', url: '/review' },
          { text: 'Failed', url: '/failed' },
        ],
      },
    },
  });
  // The adapter's router is an express app of its own, whose settings the parent's do not reach:
  // it would announce X-Powered-By on every /queues response.
  const app = serverAdapter.getRouter() as Router & { disable?: (setting: string) => unknown };
  app.disable?.('x-powered-by');
  const offline = Router();
  offline.use(withoutExternalLinks);
  offline.use(app);
  return offline;
}

/** A <link> to another site in bull-board's page: its Google web fonts. */
const EXTERNAL_LINK_RE = /<link\b[^>]*\bhref="https?:\/\/[^"]*"[^>]*>\s*/gi;

/**
 * bull-board's page template links IBM Plex from fonts.googleapis.com. The UI stays offline (and
 * the board's CSP refuses other origins, which browsers report as a console error), so that link
 * is cut from the page before it is sent; the board falls back to its sans-serif stack.
 */
export function withoutExternalLinks(_req: Request, res: Response, next: NextFunction): void {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => send(typeof body === 'string' && body.includes('<head') ? body.replace(EXTERNAL_LINK_RE, '') : body);
  next();
}

/** Where bull-board shows a queue's failed jobs, and one job. */
export const boardLinks = {
  failed: (queue: string) => `${BOARD_PATH}/queue/${encodeURIComponent(queue)}?status=failed`,
  job: (queue: string, id: string) => `${BOARD_PATH}/queue/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`,
};
