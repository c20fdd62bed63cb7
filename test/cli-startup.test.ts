/**
 * Start-up: `extract` and `schema` run without loading the other commands' modules (the store,
 * the crawler, the queues, express, the browser), which were most of a one-file extract's
 * start-up; the full help (and so every other command word) loads them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

const loaded = { commands: 0 };
// Counts the loads; stands in for the real list (loading it takes seconds: that is the point).
vi.mock('../src/commands.js', () => {
  loaded.commands++;
  return { COMMANDS: [] };
});

const { main } = await import('../src/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'nianbao-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const io = () => {
  const out: string[] = [];
  return { out, io: { out: (s: string) => void out.push(s), err: () => undefined } };
};

describe('which modules a command loads', () => {
  beforeEach(() => {
    loaded.commands = 0;
    vi.resetModules();
  });

  it('extract and schema do not load the other commands', async () => {
    const file = join(dir, 'tiny.txt');
    writeFileSync(file, '一、总体情况\n');
    const a = io();
    expect(await main(['node', 'nianbao', 'extract', '--json', file], a.io)).toBe(0);
    expect(JSON.parse(a.out.join('')).source.uri).toBe(file);
    expect(await main(['node', 'nianbao', 'schema'], io().io)).toBe(0);
    expect(loaded.commands).toBe(0);
  });

  it('the full help does', async () => {
    const h = io();
    expect(await main(['node', 'nianbao', '--help'], h.io)).toBe(0);
    expect(h.out.join('')).toMatch(/extract/);
    expect(loaded.commands).toBeGreaterThan(0);
  });
});
