/**
 * `serve` and `export` open the store the workers use: NIANBAO_DATA, DATABASE_URL and
 * NIANBAO_DB_SCHEMA (the README's scaling-out environment) — on SQLite and on PostgreSQL.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { serve, type ServeOptions } from '../../src/commands/serve.js';
import { extractRecord } from '../../src/extractor.js';
import { openStore } from '../../src/store/index.js';
import { type DialectCase, dialectCases } from '../store/fixtures.js';
import { eventually, request } from './helpers.js';
import { flaggedReportHtml } from './world.js';

const TOKEN = 'serve-env-token-0123456789abcdef';
const URL = 'https://reports.example.gov.cn/zwgk/2022/serve-env.html';

describe.each(dialectCases('serve_env'))('serve and export on the workers\' environment ($name)', ({ make }) => {
  let c: DialectCase;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    c = make();
    dataDir = mkdtempSync(join(tmpdir(), 'nianbao-serve-env-'));
    const record = await extractRecord(new TextEncoder().encode(flaggedReportHtml()), { uri: URL });
    // SQLite: the store under NIANBAO_DATA; PostgreSQL: DATABASE_URL and a schema of this test.
    const store = c.name === 'sqlite' ? await openStore({ dataDir, env: {} }) : await c.open();
    await store.putRecord(record);
    await store.close();
    env = c.name === 'sqlite' ? { NIANBAO_DATA: dataDir } : { NIANBAO_DATA: dataDir, DATABASE_URL: c.url, NIANBAO_DB_SCHEMA: c.schema! };
  });
  afterAll(async () => {
    await c?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serve shows the records of that store', async () => {
    const out: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const opts: ServeOptions = { port: 0, host: '127.0.0.1', prefix: 'unused', config: join(dataDir, 'none.yaml') };
    const running = serve(opts, { out: (s) => void out.push(s), err: () => {} }, { ...env, NIANBAO_UI_TOKEN: TOKEN }, stopped);
    const base = await eventually(async () => /nianbao UI at (http:\/\/[^/]+)\//.exec(out.join(''))?.[1], 20_000, 'the server');
    const page = await request(`${base}/review`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain(URL);
    expect(out.join('')).toContain(`store: ${c.name}`);
    stop();
    await running;
  });

  it('export reads the same store, and writes under the data folder by default', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const code = await main(['node', 'nianbao', 'export', '--format', 'csv-wide'], { out: () => {}, err: () => {} });
      expect(code).toBe(0);
    } finally {
      for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    const [dir] = readdirSync(join(dataDir, 'exports'));
    expect(readdirSync(join(dataDir, 'exports', dir!))).toContain('reports_wide.csv');
  });
});
