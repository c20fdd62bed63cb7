/** The worker runtime's pieces that need no Redis: options from the environment, signal handlers. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchBrowserRenderer } from '../../src/fetch/browser.js';
import { poolLimitsFromEnv, resolveRuntime } from '../../src/queue/runtime.js';
import { SANDBOX_RUNTIME_ENV, sandboxRuntime } from '../../src/queue/sandbox.js';
import type { ExtractJob } from '../../src/queue/jobs.js';
import { type JobLike, type ProcessorDeps, extractProcessor } from '../../src/queue/processors.js';
import { withExtractHold } from '../../src/queue/test-hooks.js';

describe('worker runtime', () => {
  it('takes the store, data folder and schema from options, else the environment', () => {
    const env = { DATABASE_URL: 'postgres://u:p@db:5432/n', NIANBAO_DATA: '/data', NIANBAO_DB_SCHEMA: 'nb' };
    expect(resolveRuntime({ config: 'config/portals.yaml' }, env)).toEqual({ config: resolve('config/portals.yaml'), dataDir: '/data', db: 'postgres://u:p@db:5432/n', dbSchema: 'nb' });
    expect(resolveRuntime({ config: 'c.yaml', dataDir: 'd', db: 'x.sqlite' }, {})).toEqual({ config: resolve('c.yaml'), dataDir: resolve('d'), db: resolve('x.sqlite') });
  });

  it('takes the parse pool’s time limits from the environment, else leaves the defaults', () => {
    expect(poolLimitsFromEnv({ NIANBAO_PAGE_TIME_LIMIT_MS: '5000', NIANBAO_EXTRACT_TIME_LIMIT_MS: '60000' })).toEqual({ pageTimeoutMs: 5000, extractTimeoutMs: 60000 });
    expect(poolLimitsFromEnv({ NIANBAO_PAGE_TIME_LIMIT_MS: 'soon', NIANBAO_EXTRACT_TIME_LIMIT_MS: '0' })).toEqual({});
  });

  it('the extraction hold is a test-only wrapper: without NIANBAO_TEST_EXTRACT_HOLD_MS the processor is returned untouched', () => {
    expect(withExtractHold(extractProcessor, {})).toBe(extractProcessor);
    expect(withExtractHold(extractProcessor, { NIANBAO_TEST_EXTRACT_HOLD_MS: '0' })).toBe(extractProcessor);
    expect(withExtractHold(extractProcessor, { NIANBAO_TEST_EXTRACT_HOLD_MS: '500' })).not.toBe(extractProcessor);
  });

  it('the release file ends a hold at once, and a hold begun after it is not held (nor reported)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-hold-'));
    try {
      const release = join(dir, 'release');
      const progress: unknown[] = [];
      const job = { data: { url: 'u', sha256: 's' }, updateProgress: async (p: object) => progress.push(p) } as unknown as JobLike<ExtractJob>;
      const run = withExtractHold(() => async () => ({ url: 'u', outcome: 'extracted', status: 'valid', issueCodes: [] }), { NIANBAO_TEST_EXTRACT_HOLD_MS: '60000', NIANBAO_TEST_EXTRACT_RELEASE: release })({} as ProcessorDeps);
      const t0 = Date.now();
      const held = run(job);
      setTimeout(() => writeFileSync(release, ''), 200);
      await expect(held).resolves.toMatchObject({ outcome: 'extracted' });
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect(progress).toEqual([{ heldBy: process.pid }]);
      await run(job);
      expect(progress).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hands the runtime to the sandbox through its environment', () => {
    const rt = { config: '/c.yaml', dataDir: '/data', db: 'postgres://db/n' };
    expect(sandboxRuntime({ [SANDBOX_RUNTIME_ENV]: JSON.stringify(rt) })).toEqual(rt);
    expect(() => sandboxRuntime({})).toThrow(SANDBOX_RUNTIME_ENV);
  });

  it('a browser launch leaves the process its own stop signals (the worker finishes its jobs first)', async () => {
    const before = ['SIGTERM', 'SIGINT', 'SIGHUP'].map((sig) => process.listenerCount(sig));
    const renderer = await launchBrowserRenderer();
    try {
      expect(['SIGTERM', 'SIGINT', 'SIGHUP'].map((sig) => process.listenerCount(sig))).toEqual(before);
    } finally {
      await renderer.close();
    }
  }, 60_000);
});
