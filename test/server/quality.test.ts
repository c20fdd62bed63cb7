/**
 * /quality in `nianbao serve`: behind the token like every page, the store's quality report as
 * one page with its own CSP (inline styles only, no script), and its tables as CSV.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArtifacts } from '../../src/artifacts/index.js';
import { refreshPanel } from '../../src/panel/store.js';
import { QUALITY_TABLE_NAMES, collectQuality, qualityTables } from '../../src/quality/index.js';
import { createApp, listen, type RunningServer } from '../../src/server/index.js';
import { CSP_QUALITY } from '../../src/server/quality-route.js';
import type { Store } from '../../src/store/index.js';
import { parseCsv } from '../export/read.js';
import { generatePanel } from '../fixtures/panel.js';
import { type DialectCase, dialectCases } from '../store/fixtures.js';
import { request } from './helpers.js';

const TOKEN = 'quality-test-token-0123456789abcdef';
const bearer = { authorization: `Bearer ${TOKEN}` };
const panel = generatePanel(41, { agencies: 40 });

describe('/quality', () => {
  const c: DialectCase = dialectCases('quality_route')[0]!.make();
  let store: Store;
  let app: RunningServer;
  let tmp: string;

  beforeAll(async () => {
    store = await c.open();
    tmp = mkdtempSync(join(tmpdir(), 'nianbao-qroute-'));
    await store.putRecords(panel.records.map((record) => ({ record })));
    await refreshPanel(store.db);
    app = await listen(createApp({ store, artifacts: openArtifacts({ dir: join(tmp, 'artifacts') }), auth: { token: TOKEN }, reextract: { kind: 'none', why: 'test' }, loopbackOnly: true }), { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app?.close(1000);
    await store?.close();
    await c.drop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('asks for the token', async () => {
    expect((await request(`${app.url}/quality`)).status).not.toBe(200);
    expect((await request(`${app.url}/quality/status.csv`)).status).not.toBe(200);
  });

  it('serves the report: inline charts, its own CSP, links to its CSV tables', async () => {
    const r = await request(`${app.url}/quality`, { headers: bearer });
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toBe(CSP_QUALITY);
    expect(CSP_QUALITY).not.toMatch(/script-src|unsafe-eval/);
    expect(r.body.match(/<svg /g)!.length).toBeGreaterThanOrEqual(9);
    expect(r.body).not.toMatch(/<script/i);
    expect(r.body).toContain('href="/quality/panel_mismatches.csv"');
    for (const p of panel.planted.filter((x) => x.kind === 'carried_over' || x.kind === 'unit_jump')) expect(r.body).toContain(p.reportId!);
  });

  it('serves each table as CSV, the same rows as the export writes, and nothing else', async () => {
    expect(qualityTables(await collectQuality(store, {}, new Date(), { refresh: false })).map((t) => t.name)).toEqual(QUALITY_TABLE_NAMES);
    const r = await request(`${app.url}/quality/panel_mismatches.csv`, { headers: bearer });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parseCsv(r.body.replace(/^\uFEFF/, ''));
    const breaks = panel.planted.filter((p) => ['carried_over', 'unit_jump', 'previous_count', 'in_force'].includes(p.kind));
    expect(rows.length - 1).toBe(breaks.reduce((n, b) => n + b.fields.length, 0));
    expect((await request(`${app.url}/quality/nope.csv`, { headers: bearer })).status).toBe(404);
  });
});
