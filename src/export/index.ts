/**
 * `exportDataset`: stream the store's records, filtered, once through every chosen format (wide
 * CSV, long CSV, JSON Lines, Parquet), then write the codebook, README.txt and manifest.json
 * beside them. Data files appear under their final names only when complete.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordFilter, Store, StoredReview } from '../store/index.js';
import { type ReviewedRecord, applyReview } from '../review/overlay.js';
import { asList } from '../store/util.js';
import type { TemplateId } from '../template/index.js';
import { agencyTypes } from '../normalize/agency-type.js';
import { DIVISIONS_SOURCE } from '../normalize/divisions.js';
import { ISSUE_CODES } from '../validate/schema.js';
import type { PanelView } from '../panel/checks.js';
import { withPanel } from '../panel/issues.js';
import { readPanel, refreshPanel } from '../panel/store.js';
import { VERSION } from '../version.js';
import { CODEBOOK_COLUMNS, codebookRows } from './codebook.js';
import { stataDoFile } from './stata.js';

/** Beside reports_wide.csv: reads it into Stata under names of at most 32 characters. */
const STATA_DO_FILE = 'reports_wide.do';
import { CELL_COLUMNS, REPORT_COLUMNS } from './columns.js';
import { BOM, csvLine } from './csv.js';
import { type ExportField, exportFields } from './fields.js';
import { EXPORT_FORMATS, type ExportFormat, FILE_NAMES } from './formats.js';
import { openTextSink } from './file-sink.js';
import { PANEL_COLUMNS, PanelBuilder } from './panel.js';
import { openWideParquet } from './parquet.js';
import { exportReadme } from './readme.js';
import { longHeader, longRows, wideHeader, wideRow } from './rows.js';


export interface ExportOptions {
  /** Output folder (created if missing). */
  out: string;
  formats: readonly ExportFormat[];
  filter?: RecordFilter;
  /** Export time, for README and manifest; default now. */
  now?: Date;
  /** Parquet rows per row group; default 5,000. */
  parquetRowGroupSize?: number;
  /** Run the cross-year checks and join them in (panel_status, panel_mismatch); default true. */
  panel?: boolean;
}

export interface ExportSummary {
  dir: string;
  /** File names written in `dir`. */
  files: string[];
  reports: number;
  byStatus: Record<string, number>;
  /** Rows of the long file (0 when not written). */
  cells: number;
  /** Field columns of the wide files. */
  fields: number;
  /** Field codes found in records but not in the codebook (kept only in JSON Lines). */
  unknownFields: string[];
  /** Records left out of panel.csv: no agency key or no year (0 when the panel was not written). */
  panelSkipped: number;
}

