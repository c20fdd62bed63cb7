/**
 * The panel checks and the quality report over 10,000 records: a generated panel of 2,000
 * agencies × 5 years (planted breaks included) stored in SQLite, then the pure checks, a full
 * refresh of the panel tables from the store, an incremental refresh of one report's agency, and
 * the quality report (collect, tables, HTML with its charts). "Seconds, not minutes."
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPanel } from '../src/panel/checks.js';
import { panelEntry } from '../src/panel/entry.js';
import { readPanel, refreshPanel } from '../src/panel/store.js';
import { collectQuality, qualityHtml, qualityTables } from '../src/quality/index.js';
import { openStore } from '../src/store/index.js';
import { generatePanel } from '../test/fixtures/panel.js';

const seconds = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;

export async function benchPanel(): Promise<Record<string, number>> {
  const panel = generatePanel(2026, { agencies: 2000 });
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-bench-panel-'));
  const store = await openStore({ url: join(dir, 'nianbao.sqlite'), env: {} });
  try {
    let t0 = performance.now();
    for (let i = 0; i < panel.records.length; i += 1000) await store.putRecords(panel.records.slice(i, i + 1000).map((record) => ({ record })));
    const storeSeconds = seconds(t0);

    t0 = performance.now();
    const pure = checkPanel(panel.records.map((r) => panelEntry(r.reportId!, r, r.source.fetchedAt!)));
    const pureSeconds = seconds(t0);

    t0 = performance.now();
    const full = await refreshPanel(store.db);
    const refreshSeconds = seconds(t0);

    t0 = performance.now();
    await refreshPanel(store.db, { reportIds: [panel.records[500]!.reportId!] });
    const incrementalSeconds = seconds(t0);

    t0 = performance.now();
    const view = await readPanel(store.db);
    const readSeconds = seconds(t0);

    t0 = performance.now();
    const q = await collectQuality(store, {}, new Date(), { refresh: false });
    const page = qualityHtml(q, qualityTables(q));
    const qualitySeconds = seconds(t0);

    return {
      records: panel.records.length,
      agencies: panel.agencyKeys.length,
      findings: pure.findings.length,
      plantedBreaks: panel.planted.filter((p) => ['carried_over', 'unit_jump', 'previous_count', 'in_force'].includes(p.kind)).reduce((n, p) => n + p.fields.length, 0),
      storedFindings: full.findings,
      reportsWithVerdict: view.size,
      storeSeconds,
      checkSecondsPure: pureSeconds,
      refreshSecondsFull: refreshSeconds,
      refreshSecondsOneAgency: incrementalSeconds,
      readSeconds,
      qualityReportSeconds: qualitySeconds,
      qualityHtmlKb: Math.round(page.length / 1024),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) console.log(JSON.stringify(await benchPanel(), null, 2));
