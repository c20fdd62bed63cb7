/**
 * `nianbao export`: the stored records as CSV (wide and long), JSON Lines and Parquet, with a
 * codebook and README.txt, filtered by year, region, status and template.
 */
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CommandInstaller } from '../cli/io.js';
import { EXPORT_FORMATS, type ExportFormat } from '../export/formats.js';
import type { RecordFilter } from '../store/index.js';
import type { TemplateId } from '../template/index.js';
import type { RecordStatus } from '../validate/schema.js';

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

function oneOf<T extends string>(allowed: readonly T[], what: string) {
  return (v: string): T[] => {
    const out = list(v);
    const bad = out.filter((x) => !allowed.includes(x as T));
    if (bad.length || !out.length) throw new InvalidArgumentError(`${what} must be ${allowed.join(', ')} (comma-separated); got ${v}`);
    return out as T[];
  };
}

/** "2020", "2020,2021" or "2019-2021". */
export function parseYears(v: string): number[] {
  const out: number[] = [];
  for (const part of list(v)) {
    const m = /^(\d{4})(?:-(\d{4}))?$/.exec(part);
    if (!m) throw new InvalidArgumentError(`years must look like 2020, 2020,2021 or 2019-2021; got ${v}`);
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    if (to < from || to - from > 200) throw new InvalidArgumentError(`bad year range ${part}`);
    for (let y = from; y <= to; y++) out.push(y);
  }
  if (!out.length) throw new InvalidArgumentError('no year given');
  return out;
}

export function parseFormats(v: string): ExportFormat[] {
  const out = list(v);
  if (out.includes('all')) return [...EXPORT_FORMATS];
  return oneOf(EXPORT_FORMATS, '--format')(v);
}

/** Folder name for an export made at `d`: ISO time without characters Windows refuses. */
export function defaultExportDir(d: Date, dataDir = 'data'): string {
  return join(dataDir, 'exports', d.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-'));
}

interface ExportCliOptions {
  out?: string;
  format: ExportFormat[];
  year?: number[];
  region?: string;
  status?: RecordStatus[];
  template?: TemplateId[];
  db?: string;
  dbSchema?: string;
  data?: string;
}

export const installExport: CommandInstaller = (program: Command, io, setExit) => {
  program
    .command('export')
    .description('Export stored records as CSV (wide, long), JSON Lines and Parquet, with a codebook and README.txt.')
    .option('--out <dir>', 'output folder (default ./data/exports/<timestamp>)')
    .addOption(new Option('--format <formats>', `${EXPORT_FORMATS.join('|')}|all, comma-separated`).argParser(parseFormats).default([...EXPORT_FORMATS], 'all'))
    .option('--year <years>', 'years reported on: 2020, 2020,2021 or 2019-2021', parseYears)
    .option('--region <region>', 'region code prefix (44 = Guangdong, 440112) or exact region name')
    .option('--status <statuses>', 'valid, flagged, failed (comma-separated)', oneOf(['valid', 'flagged', 'failed'] as const, '--status'))
    .option('--template <templates>', '2019, 2021 (comma-separated)', oneOf(['2019', '2021'] as const, '--template'))
    .option('--data <dir>', 'data folder (default: $NIANBAO_DATA, else ./data): its store, and exports/<timestamp> by default')
    .option('--db <url>', 'store: SQLite file or postgres:// URL (default $DATABASE_URL, else <data>/nianbao.sqlite)')
    .option('--db-schema <name>', 'PostgreSQL schema of the store (default: $NIANBAO_DB_SCHEMA, else public)')
    .action(async (opts: ExportCliOptions) => {
      // Loaded here, not at start-up: every nianbao command imports this module.
      const [{ openStore }, { exportDataset }] = await Promise.all([import('../store/index.js'), import('../export/index.js')]);
      const now = new Date();
      const filter: RecordFilter = {};
      if (opts.year) filter.year = opts.year;
      if (opts.region) filter.region = opts.region;
      if (opts.status) filter.status = opts.status;
      if (opts.template) filter.template = opts.template;
      // The same store as the workers and `serve`: options, then DATABASE_URL, NIANBAO_DATA, NIANBAO_DB_SCHEMA.
      const dataDir = opts.data ?? process.env.NIANBAO_DATA ?? 'data';
      const schema = opts.dbSchema ?? process.env.NIANBAO_DB_SCHEMA;
      const out = opts.out ?? defaultExportDir(now, dataDir);

      const store = await openStore({ dataDir, ...(opts.db ? { url: opts.db } : {}), ...(schema ? { schema } : {}), create: false });
      try {
        const s = await exportDataset(store, { out, formats: opts.format, filter, now });
        const counts = Object.entries(s.byStatus).map(([k, n]) => `${k} ${n}`).join(', ');
        io.out(`Exported ${s.reports} reports (${counts}) to ${s.dir}: ${s.files.join(', ')}\n`);
        if (s.unknownFields.length) io.err(`warning: fields not in the codebook were left out of the CSV and Parquet files: ${s.unknownFields.join(', ')}\n`);
      } finally {
        await store.close();
      }
      setExit(0);
    });
};
