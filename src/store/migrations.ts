/**
 * Schema migrations, defined in code and run by Kysely's Migrator on open. Both dialects run the
 * same migrations; the one difference (an auto-numbered key) is isolated in `idColumn`.
 * Never edit a released migration: add the next one.
 */
import { type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { reportIdOf } from '../record/report-id.js';
import type { Dialect } from './connect.js';

/** Columns of the labels a record carries since 0003 (who published it, where, when). */
const LABEL_COLUMNS = [
  'agency_normalized',
  'agency_type',
  'agency_key',
  'region_level',
  'province_code',
  'province_name',
  'prefecture_code',
  'prefecture_name',
  'county_code',
  'county_name',
  'published_at',
  'title',
] as const;

// SQLite: INTEGER PRIMARY KEY is the rowid, numbered automatically. PostgreSQL: serial.
function idColumn<T extends string>(dialect: Dialect, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return table.addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => c.primaryKey());
}

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await idColumn(dialect, db.schema.createTable('documents'))
          .addColumn('url', 'text', (c) => c.notNull().unique())
          .addColumn('portal_id', 'text', (c) => c.notNull())
          .addColumn('title', 'text')
          .addColumn('year_hint', 'integer')
          .addColumn('agency_hint', 'text')
          .addColumn('discovered_from', 'text')
          .addColumn('discovered_at', 'text', (c) => c.notNull())
          .addColumn('seen_at', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
          .addColumn('http_status', 'integer')
          .addColumn('etag', 'text')
          .addColumn('last_modified', 'text')
          .addColumn('sha256', 'text')
          .addColumn('content_type', 'text')
          .addColumn('bytes', 'integer')
          .addColumn('fetched_at', 'text')
          .addColumn('checked_at', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('error_code', 'text')
          .addColumn('error_message', 'text')
          .execute();
        await db.schema.createIndex('documents_status').on('documents').columns(['status', 'portal_id']).execute();
        await db.schema.createIndex('documents_portal').on('documents').column('portal_id').execute();

        await idColumn(dialect, db.schema.createTable('pages'))
          .addColumn('url', 'text', (c) => c.notNull().unique())
          .addColumn('portal_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('http_status', 'integer')
          .addColumn('etag', 'text')
          .addColumn('last_modified', 'text')
          .addColumn('sha256', 'text')
          .addColumn('fetched_at', 'text')
          .addColumn('checked_at', 'text', (c) => c.notNull())
          .addColumn('error_code', 'text')
          .addColumn('error_message', 'text')
          .execute();
        await db.schema.createIndex('pages_portal').on('pages').column('portal_id').execute();

        await idColumn(dialect, db.schema.createTable('records'))
          .addColumn('url', 'text', (c) => c.notNull().unique())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('extractor_version', 'text', (c) => c.notNull())
          .addColumn('schema_version', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('agency', 'text')
          .addColumn('year', 'integer')
          .addColumn('template', 'text')
          .addColumn('region_code', 'text')
          .addColumn('region_name', 'text')
          .addColumn('portal_id', 'text')
          .addColumn('extracted_at', 'text', (c) => c.notNull())
          .addColumn('issue_codes', 'text', (c) => c.notNull())
          .addColumn('record', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('records_year').on('records').columns(['year', 'status']).execute();
        await db.schema.createIndex('records_status').on('records').column('status').execute();
        await db.schema.createIndex('records_region').on('records').column('region_code').execute();
        await db.schema.createIndex('records_sha256').on('records').column('sha256').execute();

        await idColumn(dialect, db.schema.createTable('runs'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('finished_at', 'text')
          .addColumn('counters', 'text', (c) => c.notNull())
          .addColumn('error_message', 'text')
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const t of ['runs', 'records', 'pages', 'documents']) await db.schema.dropTable(t).execute();
      },
    },
    // The crawler's memory between runs: what a listing or article page linked (so a 304 still
    // yields its links) and each document's full report reference (how it was found).
    '0002_crawl_state': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('pages').addColumn('state', 'text').execute();
        await db.schema.alterTable('documents').addColumn('ref', 'text').execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.alterTable('pages').dropColumn('state').execute();
        await db.schema.alterTable('documents').dropColumn('ref').execute();
      },
    },
    // Labels for joining and panels: a report id that is the same in every store (derived from
    // the URL, not the row number), the agency's key, type and divisions, publication date and
    // title; on documents, what the listing and the download said about them.
    '0003_report_labels': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('records').addColumn('report_id', 'text').execute();
        for (const c of LABEL_COLUMNS) await db.schema.alterTable('records').addColumn(c, 'text').execute();
        // Rows stored before: their id from their URL, as new rows get it.
        const rows = await sql<{ id: number; url: string }>`select id, url from records`.execute(db);
        for (const r of rows.rows) await sql`update records set report_id = ${reportIdOf(r.url)} where id = ${r.id}`.execute(db);
        await db.schema.createIndex('records_report_id').on('records').column('report_id').unique().execute();
        await db.schema.createIndex('records_agency_key').on('records').columns(['agency_key', 'year']).execute();
        await db.schema.alterTable('documents').addColumn('published_at', 'text').execute();
        await db.schema.alterTable('documents').addColumn('published_from', 'text').execute();
        await db.schema.alterTable('documents').addColumn('filename', 'text').execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropIndex('records_agency_key').execute();
        await db.schema.dropIndex('records_report_id').execute();
        for (const c of ['report_id', ...LABEL_COLUMNS]) await db.schema.alterTable('records').dropColumn(c).execute();
        for (const c of ['published_at', 'published_from', 'filename']) await db.schema.alterTable('documents').dropColumn(c).execute();
      },
    },
    // Run records for every crawl (#18): a run is tied to a crawl id (the jobs of one
    // distributed crawl, or one local run); run_items is the ledger of what each stage did for
    // each portal and document of the crawl (pending until its job settles), run_portals the
    // per-portal stats a closed run is judged on, portal_alerts what the health judge raised.
    '0004_runs': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('runs').addColumn('crawl_id', 'text').execute();
        await db.schema.alterTable('runs').addColumn('mode', 'text').execute();
        await db.schema.alterTable('runs').addColumn('portals', 'text').execute();
        await db.schema.alterTable('runs').addColumn('record', 'text').execute();
        await db.schema.createIndex('runs_crawl_id').on('runs').column('crawl_id').unique().execute();

        await idColumn(dialect, db.schema.createTable('run_items'))
          .addColumn('crawl_id', 'text', (c) => c.notNull())
          .addColumn('stage', 'text', (c) => c.notNull())
          .addColumn('item_key', 'text', (c) => c.notNull())
          .addColumn('portal_id', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text')
          .addColumn('status', 'text')
          .addColumn('reason', 'text')
          .addColumn('detail', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('run_items_key').on('run_items').columns(['crawl_id', 'stage', 'item_key']).unique().execute();
        await db.schema.createIndex('run_items_state').on('run_items').columns(['crawl_id', 'state']).execute();

        await idColumn(dialect, db.schema.createTable('run_portals'))
          .addColumn('run_id', 'integer', (c) => c.notNull())
          .addColumn('crawl_id', 'text', (c) => c.notNull())
          .addColumn('portal_id', 'text', (c) => c.notNull())
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('stats', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('run_portals_run').on('run_portals').columns(['run_id', 'portal_id']).unique().execute();
        await db.schema.createIndex('run_portals_portal').on('run_portals').columns(['portal_id', 'run_id']).execute();

        await idColumn(dialect, db.schema.createTable('portal_alerts'))
          .addColumn('portal_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('evidence', 'text', (c) => c.notNull())
          .addColumn('raised_run_id', 'integer', (c) => c.notNull())
          .addColumn('raised_crawl_id', 'text', (c) => c.notNull())
          .addColumn('raised_at', 'text', (c) => c.notNull())
          .addColumn('last_run_id', 'integer', (c) => c.notNull())
          .addColumn('resolved_run_id', 'integer')
          .addColumn('resolved_at', 'text')
          .execute();
        await db.schema.createIndex('portal_alerts_portal').on('portal_alerts').columns(['portal_id', 'kind']).execute();
      },
      async down(db: Kysely<unknown>) {
        for (const t of ['portal_alerts', 'run_portals', 'run_items']) await db.schema.dropTable(t).execute();
        await db.schema.dropIndex('runs_crawl_id').execute();
        for (const c of ['crawl_id', 'mode', 'portals', 'record']) await db.schema.alterTable('runs').dropColumn(c).execute();
      },
    },
    // Review (#16): a reviewer's value for a field, or confirmation of a published value, kept
    // beside the extracted record and never written into it. Append-only: each save adds rows, the
    // latest row of a (url, field) is in force, so who changed what and when is never lost. Values
    // are JSON text (a number, or null for a blank cell) so money with fen reads back exactly in
    // both dialects. sha256 names the bytes the reviewer looked at: a re-extraction of the same
    // bytes keeps the override, new bytes raise it for review again.
    '0005_reviews': {
      async up(db: Kysely<unknown>) {
        await idColumn(dialect, db.schema.createTable('review_overrides'))
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('field', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('new_value', 'text')
          .addColumn('old_value', 'text')
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('reviewer', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('review_overrides_url').on('review_overrides').columns(['url', 'field']).execute();
        await idColumn(dialect, db.schema.createTable('reviews'))
          .addColumn('url', 'text', (c) => c.notNull().unique())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('reviewer', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const t of ['reviews', 'review_overrides']) await db.schema.dropTable(t).execute();
      },
    },
    // The panel checks (src/panel): derived from the records and rewritten whenever a report of
    // an agency changes, so they live beside the records, never inside them.
    '0006_panel': {
      async up(db: Kysely<unknown>) {
        await idColumn(dialect, db.schema.createTable('panel_reports'))
          .addColumn('report_id', 'text', (c) => c.notNull().unique())
          .addColumn('agency_key', 'text')
          .addColumn('year', 'integer')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('previous_report_id', 'text')
          .addColumn('checked_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('panel_reports_agency_key').on('panel_reports').column('agency_key').execute();
        await idColumn(dialect, db.schema.createTable('panel_findings'))
          .addColumn('report_id', 'text', (c) => c.notNull())
          .addColumn('agency_key', 'text', (c) => c.notNull())
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('rule', 'text', (c) => c.notNull())
          .addColumn('strength', 'text', (c) => c.notNull())
          .addColumn('field', 'text', (c) => c.notNull())
          .addColumn('value', 'double precision')
          .addColumn('other_report_id', 'text', (c) => c.notNull())
          .addColumn('other_year', 'integer', (c) => c.notNull())
          .addColumn('other_value', 'double precision')
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('checked_at', 'text', (c) => c.notNull())
          .execute();
        // One finding per report, rule and field: concurrent refreshes (workers) cannot double it.
        await db.schema.createIndex('panel_findings_key').on('panel_findings').columns(['report_id', 'rule', 'field']).unique().execute();
        await db.schema.createIndex('panel_findings_agency_key').on('panel_findings').column('agency_key').execute();
      },
      async down(db: Kysely<unknown>) {
        for (const t of ['panel_findings', 'panel_reports']) await db.schema.dropTable(t).execute();
      },
    },
  };
}

/** The migrator of a store. `schema` (PostgreSQL only) is where Kysely keeps its own migration tables. */
export function storeMigrator(db: Kysely<unknown>, dialect: Dialect, schema?: string): Migrator {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  return new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
}

/** Bring the schema up to date. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect, schema?: string): Promise<void> {
  const migrator = storeMigrator(db, dialect, schema);
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Store migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
