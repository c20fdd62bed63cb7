/**
 * The store's PostgreSQL introspection reads its own schema only. Kysely's own introspector reads
 * every schema by name, so a schema dropped meanwhile by someone else (another store, a parallel
 * test file) failed our migration with `schema "…" does not exist` (src/store/pg-introspection.ts).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, resolveStoreTarget } from '../../src/store/connect.js';
import { openStore } from '../../src/store/index.js';
import { PG_URL } from './fixtures.js';

const tag = `${process.pid}_${Date.now().toString(36)}`;
const mine = `t_introspect_${tag}`;
const other = `t_introspect_other_${tag}`;

describe('PostgreSQL introspection under a schema', () => {
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    // Another schema holding tables of the same names, Kysely's migration tables included.
    await admin.query(`create schema ${other}; create table ${other}.records (id serial primary key); create table ${other}.kysely_migration (name text)`);
  });
  afterAll(async () => {
    for (const s of [mine, other]) await admin.query(`drop schema if exists ${s} cascade`);
    for (let k = 0; k < 8; k++) await admin.query(`drop schema if exists ${mine}_${k} cascade`);
    await admin.end();
  });

  it("lists the store's own tables, with their columns, and nothing of another schema", async () => {
    await (await openStore({ url: PG_URL, schema: mine, env: {} })).close();
    const db = await connect(resolveStoreTarget({ url: PG_URL }), { schema: mine });
    try {
      const tables = await db.introspection.getTables();
      expect(tables.map((t) => t.name).sort()).toEqual(['documents', 'pages', 'panel_findings', 'panel_reports', 'portal_alerts', 'records', 'review_overrides', 'reviews', 'run_items', 'run_portals', 'runs']);
      expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([mine]));
      const records = tables.find((t) => t.name === 'records')!;
      expect(records.columns.find((c) => c.name === 'id')).toMatchObject({ isAutoIncrementing: true, isNullable: false });
      expect(records.columns.map((c) => c.name)).toContain('report_id');
      const withInternal = await db.introspection.getTables({ withInternalKyselyTables: true });
      expect(withInternal.map((t) => t.name).sort()).toEqual([...tables.map((t) => t.name), 'kysely_migration', 'kysely_migration_lock'].sort());
    } finally {
      await db.destroy();
    }
  });

  it('migrates new stores while other schemas are created and dropped', async () => {
    let stop = false;
    const churn = (async () => {
      for (let i = 0; !stop; i++) {
        const s = `t_churn_${tag}_${i}`;
        await admin.query(`create schema ${s}; create table ${s}.a (id serial primary key, b text)`);
        await admin.query(`drop schema ${s} cascade`);
      }
    })();
    const errors: string[] = [];
    try {
      for (let k = 0; k < 8; k++) {
        try {
          await (await openStore({ url: PG_URL, schema: `${mine}_${k}`, env: {} })).close();
        } catch (err) {
          errors.push(err instanceof Error ? err.message : String(err));
        }
      }
    } finally {
      stop = true;
      await churn;
    }
    expect(errors).toEqual([]);
  });
});
