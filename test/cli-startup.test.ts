/**
 * Start-up: `extract` and `schema` run without loading the other commands' modules (the store,
 * the crawler, the queues, express, the browser), which were most of a one-file extract's
 * start-up; the full help (and so every other command word) loads them. `extract` runs in the
 * parse pool's threads, so the calling thread loads neither the extraction core nor zod; a thread
 * loads only what its task needs; HTML is parsed without cheerio's main entry (undici and its
 * URL loaders).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

const loaded = { commands: 0, extractor: 0, build: 0, schema: 0, discover: 0, cheerio: 0, htmlparser2: 0 };
// Counts the loads; stands in for the real list (loading it takes seconds: that is the point).
vi.mock('../src/commands.js', () => {
  loaded.commands++;
  return { COMMANDS: [] };
});
// The real modules, counted.
vi.mock('../src/extractor.js', async (real) => {
  loaded.extractor++;
  return await real();
});
vi.mock('../src/record/build.js', async (real) => {
  loaded.build++;
  return await real();
});
vi.mock('../src/validate/schema.js', async (real) => {
  loaded.schema++;
  return await real();
});
vi.mock('../src/crawl/discover.js', async (real) => {
  loaded.discover++;
  return await real();
});
vi.mock('cheerio', async (real) => {
  loaded.cheerio++;
  return await real();
});
vi.mock('htmlparser2', async (real) => {
  loaded.htmlparser2++;
  return await real();
});

const dir = mkdtempSync(join(tmpdir(), 'nianbao-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const io = () => {
  const out: string[] = [];
  return { out, io: { out: (s: string) => void out.push(s), err: () => undefined } };
};
const reset = () => {
  for (const k of Object.keys(loaded) as (keyof typeof loaded)[]) loaded[k] = 0;
  vi.resetModules();
};

describe('which modules a command loads', () => {
  beforeEach(reset);

  it('extract loads neither the other commands nor, in the calling thread, the extraction core or zod; a file that cannot be read loads the record builder for its failed record', async () => {
    const { main } = await import('../src/cli.js');
    const file = join(dir, 'tiny.txt');
    writeFileSync(file, '一、总体情况\n');
    const a = io();
    expect(await main(['node', 'nianbao', 'extract', '--json', file], a.io)).toBe(0);
    expect(JSON.parse(a.out.join('')).source.uri).toBe(file);
    expect(loaded).toMatchObject({ commands: 0, extractor: 0, build: 0, schema: 0 });
    const b = io();
    expect(await main(['node', 'nianbao', 'extract', '--json', join(dir, 'no-such-file.txt')], b.io)).toBe(0);
    expect(JSON.parse(b.out.join('')).issues[0].code).toBe('unreadable');
    expect(loaded).toMatchObject({ commands: 0, extractor: 0, build: 1, schema: 0 });
  });

  it('schema loads zod and not the other commands', async () => {
    const { main } = await import('../src/cli.js');
    const a = io();
    expect(await main(['node', 'nianbao', 'schema'], a.io)).toBe(0);
    expect(JSON.parse(a.out.join('')).properties.schemaVersion).toBeDefined();
    expect(loaded).toMatchObject({ commands: 0, extractor: 0, schema: 1 });
  });

  it('another command loads its own module, not the full list', async () => {
    const { main } = await import('../src/cli.js');
    const h = io();
    expect(await main(['node', 'nianbao', 'export', '--help'], h.io)).toBe(0);
    expect(h.out.join('')).toMatch(/Usage: nianbao export/);
    expect(loaded).toMatchObject({ commands: 0, extractor: 0 });
  });

  it('the full help loads the other commands', async () => {
    const { main } = await import('../src/cli.js');
    const h = io();
    expect(await main(['node', 'nianbao', '--help'], h.io)).toBe(0);
    expect(h.out.join('')).toMatch(/extract/);
    expect(loaded.commands).toBeGreaterThan(0);
  });
});

describe('what a pool thread loads', () => {
  beforeEach(reset);

  // A module's factory runs once per file (vi.resetModules does not evaluate it again), so each
  // load is asserted by the first test that makes it.
  it('an extract task loads the extraction core and not the crawler; a text dump loads no HTML parser', async () => {
    const { default: run } = await import('../src/pool/thread.js');
    const answer = await run({ kind: 'extract', bytes: new TextEncoder().encode('一、总体情况\n二、主动公开政府信息情况\n'), input: { uri: 'dump.txt' } });
    expect(answer.ok).toBe(true);
    expect(loaded).toMatchObject({ extractor: 1, discover: 0, htmlparser2: 0, cheerio: 0, schema: 0 });
  });

  it('HTML does not load cheerio\'s main entry', async () => {
    const { default: run } = await import('../src/pool/thread.js');
    const bytes = readFileSync('samples/html/utf8-2019-plain.html');
    const answer = await run({ kind: 'extract', bytes, input: { uri: 'plain.html' } });
    expect(answer.ok && (answer.value as { status: string }).status).toBe('valid');
    expect(loaded).toMatchObject({ cheerio: 0, schema: 0 });
  });

  it('a listing task loads the crawler', async () => {
    const { default: run } = await import('../src/pool/thread.js');
    const answer = await run({ kind: 'listing', html: '<html><body><a href="/a.html">2020年政府信息公开工作年度报告</a></body></html>', url: 'https://example.gov.cn/list.html', selectors: {} });
    expect(answer.ok).toBe(true);
    expect(loaded).toMatchObject({ discover: 1 });
  });
});
