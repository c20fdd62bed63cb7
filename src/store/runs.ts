/** Pipeline runs (crawl, fetch, extract, export…) with their counters, for the UI and for reports. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, RunStatus, RunsTable } from './tables.js';
import { toIso } from './util.js';

export type RunCounters = Record<string, number>;

export interface StoredRun {
  id: number;
  kind: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  counters: RunCounters;
  errorMessage: string | null;
}

function fromRunRow(r: Selectable<RunsTable>): StoredRun {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    counters: JSON.parse(r.counters) as RunCounters,
    errorMessage: r.error_message,
  };
}

export async function startRun(db: Kysely<Database>, kind: string, at?: string): Promise<number> {
  const r = await db
    .insertInto('runs')
    .values({ kind, status: 'running', started_at: toIso(at), counters: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export interface RunEnd {
  status: Exclude<RunStatus, 'running'>;
  counters?: RunCounters;
  errorMessage?: string | null;
  at?: string;
}

export async function finishRun(db: Kysely<Database>, id: number, end: RunEnd): Promise<void> {
  await db
    .updateTable('runs')
    .set({ status: end.status, finished_at: toIso(end.at), counters: JSON.stringify(end.counters ?? {}), error_message: end.errorMessage ?? null })
    .where('id', '=', id)
    .execute();
}

export async function getRun(db: Kysely<Database>, id: number): Promise<StoredRun | null> {
  const r = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? fromRunRow(r) : null;
}
