/**
 * bull-board loads nothing from another site: its page template links Google web fonts, which
 * the board's CSP refuses (a console error in every browser); the served page has no such link.
 */
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../../src/artifacts/index.js';
import { createApp, listen, openQueues, type RunningServer, type UiQueues } from '../../src/server/index.js';
import type { Store } from '../../src/store/index.js';
import { deletePrefix, REDIS, request, testPrefix } from './helpers.js';

const TOKEN = 'board-offline-token-0123456789ab';

let prefix: string;
let queues: UiQueues;
let app: RunningServer;

beforeAll(async () => {
  prefix = testPrefix('ui-board-offline');
  queues = openQueues({ connection: REDIS, prefix });
  app = await listen(createApp({ store: {} as Store, artifacts: {} as ArtifactStore, auth: { token: TOKEN }, queues, reextract: { kind: 'queue', queues }, loopbackOnly: true }), { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close(1000);
  await queues?.close();
  if (prefix) await deletePrefix(prefix);
});

describe('bull-board offline', () => {
  it('serves its page with every stylesheet, script and icon from this origin', async () => {
    for (const path of ['/queues', '/queues/queue/extract']) {
      const r = await request(app.url + path, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/html' } });
      expect(r.status, path).toBe(200);
      expect(r.body).not.toContain('fonts.googleapis.com');
      const $ = cheerio.load(r.body);
      const refs = [...$('link[href]').map((_, e) => $(e).attr('href')), ...$('script[src]').map((_, e) => $(e).attr('src'))];
      expect(refs.length).toBeGreaterThan(2);
      for (const ref of refs) expect(new URL(ref!, `${app.url}/queues/`).origin, ref).toBe(app.url);
    }
  });
});
