import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProgressEvent } from '../../src/pipeline/local.js';
import { ProgressTally, progressDisplay } from '../../src/pipeline/progress.js';

const T0 = Date.parse('2026-12-04T02:00:00Z');
const fetched = (url: string): ProgressEvent => ({ type: 'fetch', result: { url, outcome: 'fetched', sha256: 'a'.repeat(64), changed: true, bytes: 10 } });

function logStream() {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => lines.push(...s.split('\n').filter(Boolean)) } as unknown as NodeJS.WriteStream;
  return { lines, stream };
}

describe('progress without a terminal', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('prints a timestamped status line per interval while work moves, with counts, rate and ETA', () => {
    const { lines, stream } = logStream();
    const d = progressDisplay(stream, { intervalSeconds: 5 });
    d.onProgress({ type: 'portal', portalId: 'p1', phase: 'start' });
    for (let i = 0; i < 12; i++) d.onProgress({ type: 'page', portalId: 'p1', url: `https://a.gov.cn/list_${i}.html` });
    d.onProgress({ type: 'portal', portalId: 'p1', phase: 'done', result: { portalId: 'p1', urls: ['u1', 'u2', 'u3', 'u4'], newUrls: ['u4'], counters: {} as never, errors: [], skipped: [], listings: [], prefetched: [] } });
    d.onProgress({ type: 'queued', stage: 'fetch', count: 40 });
    vi.advanceTimersByTime(5_000);
    for (let i = 0; i < 10; i++) d.onProgress(fetched(`https://a.gov.cn/r${i}.pdf`));
    vi.advanceTimersByTime(5_000);
    // Nothing moved: no new line.
    vi.advanceTimersByTime(15_000);
    d.stop();
    expect(lines[0]).toBe('2026-12-04T02:00:00.000Z crawling p1');
    expect(lines[1]).toBe('2026-12-04T02:00:00.000Z crawled p1: 4 reports (1 new)');
    expect(lines[2]).toBe('2026-12-04T02:00:05.000Z discover 1/1 portals, 12 pages, 4 reports · fetch 0/40');
    // 10 fetched in the 10 s since fetching was queued: 1/s, 30 left.
    expect(lines[3]).toBe('2026-12-04T02:00:10.000Z discover 1/1 portals, 12 pages, 4 reports · fetch 10/40, 1.0/s, ETA 30 s');
    expect(lines).toHaveLength(4);
  });

  it('says every failure at once, with its reason and URL', () => {
    const { lines, stream } = logStream();
    const d = progressDisplay(stream, { intervalSeconds: 60 });
    d.onProgress({ type: 'queued', stage: 'fetch', count: 2 });
    d.onProgress({ type: 'fetch', result: { url: 'https://a.gov.cn/gone.pdf', outcome: 'failed', reason: 'http_404', message: 'Not Found', permanent: true } });
    d.onProgress({ type: 'queued', stage: 'extract', count: 1 });
    d.onProgress({ type: 'extract', result: { url: 'https://a.gov.cn/x.pdf', outcome: 'extracted', status: 'failed', issueCodes: ['encrypted'] } });
    expect(lines).toEqual(['2026-12-04T02:00:00.000Z fetch failed: http_404 https://a.gov.cn/gone.pdf', '2026-12-04T02:00:00.000Z extract failed: encrypted https://a.gov.cn/x.pdf']);
    d.stop();
    expect(lines[2]).toContain('fetch 1/2, 1 failed');
    expect(lines[2]).toContain('extract 1/1, 1 failed, 0 valid, 0 flagged');
  });
});

describe('ProgressTally', () => {
  it('counts fetches portal by portal and extraction once, and gives no ETA before anything is done', () => {
    let now = T0;
    const t = new ProgressTally(() => now);
    t.add({ type: 'queued', stage: 'fetch', count: 3 });
    t.add({ type: 'queued', stage: 'fetch', count: 5 });
    expect(t.stageLine('fetch')).toBe('fetch 0/8');
    now += 2_000;
    t.add(fetched('u'));
    expect(t.stageLine('fetch')).toBe('fetch 1/8, 0.5/s, ETA 14 s');
    t.add({ type: 'queued', stage: 'extract', count: 1 });
    t.add({ type: 'extract', result: { url: 'u', outcome: 'extracted', status: 'valid', issueCodes: [] } });
    expect(t.stageLine('extract')).toBe('extract 1/1, 1 valid, 0 flagged');
  });
});
