/**
 * End-to-end throughput of local mode (discover → fetch → extract → store, SQLite): reports per
 * second on the offline sample portal (its nine reports in HTML, PDF and DOCX, the JavaScript
 * listing rendered by Chromium when it is installed) and on a farm of 50 loopback portals with
 * 500 inline reports (test/faults/farm.ts). Each cold (an empty store) and again the next
 * "night" (conditional requests, nothing re-extracted).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { samplePortals } from '../src/demo/portal-config.js';
import { startPortalServer } from '../src/demo/portal-server.js';
import { openContext } from '../src/pipeline/context.js';
import { type ProgressEvent, runLocal } from '../src/pipeline/local.js';
import type { RunSummary } from '../src/pipeline/summary.js';
import { openStore } from '../src/store/index.js';
import { startFarm } from '../test/faults/farm.js';
import { openPipeline } from '../test/faults/harness.js';

export interface RunNumbers {
  reports: number;
  seconds: number;
  reportsPerSecond: number;
  /** Discover + fetch, until the last document was fetched. */
  crawlSeconds: number;
  extractSeconds: number;
  valid: number;
  flagged: number;
  failed: number;
}

export interface PipelineBench {
  samplePortal: { portals: string[]; cold: RunNumbers; nextNight: RunNumbers };
  farm500: { hosts: number; cold: RunNumbers; nextNight: RunNumbers };
}

/** Times a run's phases from its progress events: the fetch phase ends when extraction is queued. */
function phaseClock(): { onProgress: (e: ProgressEvent) => void; split: () => { crawl: number; extract: number } } {
  const t0 = performance.now();
  let fetchDone = 0;
  return {
    onProgress: (e) => {
      if (e.type === 'queued' && e.stage === 'extract') fetchDone = performance.now();
    },
    split: () => ({ crawl: (fetchDone - t0) / 1000, extract: (performance.now() - fetchDone) / 1000 }),
  };
}

function numbers(s: RunSummary, reports: number, phases: { crawl: number; extract: number }): RunNumbers {
  return { reports, seconds: s.seconds, reportsPerSecond: reports / s.seconds, crawlSeconds: phases.crawl, extractSeconds: phases.extract, valid: s.valid, flagged: s.flagged, failed: s.failed };
}

async function samplePortal(): Promise<PipelineBench['samplePortal']> {
  const server = await startPortalServer();
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-bench-pipeline-'));
  const store = await openStore({ url: join(dir, 'nianbao.sqlite'), env: {} });
  // The JavaScript-built listing needs Chromium; without it that portal is left out.
  const portals = (await samplePortals(server.baseUrl)).filter((p) => p.render === 'http' || existsSync('/usr/bin/chromium'));
  const ctx = await openContext({ portals, dataDir: dir, store });
  try {
    const run = async () => {
      const clock = phaseClock();
      const s = await runLocal(ctx, { portals, onProgress: clock.onProgress });
      return numbers(s, s.reportsFound, clock.split());
    };
    const cold = await run();
    const nextNight = await run();
    return { portals: portals.map((p) => p.id), cold, nextNight };
  } finally {
    await ctx.close();
    await store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function farm500(): Promise<PipelineBench['farm500']> {
  const farm = await startFarm({ hosts: 50, reportsPerHost: 10 });
  const p = await openPipeline(farm.portals, { fetcher: farm.fetcher, limiter: farm.limiter });
  try {
    const run = async () => {
      const clock = phaseClock();
      const s = await p.run({ portalConcurrency: 50, fetchConcurrency: 8, onProgress: clock.onProgress });
      return numbers(s, s.reportsFound, clock.split());
    };
    const cold = await run();
    const nextNight = await run();
    if ((await p.counts()).records !== farm.expected.size) throw new Error(`the farm run stored ${(await p.counts()).records} of ${farm.expected.size} records`);
    return { hosts: farm.hosts.length, cold, nextNight };
  } finally {
    await p.close();
    await farm.close();
  }
}

export async function benchPipeline(): Promise<PipelineBench> {
  return { samplePortal: await samplePortal(), farm500: await farm500() };
}
