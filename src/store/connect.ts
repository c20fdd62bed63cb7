/**
 * Which database a store URL names, and a Kysely instance for it. A `postgres://` or
 * `postgresql://` URL is PostgreSQL; anything else is a SQLite file path (an optional `sqlite:`
 * prefix is stripped; `:memory:` works for throwaway stores).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { SchemaScopedPostgresDialect } from './pg-introspection.js';
import type { Database } from './tables.js';

export type Dialect = 'sqlite' | 'postgres';

export interface StoreTarget {
  dialect: Dialect;
  /** The file path (SQLite) or connection string (PostgreSQL). */
  location: string;
}

export class StoreNotFoundError extends Error {
  override name = 'StoreNotFoundError';
  constructor(readonly path: string) {
    super(`No store at ${path}.`);
  }
}

/** Explicit URL, else $DATABASE_URL, else `<dataDir>/nianbao.sqlite`. Pure: the environment is passed in. */
export function resolveStoreTarget(opts: { url?: string; dataDir?: string }, env: Record<string, string | undefined> = {}): StoreTarget {
  const url = opts.url ?? env.DATABASE_URL ?? join(opts.dataDir ?? 'data', 'nianbao.sqlite');
  if (/^postgres(?:ql)?:\/\//i.test(url)) return { dialect: 'postgres', location: url };
  return { dialect: 'sqlite', location: url.replace(/^sqlite:(?:\/\/)?/i, '') };
}

const SCHEMA_NAME_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export interface ConnectOptions {
  /** PostgreSQL schema to keep the tables in (created if missing); default public. */
  schema?: string;
  /** Create the SQLite file when missing (default true); false makes a missing file an error. */
  create?: boolean;
}

export async function connect(target: StoreTarget, opts: ConnectOptions = {}): Promise<Kysely<Database>> {
  if (target.dialect === 'sqlite') {
    const path = target.location;
    const inMemory = path === ':memory:' || path === '';
    if (!inMemory && !existsSync(path)) {
      if (opts.create === false) throw new StoreNotFoundError(path);
      mkdirSync(dirname(path), { recursive: true });
    }
    const database = new SqliteDatabase(path);
    // WAL lets an export read while the pipeline writes; NORMAL sync is safe under WAL.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 10000');
    return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  }

  const schema = opts.schema ?? 'public';
  if (!SCHEMA_NAME_RE.test(schema)) throw new Error(`Invalid PostgreSQL schema name: ${schema}`);
  // search_path on every pooled connection: the same unqualified queries then work in any schema.
  const pool = new pg.Pool({ connectionString: target.location, options: `-c search_path=${schema}`, max: 8 });
  // Introspection (the migrator's "do my tables exist") reads this schema only: see pg-introspection.ts.
  const db = new Kysely<Database>({ dialect: new SchemaScopedPostgresDialect({ pool }, schema) });
  try {
    // Look before creating: CREATE SCHEMA needs the CREATE privilege on the database even when the
    // schema exists, and a production role may lack it.
    const found = await sql<{ n: number }>`select 1 as n from pg_namespace where nspname = ${schema}`.execute(db);
    if (!found.rows.length) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (err) {
    await db.destroy();
    throw new Error(`Cannot connect to PostgreSQL at ${redact(target.location)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return db;
}

/** A connection string with its password hidden, for error messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
