/**
 * The quality report: collect while records stream (collect.ts), then tables (tables.ts), CSV
 * files and a self-contained HTML page (html.ts). `nianbao export` writes it beside the data
 * (quality.html and quality/*.csv); `nianbao serve` shows it at /quality.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BOM, csvLine } from '../export/csv.js';
import { readPanel, refreshPanel } from '../panel/store.js';
import { withPanel } from '../panel/issues.js';
import type { RecordFilter, Store } from '../store/index.js';
import { type QualityData, QualityCollector } from './collect.js';
import { qualityHtml } from './html.js';
import { type Table, qualityTables } from './tables.js';

export const QUALITY_HTML = 'quality.html';
export const QUALITY_DIR = 'quality';

export function tableCsv(t: Table): string {
  return BOM + csvLine(t.header) + t.rows.map(csvLine).join('');
}

/** Write quality.html and quality/<table>.csv into `dir`; returns the file names written (relative to dir). */
export async function writeQualityReport(dir: string, q: QualityData): Promise<string[]> {
  const tables = qualityTables(q);
  await mkdir(join(dir, QUALITY_DIR), { recursive: true });
  const files: string[] = [];
  for (const t of tables) {
    await writeFile(join(dir, QUALITY_DIR, `${t.name}.csv`), tableCsv(t), 'utf8');
    files.push(`${QUALITY_DIR}/${t.name}.csv`);
  }
  await writeFile(join(dir, QUALITY_HTML), qualityHtml(q, tables), 'utf8');
  return [QUALITY_HTML, ...files];
}

/** The values of a stored record, for listing how duplicate copies differ. */
export const storedValues = (store: Pick<Store, 'getRecord'>) => async (url: string) => (await store.getRecord(url))?.record.values ?? null;

/** The tables' names (quality/<name>.csv). */
export const QUALITY_TABLE_NAMES: readonly string[] = ['status', 'issues', 'coverage', 'missing', 'duplicates', 'figures', 'outliers', 'panel_mismatches'];

/**
 * The quality data of the whole store (or a filtered part). `refresh` (default true) brings the
 * panel checks up to date first; a reader that must not write (the web page) passes false.
 */
export async function collectQuality(store: Pick<Store, 'db' | 'listRecords' | 'getRecord'>, filter: RecordFilter = {}, now = new Date(), opts: { refresh?: boolean } = {}): Promise<QualityData> {
  if (opts.refresh !== false) await refreshPanel(store.db, { now });
  const panel = await readPanel(store.db);
  const c = new QualityCollector();
  for await (const s of store.listRecords(filter)) c.add(withPanel(s, panel.get(s.reportId)));
  return c.finish(storedValues(store), now);
}

export { QualityCollector, type QualityData } from './collect.js';
export { qualityTables, type Table } from './tables.js';
export { qualityHtml } from './html.js';
