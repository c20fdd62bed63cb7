/**
 * The early start of `nianbao extract` (src/pool/start.ts): bin/nianbao.js starts the parse
 * pool's first thread before the CLI loads; `extract` takes that pool over and prints exactly what
 * it prints without it; a command that does not run `extract` stops it; other words start none.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { commandWord, discardEarly, earlyWaiting, startEarly, takeEarly, threadEntry } from '../../src/pool/start.js';
import { generateReport } from '../fixtures/report.js';
import { renderTabRows } from '../fixtures/render-text.js';

const dir = mkdtempSync(join(tmpdir(), 'nianbao-early-'));
afterAll(async () => {
  await discardEarly();
  rmSync(dir, { recursive: true, force: true });
});

const run = async (argv: string[]) => {
  const out: string[] = [];
  const code = await main(['node', 'nianbao', ...argv], { out: (s) => void out.push(s), err: () => undefined });
  return { code, out: out.join('') };
};

describe('early start of extract’s parse thread', () => {
  it('extract takes the early pool over and prints the same lines as without it, in order', async () => {
    const files = [1, 2, 3].map((seed) => {
      const f = join(dir, `r${seed}.txt`);
      writeFileSync(f, renderTabRows(generateReport(seed, { blankZeros: 0.3 })));
      return f;
    });
    const argv = ['extract', '--json', '-j', '2', ...files, join(dir, 'missing.txt')];
    const plain = await run(argv);
    startEarly(['node', 'nianbao', ...argv]);
    expect(earlyWaiting()).toBe(true);
    const early = await run(argv);
    expect(earlyWaiting()).toBe(false);
    expect(early).toEqual(plain);
    expect(plain.out.split('\n')).toHaveLength(5);
  });

  it('a usage error or --help stops the early pool; other command words start none', async () => {
    startEarly(['node', 'nianbao', 'extract', '--help']);
    expect(earlyWaiting()).toBe(true);
    expect((await run(['extract', '--help'])).code).toBe(0);
    expect(earlyWaiting()).toBe(false);
    startEarly(['node', 'nianbao', 'extract']);
    expect((await run(['extract'])).code).toBe(2);
    expect(earlyWaiting()).toBe(false);
    for (const word of ['schema', 'export', 'worker']) {
      startEarly(['node', 'nianbao', word]);
      expect(earlyWaiting()).toBe(false);
    }
  });

  it('a pool of other limits does not take the early pool', async () => {
    startEarly(['node', 'nianbao', 'extract', 'x']);
    expect(takeEarly({ threads: 1, maxHeapMb: 512, idleTimeoutMs: 30_000 })).toBeUndefined();
    expect(earlyWaiting()).toBe(false);
    expect(commandWord(['node', 'nianbao', '--json', 'extract'])).toBe('extract');
  });

  it('compiled threads inherit the parent’s options instead of a list Node would parse again', () => {
    // A list given to a Worker is validated, and V8 flags in it are refused: `node --trace-opt
    // bin/nianbao.js extract …` stopped with "invalid execArgv flags" before the first file.
    expect(threadEntry('file:///x/dist/src/pool/start.js')).toEqual({ filename: 'file:///x/dist/src/pool/thread.js', execArgv: undefined });
    // From the sources the thread loads tsx itself (thread-dev.mjs): nothing is inherited.
    expect(threadEntry('file:///x/src/pool/start.ts').execArgv).toEqual([]);
  });
});
