/**
 * Where a morning summary goes: two files in the data folder (`runs/<crawl>.summary.json` and
 * `.txt`), the log, and — when the configuration names one — a webhook, POSTed as JSON with
 * retries and exponential backoff. A webhook that stays down is reported, never thrown: the
 * crawl's record is already stored.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MonitoringConfig } from '../crawl/config.js';
import { type MorningSummary, formatMorningSummary } from './summary.js';

export interface PublishOptions {
  dataDir?: string;
  monitoring?: MonitoringConfig;
  log?: (text: string) => void;
  /** For tests: first backoff in ms (default 1000, doubled each retry). */
  backoffMs?: number;
}

export interface Published {
  files: string[];
  webhook: { url: string; ok: boolean; attempts: number; status?: number; error?: string } | null;
}

/** Crawl ids are ours ("nightly-2026-12-04"), but keep a file name safe whatever was passed. */
const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

export async function publishSummary(s: MorningSummary, opts: PublishOptions): Promise<Published> {
  const text = formatMorningSummary(s);
  const out: Published = { files: [], webhook: null };
  if (opts.dataDir) {
    const dir = join(opts.dataDir, 'runs');
    await mkdir(dir, { recursive: true });
    const base = join(dir, `${fileSafe(s.crawlId)}.summary`);
    await writeFile(`${base}.json`, `${JSON.stringify(s, null, 2)}\n`);
    await writeFile(`${base}.txt`, text);
    out.files.push(`${base}.json`, `${base}.txt`);
  }
  opts.log?.(text);
  const hook = opts.monitoring?.webhook;
  if (hook) {
    out.webhook = await postWithRetries(hook.url, s, { retries: hook.retries, timeoutMs: hook.timeoutMs, headers: hook.headers, backoffMs: opts.backoffMs ?? 1000 });
    if (!out.webhook.ok) opts.log?.(`morning summary: webhook ${hook.url} failed after ${out.webhook.attempts} attempts: ${out.webhook.error ?? `HTTP ${out.webhook.status}`}\n`);
  }
  return out;
}

async function postWithRetries(url: string, body: unknown, o: { retries: number; timeoutMs: number; headers: Record<string, string>; backoffMs: number }): Promise<NonNullable<Published['webhook']>> {
  let last: { status?: number; error?: string } = {};
  for (let attempt = 1; attempt <= o.retries + 1; attempt++) {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...o.headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(o.timeoutMs) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { url, ok: true, attempts: attempt, status: res.status };
      last = { status: res.status };
      // A 4xx other than 408/429 will not change on retry: the URL or the token is wrong.
      if (res.status < 500 && res.status !== 408 && res.status !== 429) return { url, ok: false, attempts: attempt, ...last };
    } catch (err) {
      last = { error: err instanceof Error ? err.message : String(err) };
    }
    if (attempt <= o.retries) await new Promise((r) => setTimeout(r, o.backoffMs * 2 ** (attempt - 1)));
  }
  return { url, ok: false, attempts: o.retries + 1, ...last };
}
