/**
 * The panel checks over the store: read the records of some agencies (or all), check them
 * (checks.ts), and replace what the panel tables said about those agencies — in one transaction,
 * so a reader sees the old verdicts or the new ones. Called after a run, a re-extraction and
 * before an export: a report re-extracted or a new year arriving re-evaluates its agency.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/tables.js';
import { ROWS_PER_INSERT, chunks, toIso } from '../store/util.js';
import { type PanelFinding, type PanelReportStatus, type PanelStatus, type PanelView, checkPanel } from './checks.js';
import { panelEntry } from './entry.js';

export interface PanelRefresh {
  reports: number;
  findings: number;
  /** Agencies re-evaluated (all of them in a full refresh). */
  agencies: number;
}

/**
 * Records read per query. Each row holds its whole record (about 30 kB of JSON, UTF-16 in V8:
 * ~60 kB), alive until its page is done, long enough to be promoted to the old generation: a
 * refresh of an agency of 250 reports peaked at 96 MB of heap with pages of 200, 42 with 25.
 */
const PAGE = 25;

/** Records of the given agency keys (all records when undefined), read without the zod check: the store only holds checked records. */
async function* panelEntries(db: Kysely<Database>, keys?: readonly string[]) {
  let after = 0;
  for (;;) {
    let q = db.selectFrom('records').select(['id', 'report_id', 'url', 'extracted_at', 'record']).where('id', '>', after);
    if (keys) q = q.where('agency_key', 'in', keys);
    const rows = await q.orderBy('id').limit(PAGE).execute();
    for (const r of rows) yield panelEntry(r.report_id ?? r.url, JSON.parse(r.record), r.extracted_at);
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * Re-evaluate the agencies of `reportIds` (their key now, and the key the panel tables knew them
 * by, in case a re-extraction changed it) or, without it, the whole store.
 */
export function refreshPanel(db: Kysely<Database>, opts: { reportIds?: readonly string[]; now?: Date } = {}): Promise<PanelRefresh> {
  // One refresh at a time per store handle. The local run refreshes after each of the ~16
  // extractions it keeps in flight, and each refresh holds its agencies' records while it checks
  // them: 16 at a time over an agency of 250 reports took the process to 1.2 GB of RSS, one at a
  // time 240 MB (the store of bench/run-memory.ts). Each writes in its own transaction anyway.
  const prev = running.get(db) ?? Promise.resolve();
  const next = prev.then(() => refreshNow(db, opts));
  const tail = next.catch(() => undefined);
  running.set(db, tail);
  void tail.then(() => {
    if (running.get(db) === tail) running.delete(db);
  });
  return next;
}

/** The last refresh started on each store handle (refreshPanel chains the next one after it). */
const running = new WeakMap<Kysely<Database>, Promise<unknown>>();

async function refreshNow(db: Kysely<Database>, opts: { reportIds?: readonly string[]; now?: Date }): Promise<PanelRefresh> {
  const checkedAt = toIso(opts.now);
  let keys: string[] | undefined;
  if (opts.reportIds) {
    if (!opts.reportIds.length) return { reports: 0, findings: 0, agencies: 0 };
    const found = new Set<string>();
    for (const ids of chunks(opts.reportIds, ROWS_PER_INSERT)) {
      for (const r of await db.selectFrom('records').select('agency_key').where('report_id', 'in', ids).execute()) if (r.agency_key) found.add(r.agency_key);
      for (const r of await db.selectFrom('panel_reports').select('agency_key').where('report_id', 'in', ids).execute()) if (r.agency_key) found.add(r.agency_key);
    }
    keys = [...found];
  }
  const entries = [];
  if (!keys) for await (const e of panelEntries(db)) entries.push(e);
  else for (const k of chunks(keys, ROWS_PER_INSERT)) for await (const e of panelEntries(db, k)) entries.push(e);
  const { findings, statuses } = checkPanel(entries);

  await db.transaction().execute(async (trx) => {
    if (!keys) {
      await trx.deleteFrom('panel_findings').execute();
      await trx.deleteFrom('panel_reports').execute();
    } else {
      for (const k of chunks(keys, ROWS_PER_INSERT)) {
        await trx.deleteFrom('panel_findings').where('agency_key', 'in', k).execute();
        await trx.deleteFrom('panel_reports').where('agency_key', 'in', k).execute();
      }
      // The reports themselves, whatever key they had (a re-extraction may have dropped it).
      for (const ids of chunks(opts.reportIds!, ROWS_PER_INSERT)) {
        await trx.deleteFrom('panel_findings').where('report_id', 'in', ids).execute();
        await trx.deleteFrom('panel_reports').where('report_id', 'in', ids).execute();
      }
    }
    for (const batch of chunks(statuses, ROWS_PER_INSERT)) {
      await trx
        .insertInto('panel_reports')
        .values(batch.map((s) => ({ report_id: s.reportId, agency_key: s.agencyKey, year: s.year, status: s.status, previous_report_id: s.previousReportId, checked_at: checkedAt })))
        .onConflict((oc) => oc.column('report_id').doUpdateSet((eb) => ({ agency_key: eb.ref('excluded.agency_key'), year: eb.ref('excluded.year'), status: eb.ref('excluded.status'), previous_report_id: eb.ref('excluded.previous_report_id'), checked_at: eb.ref('excluded.checked_at') })))
        .execute();
    }
    for (const batch of chunks(findings, ROWS_PER_INSERT)) {
      await trx
        .insertInto('panel_findings')
        .values(
          batch.map((f) => ({
            report_id: f.reportId,
            agency_key: f.agencyKey,
            year: f.year,
            rule: f.rule,
            strength: f.strength,
            field: f.field,
            value: f.value,
            other_report_id: f.otherReportId,
            other_year: f.otherYear,
            other_value: f.otherValue,
            message: f.message,
            checked_at: checkedAt,
          })),
        )
        .onConflict((oc) => oc.columns(['report_id', 'rule', 'field']).doNothing())
        .execute();
    }
  });
  return { reports: statuses.length, findings: findings.length, agencies: new Set(statuses.map((s) => s.agencyKey).filter(Boolean)).size };
}

/** What the panel tables say, by report id (small: one status and a few findings per report). */
export async function readPanel(db: Kysely<Database>): Promise<Map<string, PanelView>> {
  const out = new Map<string, PanelView>();
  for (const r of await db.selectFrom('panel_reports').select(['report_id', 'status', 'previous_report_id']).execute()) {
    out.set(r.report_id, { status: r.status as PanelStatus, previousReportId: r.previous_report_id, findings: [] });
  }
  const rows = await db.selectFrom('panel_findings').selectAll().orderBy('report_id').orderBy('rule').orderBy('field').execute();
  for (const f of rows) {
    const finding: PanelFinding = {
      reportId: f.report_id,
      agencyKey: f.agency_key,
      year: f.year,
      rule: f.rule,
      strength: f.strength as PanelFinding['strength'],
      field: f.field,
      value: f.value === null ? null : Number(f.value),
      otherReportId: f.other_report_id,
      otherYear: f.other_year,
      otherValue: f.other_value === null ? null : Number(f.other_value),
      message: f.message,
    };
    const view = out.get(f.report_id) ?? { status: 'mismatch' as const, previousReportId: f.other_report_id, findings: [] };
    view.findings.push(finding);
    out.set(f.report_id, view);
  }
  return out;
}

export type { PanelReportStatus };
