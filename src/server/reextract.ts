/**
 * The Re-extract action: make a document's record again from its stored artifact with the
 * current extractor. With queues, an extract job (force) goes to the workers, the same path as a
 * nightly run; without (`--inline`, or no Redis), `extractStage` runs in this process.
 */
import { extractStage, type StageContext } from '../pipeline/stages.js';
import type { Store, StoredDocument, StoredRecord } from '../store/index.js';
import { boardLinks } from './board.js';
import type { Notice, RecordView } from './pages/record.js';
import { type UiQueues, enqueueExtract } from './queues.js';

export type ReextractMode = { kind: 'queue'; queues: Pick<UiQueues, 'extract'> } | { kind: 'inline'; ctx: StageContext } | { kind: 'none'; why: string };

export interface Reextractor {
  availability(doc: StoredDocument | null): RecordView['reextract'];
  run(url: string, doc: StoredDocument | null): Promise<Notice>;
  /**
   * Queue mode: what became of the re-extraction queued from this server for `url` (null when
   * none is pending). Said once when the job has run, like the in-process notice.
   */
  outcome(url: string, store: Store): Promise<Notice | null>;
}

/** What a re-extraction changed, in a sentence: values, issues, extractor. */
export function changes(before: StoredRecord | null, after: StoredRecord): string {
  if (!before) return 'a first record was made';
  const a = before.record.values;
  const b = after.record.values;
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => a[f] !== b[f]);
  const was = new Set(before.issueCodes);
  const now = new Set(after.issueCodes);
  const added = [...now].filter((c) => !was.has(c));
  const gone = [...was].filter((c) => !now.has(c));
  const parts = [
    fields.length ? `${fields.length} value${fields.length === 1 ? '' : 's'} changed (${fields.slice(0, 5).join(', ')}${fields.length > 5 ? ', …' : ''})` : 'no value changed',
    added.length || gone.length ? `issues ${[...added.map((c) => `+${c}`), ...gone.map((c) => `−${c}`)].join(' ')}` : 'same issues',
  ];
  if (before.extractorVersion !== after.extractorVersion) parts.push(`extractor ${before.extractorVersion} → ${after.extractorVersion}`);
  return parts.join(', ');
}

/** `store`: to remember the record as it was when a job is queued (queue mode). */
export function reextractor(mode: ReextractMode, store0?: Store): Reextractor {
  const running = new Set<string>();
  // Re-extractions queued from this server, until the page has said how they ended.
  const pending = new Map<string, { id: string; at: string; before: StoredRecord | null }>();

  const availability = (doc: StoredDocument | null): RecordView['reextract'] => {
    if (mode.kind === 'none') return { available: false, why: mode.why };
    if (!doc) return { available: false, why: 'the URL is not a crawled document in the store.' };
    if (!doc.sha256) return { available: false, why: 'the document has never been fetched, so there is no artifact.' };
    // extractStage takes the region from the portal configuration: without it the record would lose its region.
    if (mode.kind === 'inline' && !mode.ctx.portals.has(doc.portalId)) return { available: false, why: `portal "${doc.portalId}" is not in the portal configuration (--config), so the record would lose its region.` };
    return { available: true, mode: mode.kind };
  };

  return {
    availability,
    async outcome(url, store) {
      const p = pending.get(url);
      if (!p || mode.kind !== 'queue') return null;
      const listed = await mode.queues.extract.getJob(p.id);
      const link = { href: boardLinks.job('extract', p.id), text: 'See the job' };
      if (!listed) {
        pending.delete(url);
        return null;
      }
      const state = await listed.getState();
      // The copy read before the state may predate the job's end (no finishedOn, no failedReason:
      // CI met this). A finished job's fields are written with its state, in one script: read
      // them again now that the state says it has ended.
      const job = state === 'completed' || state === 'failed' ? ((await mode.queues.extract.getJob(p.id)) ?? listed) : listed;
      if (state === 'failed') {
        pending.delete(url);
        return { kind: 'error', text: `The re-extraction job ${p.id} failed: ${job.failedReason ?? 'no reason given'}.`, link };
      }
      if (state !== 'completed') return { kind: 'info', text: `The re-extraction job ${p.id} is ${state}; reload this page when it has run.`, link };
      pending.delete(url);
      const after = await store.getRecord(url);
      if (!after) return { kind: 'error', text: `The re-extraction job ${p.id} ran, but no record is stored.`, link };
      // The store leaves an identical record as it was; the job still extracted it, at its finish
      // time (failing that, now is when it is known to have finished).
      if (after.extractedAt < p.at) {
        const finishedOn = job.finishedOn ?? Date.now();
        after.extractedAt = new Date(finishedOn).toISOString();
        await store.db.updateTable('records').set({ extracted_at: after.extractedAt }).where('url', '=', url).where('extracted_at', '<', p.at).execute();
      }
      return { kind: 'info', text: `Re-extracted by the workers: the record is now ${after.record.status}${p.before ? ` (was ${p.before.record.status})` : ''}; ${changes(p.before, after)}.`, link };
    },
    async run(url, doc) {
      const can = availability(doc);
      if (!can.available) return { kind: 'error', text: `Not re-extracted: ${can.why}` };
      if (mode.kind === 'queue') {
        const at = new Date().toISOString();
        const before = store0 ? await store0.getRecord(url) : null;
        const { id, added } = await enqueueExtract(mode.queues, { url, sha256: doc!.sha256!, force: true });
        pending.set(url, { id, at, before });
        const what = added ? `Re-extraction queued as job ${id}` : `Job ${id} is already queued`;
        return { kind: 'info', text: `${what}; reload this page when it has run.`, link: { href: boardLinks.job('extract', id), text: 'See the job' } };
      }
      if (mode.kind !== 'inline') return { kind: 'error', text: 'Not re-extracted.' };
      if (running.has(url)) return { kind: 'info', text: 'A re-extraction of this document is already running.' };
      running.add(url);
      try {
        const before = await mode.ctx.store.getRecord(url);
        const startedAt = new Date().toISOString();
        const r = await extractStage(mode.ctx, url, { force: true });
        if (r.outcome === 'skipped') return { kind: 'error', text: `Not re-extracted: ${r.message}` };
        // The store ignores a record whose bytes and extractor version equal the stored one's, even
        // when it differs (a failure whose cause was outside the bytes): say so rather than claim success.
        const stored = await mode.ctx.store.getRecord(url);
        if (stored && stored.record.status !== r.status) {
          return { kind: 'error', text: `Re-extracted as ${r.status}, but the store kept the earlier ${stored.record.status} record of the same bytes and extractor version (the store does not replace it yet).` };
        }
        if (!stored) return { kind: 'error', text: `Re-extracted as ${r.status}, but no record is stored.` };
        // The store leaves an identical record as it was; it was still extracted now, so say when.
        if (stored.extractedAt < startedAt) {
          const at = new Date().toISOString();
          await mode.ctx.store.db.updateTable('records').set({ extracted_at: at }).where('url', '=', url).execute();
          stored.extractedAt = at;
        }
        return { kind: 'info', text: `Re-extracted: the record is now ${r.status}${before ? ` (was ${before.record.status})` : ''}; ${changes(before, stored)}.` };
      } catch (err) {
        return { kind: 'error', text: `Re-extraction failed: ${err instanceof Error ? err.message : String(err)}` };
      } finally {
        running.delete(url);
      }
    },
  };
}