interface Sink {
  add(s: ReviewedRecord): Promise<void> | void;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

async function csvSink(path: string, header: string[], rows: (s: ReviewedRecord) => (string | number | null)[][]): Promise<Sink> {
  const file = openTextSink(path);
  await file.write(BOM + csvLine(header));
  return {
    // One write per report, not per row: the long file has ~200 rows per report.
    add: (s) => file.write(rows(s).map(csvLine).join('')),
    commit: () => file.commit(),
    abort: () => file.abort(),
  };
}

/** The record as stored, with its report id, and the store's portal when the record does not name one (records made before 0.2). */
function jsonlLine(s: ReviewedRecord): string {
  const r = s.record;
  const o = s.review;
  // values are the reviewed ones; each reviewed field keeps its extracted value, reviewer and note here.
  const fields = Object.fromEntries(o.applied.map((a) => [a.field, { source: o.sources[a.field], value: a.value, extracted: o.extracted[a.field] ?? null, located: a.field in o.extracted && o.extracted[a.field] !== undefined, reviewer: a.reviewer, at: a.at, note: a.note }]));
  const review = { state: o.state, reviewers: o.reviewers, reviewedAt: o.reviewedAt, fields, staleFields: o.stale.map((x) => x.field) };
  // A record nobody reviewed stays exactly as extracted (no review key).
  const out = { ...r, reportId: s.reportId, portalId: r.portalId ?? s.portalId, ...(o.savedState || o.stale.length ? { review } : {}) };
  return `${JSON.stringify(out)}\n`;
}

function jsonlSink(path: string): Sink {
  const file = openTextSink(path);
  return { add: (s) => file.write(jsonlLine(s)), commit: () => file.commit(), abort: () => file.abort() };
}

function panelSink(path: string, onSkipped: (n: number) => void): Sink {
  const panel = new PanelBuilder();
  return {
    add: (s) => panel.add(s),
    async commit() {
      const file = openTextSink(path);
      await file.write(BOM + csvLine(PANEL_COLUMNS.map((c) => c.name)) + panel.rows().map(csvLine).join(''));
      await file.commit();
      onSkipped(panel.skipped);
    },
    abort: async () => {},
  };
}

/** Which templates' fields the wide files carry: those the filter allows, else both. */
function templatesFor(filter: RecordFilter): TemplateId[] {
  const chosen = asList(filter.template) ?? [];
  return chosen.length ? (['2019', '2021'] as const).filter((t) => chosen.includes(t)) : ['2019', '2021'];
}

async function writeCodebook(dir: string, fields: readonly ExportField[]): Promise<string[]> {
  const rows = codebookRows(fields);
  const csv = BOM + csvLine([...CODEBOOK_COLUMNS]) + rows.map((r) => csvLine(CODEBOOK_COLUMNS.map((c) => r[c]))).join('');
  await writeFile(join(dir, 'codebook.csv'), csv, 'utf8');
  const json = {
    fields: rows,
    reportColumns: REPORT_COLUMNS.map(({ name, type, description }) => ({ name, type, description })),
    cellColumns: CELL_COLUMNS,
    panelColumns: PANEL_COLUMNS,
    agencyTypes: agencyTypes(),
    divisions: DIVISIONS_SOURCE,
    issueCodes: ISSUE_CODES,
  };
  await writeFile(join(dir, 'codebook.json'), `${JSON.stringify(json, null, 2)}\n`, 'utf8');
  return ['codebook.csv', 'codebook.json'];
}

/** `listReviews` and `db` are optional so a bare record source still exports (every record then unreviewed, panel unchecked). */
export async function exportDataset(store: Pick<Store, 'listRecords'> & Partial<Pick<Store, 'listReviews' | 'db'>>, opts: ExportOptions): Promise<ExportSummary> {
  const filter = opts.filter ?? {};
  const createdAt = (opts.now ?? new Date()).toISOString();
  const fields = exportFields(templatesFor(filter));
  const known = new Set(fields.map((f) => f.code));
  const formats = EXPORT_FORMATS.filter((f) => opts.formats.includes(f));
  await mkdir(opts.out, { recursive: true });
  const path = (f: ExportFormat) => join(opts.out, FILE_NAMES[f]);

  let cells = 0;
  let panelSkipped = 0;
  const open = async (f: ExportFormat): Promise<Sink> => {
    switch (f) {
      case 'csv-wide':
        return csvSink(path(f), wideHeader(fields), (s) => [wideRow(s, fields)]);
      case 'csv-long':
        return csvSink(path(f), longHeader(), (s) => {
          const rows = longRows(s, fields);
          cells += rows.length;
          return rows;
        });
      case 'jsonl':
        return jsonlSink(path(f));
      case 'parquet':
        return openWideParquet(path(f), fields, { 'nianbao.version': VERSION, 'nianbao.exportedAt': createdAt, 'nianbao.filter': JSON.stringify(filter) }, opts.parquetRowGroupSize);
      case 'panel':
        return panelSink(path(f), (n) => (panelSkipped = n));
    }
  };
  const sinks = await Promise.all(formats.map(open));

  // The cross-year checks over the whole store (not only the filtered records: a 2021 report is
  // checked against 2020 even when only 2021 is exported), brought up to date, then joined in.
  let panel = new Map<string, PanelView>();
  if (store.db && opts.panel !== false) {
    await refreshPanel(store.db, { now: opts.now });
    panel = await readPanel(store.db);
  }

  let reports = 0;
  const byStatus: Record<string, number> = { valid: 0, flagged: 0, failed: 0 };
  const unknown = new Set<string>();
  try {
    const reviews = store.listReviews ? await store.listReviews() : new Map<string, StoredReview>();
    for await (const stored of store.listRecords(filter)) {
      const s = withPanel(applyReview(stored, reviews.get(stored.url)), panel.get(stored.reportId));
      reports++;
      byStatus[s.record.status] = (byStatus[s.record.status] ?? 0) + 1;
      for (const code of Object.keys(s.record.values)) if (!known.has(code)) unknown.add(code);
      for (const sink of sinks) await sink.add(s);
    }
    for (const sink of sinks) await sink.commit();
  } catch (err) {
    await Promise.all(sinks.map((s) => s.abort()));
    throw err;
  }

  const files = [...formats.map((f) => FILE_NAMES[f]), ...(await writeCodebook(opts.out, fields))];
  if (formats.includes('csv-wide')) {
    await writeFile(join(opts.out, STATA_DO_FILE), stataDoFile(fields, FILE_NAMES['csv-wide']), 'utf8');
    files.push(STATA_DO_FILE);
  }
  files.push('manifest.json', 'README.txt');
  const summary: ExportSummary = {
    dir: opts.out,
    files,
    reports,
    byStatus,
    cells: formats.includes('csv-long') ? cells : 0,
    fields: fields.length,
    unknownFields: [...unknown].sort(),
    panelSkipped,
  };
  const { dir: _dir, ...counts } = summary;
  await writeFile(join(opts.out, 'manifest.json'), `${JSON.stringify({ createdAt, version: VERSION, filter, formats, ...counts }, null, 2)}\n`, 'utf8');
  await writeFile(join(opts.out, 'README.txt'), exportReadme({ createdAt, version: VERSION, filter, files, reports, byStatus, unknownFields: summary.unknownFields }), 'utf8');
  return summary;
}

export { EXPORT_FORMATS, FILE_NAMES, type ExportFormat } from './formats.js';
export { exportFields, type ExportField, type Unit } from './fields.js';
export { codebookRows, CODEBOOK_COLUMNS, type CodebookRow } from './codebook.js';
export { BOM, csvField, csvLine, formatNumber } from './csv.js';
export { REPORT_COLUMNS, CELL_COLUMNS } from './columns.js';
export { wideHeader, wideRow, longHeader, longRows } from './rows.js';
