/**
 * The portal health judge on histories (pure), and the JavaScript-shell test on real listing pages:
 * the sample portal's script-built column and its plain ones.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needsJavaScript } from '../../src/crawl/scripted.js';
import { SAMPLE_PORTAL_DIR } from '../../src/demo/portal-server.js';
import { emptyPortalStats } from '../../src/monitor/aggregate.js';
import { type HistoryEntry, judgePortal } from '../../src/monitor/health.js';
import type { PortalRunStats } from '../../src/monitor/types.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T18:00:00Z');

function entry(runId: number, day: number, s: Partial<PortalRunStats>): HistoryEntry {
  return { runId, crawlId: `nightly-${runId}`, startedAt: new Date(T0 + day * DAY).toISOString(), stats: { ...emptyPortalStats('p'), discovered: true, listingPages: 1, ...s } };
}
const good = (runId: number, day: number, extra: Partial<PortalRunStats> = {}) => entry(runId, day, { reportsFound: 20, listingLinks: 20, notModified: 20, ...extra });

describe('the health judge', () => {
  it('says nothing of a healthy portal, nor of one that never found anything (no history to break)', () => {
    expect(judgePortal(good(3, 2), [good(2, 1), good(1, 0)])).toEqual([]);
    expect(judgePortal(entry(3, 2, {}), [entry(2, 1, {}), entry(1, 0, {})])).toEqual([]);
  });

  it('robots.txt newly disallowing the column is one alert, ahead of the zero reports it causes', () => {
    const f = judgePortal(entry(2, 1, { listingPages: 0, robotsBlocked: ['https://x.gov.cn/ndbg/'] }), [good(1, 0)]);
    expect(f).toEqual([expect.objectContaining({ kind: 'robots_disallowed', evidence: expect.objectContaining({ blocked: ['https://x.gov.cn/ndbg/'], lastGood: expect.objectContaining({ runId: 1, reportsFound: 20 }) }) })]);
  });

  it('a listing that is down (5xx) is zero_reports with the listing error as evidence', () => {
    const f = judgePortal(entry(2, 1, { listingErrors: [{ url: 'u', reason: 'http_5xx', status: 503 }], failures: { http_5xx: 1 } }), [good(1, 0)]);
    expect(f.map((x) => x.kind)).toEqual(['zero_reports']);
  });

  it('a sudden share of failures, against a previous run that had few', () => {
    const now = good(3, 2, { notModified: 4, fetchFailed: 16, failures: { timeout: 16 } });
    expect(judgePortal(now, [good(2, 1), good(1, 0)]).map((x) => x.kind)).toEqual(['failure_share']);
    // Failing as much the night before: not sudden, already known.
    expect(judgePortal(now, [good(2, 1, { notModified: 4, fetchFailed: 16 })])).toEqual([]);
  });

  it('a listing that stops changing for far longer than usual', () => {
    // The listing changed every ~7 days for two months, then not for 40 days.
    const history: HistoryEntry[] = [];
    let id = 1;
    for (let d = 0; d <= 56; d++) history.push(good(id++, d, { listingChanged: d % 7 === 0 }));
    for (let d = 57; d < 96; d++) history.push(good(id++, d));
    const latest = [...history].reverse();
    const f = judgePortal(good(id, 96), latest);
    expect(f).toEqual([expect.objectContaining({ kind: 'listing_stale', evidence: expect.objectContaining({ usualDays: 7, changesSeen: 9 }) })]);
    // Within the usual rhythm: nothing.
    expect(judgePortal(good(58, 57), [...history.slice(0, 57)].reverse())).toEqual([]);
  });
});

describe('needsJavaScript on real listing pages', () => {
  const page = (p: string) => readFileSync(join(SAMPLE_PORTAL_DIR, 'site', p), 'utf8');
  it('the sample portal column built by a script from data.json is a shell', () => {
    expect(needsJavaScript(page('jsgk/ndbg/index.html'))).toBe(true);
  });
  it('its plain listing columns are not', () => {
    expect(needsJavaScript(page('zwgk/ndbg/index.html'))).toBe(false);
    expect(needsJavaScript(page('bmxxgk/ndbg/index.html'))).toBe(false);
  });
});
