/**
 * Shared by the store and export tests: the two dialects to run every suite against, and real
 * records extracted from the project's shared reports.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { extractRecord } from '../../src/extractor.js';
import { type OpenStoreOptions, type Store, openStore } from '../../src/store/index.js';
import type { NianbaoRecord } from '../../src/validate/schema.js';
import { sharedPath } from '../helpers/shared.js';

/** CI starts PostgreSQL here; when it is unreachable the postgres suites fail, they never skip. */
export const PG_URL = process.env.NIANBAO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface DialectCase {
  name: 'sqlite' | 'postgres';
  /** Open a store on this case's database (call as often as needed: same database each time). */
  open(opts?: Omit<OpenStoreOptions, 'url' | 'schema' | 'env'>): Promise<Store>;
  /** The URL the case's database is reached by, and its PostgreSQL schema. */
  url: string;
  schema?: string;
  /** Remove the database (temp dir or schema). */
  drop(): Promise<void>;
}

function sqliteCase(): DialectCase {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-store-'));
  const url = join(dir, 'nianbao.sqlite');
  return {
    name: 'sqlite',
    url,
    open: (opts) => openStore({ ...opts, url, env: {} }),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresCase(label: string): DialectCase {
  // One schema per test file and run: test files run in parallel against the same database.
  const schema = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${Date.now().toString(36)}`;
  return {
    name: 'postgres',
    url: PG_URL,
    schema,
    open: (opts) => openStore({ ...opts, url: PG_URL, schema, env: {} }),
    drop: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Both dialects, for `describe.each`. `label` names the PostgreSQL schema (use the test file's name). */
export function dialectCases(label: string): { name: string; make: () => DialectCase }[] {
  return [
    { name: 'sqlite', make: sqliteCase },
    { name: 'postgres', make: () => postgresCase(label) },
  ];
}

/** The shared reports: five seed dumps and three real PDFs' text dumps. */
export function sharedReportFiles(): string[] {
  const seeds = readdirSync(sharedPath('seeds'))
    .filter((f) => f.endsWith('.txt'))
    .map((f) => sharedPath('seeds', f));
  const fetched = readdirSync(sharedPath('real-fetched'))
    .filter((f) => f.endsWith('.pdftext.txt'))
    .map((f) => sharedPath('real-fetched', f));
  return [...seeds, ...fetched].sort();
}

/** A stable URL for a shared file, as if the crawler had found it. */
export function urlFor(path: string): string {
  return `https://reports.example.gov.cn/${basename(path)}`;
}

/** Real records: every shared report through the real extractor, with a URL as source.uri. */
export async function realRecords(): Promise<NianbaoRecord[]> {
  const out: NianbaoRecord[] = [];
  for (const f of sharedReportFiles()) out.push(await extractRecord(readFileSync(f), { uri: urlFor(f), fetchedAt: '2024-03-01T08:00:00Z' }));
  return out;
}

/** A real failed record: what the extractor makes of an empty download. */
export async function emptyFileRecord(uri = 'https://reports.example.gov.cn/empty.pdf'): Promise<NianbaoRecord> {
  return extractRecord(new Uint8Array(), { uri, hints: { agency: '某县人民政府', year: 2021 } });
}

/** Find a record by the shared file name it came from. */
export function byFile(records: readonly NianbaoRecord[], file: string): NianbaoRecord {
  const r = records.find((x) => x.source.uri.endsWith(`/${file}`));
  if (!r) throw new Error(`no record from ${file}`);
  return r;
}
