/**
 * Migration 0003 on a store made before it: rows stored under 0002 get the report id their URL
 * gives — the same id a new row gets, in SQLite and in PostgreSQL — and the store reads them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { connect, resolveStoreTarget } from '../../src/store/connect.js';
import { storeMigrator } from '../../src/store/migrations.js';
import { reportIdOf } from '../../src/record/report-id.js';
import type { NianbaoRecord } from '../../src/validate/schema.js';
import { type DialectCase, dialectCases } from './fixtures.js';

const old: NianbaoRecord = {
  schemaVersion: 1,
  source: { uri: 'https://www.hongze.gov.cn/art/2024/1/26/a.html', format: 'html', sha256: 'a'.repeat(64) },
  agency: '洪泽区人民政府',
  year: 2023,
  template: null,
  values: {},
  raw: {},
  issues: [{ code: 'no_tables', severity: 'error', message: 'made before 0003' }],
  status: 'failed',
};

describe.each(dialectCases('migrations'))('migration 0003 on $name', ({ make }) => {
  const c: DialectCase = make();
  afterAll(() => c.drop());

  it('gives rows stored before it their report id; the store then reads them', async () => {
    const target = resolveStoreTarget({ url: c.url });
    const db = (await connect(target, c.schema ? { schema: c.schema } : {})) as unknown as Kysely<unknown>;
    try {
      const migrator = storeMigrator(db, target.dialect, c.schema);
      const to2 = await migrator.migrateTo('0002_crawl_state');
      expect(to2.error).toBeUndefined();
      await (db as Kysely<{ records: Record<string, unknown> }>)
        .insertInto('records')
        .values({ url: old.source.uri, sha256: old.source.sha256, extractor_version: 'nianbao/0.1.0', schema_version: 1, status: 'failed', agency: old.agency, year: 2023, template: null, region_code: '320813', region_name: '洪泽区', portal_id: 'hongze', extracted_at: '2024-02-01T00:00:00.000Z', issue_codes: 'no_tables', record: JSON.stringify(old) })
        .execute();
    } finally {
      await db.destroy();
    }
    const store = await c.open();
    try {
      const got = await store.getRecord(old.source.uri);
      expect(got).toMatchObject({ reportId: reportIdOf(old.source.uri), regionCode: '320813', record: old });
      const row = await store.db.selectFrom('records').select(['report_id']).where('url', '=', old.source.uri).executeTakeFirstOrThrow();
      expect(row.report_id).toBe(reportIdOf(old.source.uri));
    } finally {
      await store.close();
    }
  });
});
