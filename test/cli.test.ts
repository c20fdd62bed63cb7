/** `nianbao extract` as a shell user runs it: records in input order, exit codes. */
import { execFileSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { extractRecord } from '../src/extractor.js';

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['node', 'nianbao', ...args], { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err, records: out.trim() ? out.trim().split('\n').map((l) => JSON.parse(l) as { source: { uri: string }; status: string; issues: { code: string }[] }) : [] };
}

const good = 'samples/html/utf8-2019-plain.html';
const missing = 'samples/html/no-such-report.html';

describe('nianbao extract', () => {
  it('prints one JSON record per file, in input order, with source.uri as given; a missing file is a failed record and the exit code stays 0', async () => {
    const r = await run('extract', '--json', '-j', '2', missing, good, `./${good}`);
    expect(r.code).toBe(0);
    expect(r.records.map((x) => x.source.uri)).toEqual([missing, good, `./${good}`]);
    expect(r.records.map((x) => x.status)).toEqual(['failed', 'valid', 'valid']);
    expect(r.records[0]!.issues[0]!.code).toBe('unreadable');
  });

  it('a directory and a named pipe are read like files: the directory is an unreadable record saying so, the pipe is read to its end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-'));
    try {
      const pipe = join(dir, 'report.pipe');
      execFileSync('mkfifo', [pipe]);
      // This thread writes the pipe: a synchronous read of it would block the thread that must
      // write, and never end.
      const written = open(pipe, 'w').then(async (fh) => {
        await fh.writeFile(readFileSync(good));
        await fh.close();
      });
      const r = await run('extract', '--json', dir, pipe, good);
      await written;
      expect(r.records.map((x) => x.status)).toEqual(['failed', 'valid', 'valid']);
      expect(r.out).toContain(`Cannot read ${dir}: is a directory.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--strict exits 1 when any record failed, and still prints every record', async () => {
    const bad = await run('extract', '--json', '--strict', good, missing);
    expect(bad.code).toBe(1);
    expect(bad.records).toHaveLength(2);
    expect(bad.err).toContain('1 of 2 records failed');
    const ok = await run('extract', '--json', '--strict', good);
    expect(ok.code).toBe(0);
  });

  it('a hostile file (100,000 nested tables) is a too_complex record among the others, in order, and the same records as extraction in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-cli-'));
    const deep = join(dir, 'deep.html');
    writeFileSync(deep, `<html><body>${'<table><tr><td>'.repeat(100_000)}</body></html>`);
    try {
      const r = await run('extract', '--json', good, deep, good);
      expect(r.records.map((x) => x.status)).toEqual(['valid', 'failed', 'valid']);
      expect(r.records[1]!.issues.map((i) => i.code)).toEqual(['too_complex']);
      expect(r.out.split('\n')[0]).toBe(JSON.stringify(await extractRecord(readFileSync(good), { uri: good })));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('exits 2 on a usage error', async () => {
    expect((await run('extract')).code).toBe(2);
    expect((await run('extract', '--no-such-flag', good)).code).toBe(2);
  });
});
