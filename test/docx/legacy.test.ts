/**
 * .doc/.wps through LibreOffice: a missing converter, a converter that hangs (killed with its
 * children at the time limit), one that fails, and conversions running side by side.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { SOFFICE_ENV, findSoffice, sweepStaleTempDirs } from '../../src/extract/docx/soffice.js';
import { assertSample, listSamples } from '../helpers/samples.js';

const docSample = listSamples('doc')[0]!;
const docBytes = readFileSync(docSample.file);
const realSoffice = findSoffice();
const saved = process.env[SOFFICE_ENV];
const dir = mkdtempSync(join(tmpdir(), 'nianbao-fake-soffice-'));

afterEach(() => {
  if (saved === undefined) delete process.env[SOFFICE_ENV];
  else process.env[SOFFICE_ENV] = saved;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeSoffice(name: string, script: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Running (a killed process waiting to be reaped by init, a zombie, counts as gone). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};

describe('LibreOffice not installed', () => {
  it('a .doc becomes a failed record saying to install LibreOffice', async () => {
    process.env[SOFFICE_ENV] = join(dir, 'no-such-soffice');
    const rec = await extractRecord(docBytes, { uri: 'report.doc' });
    expect(rec.status).toBe('failed');
    expect(rec.source.format).toBe('doc');
    expect(rec.issues.map((i) => i.code)).toEqual(['converter_missing']);
    expect(rec.issues[0]!.message).toMatch(/Install LibreOffice/);
  });

  it('so does a .wps', async () => {
    process.env[SOFFICE_ENV] = '';
    const wps = listSamples('wps').find((s) => s.expected.made.format === 'wps')!;
    const rec = await extractRecord(readFileSync(wps.file), { uri: 'report.wps' });
    expect(rec.source.format).toBe('wps');
    expect(rec.issues.map((i) => i.code)).toEqual(['converter_missing']);
  });
});

describe('a converter that misbehaves', () => {
  it('one that hangs is killed, with its children, at the time limit', async () => {
    const pids = join(dir, 'pids');
    process.env[SOFFICE_ENV] = fakeSoffice('hang', `echo $$ > ${pids}\nsleep 30 &\necho $! >> ${pids}\nwait`);
    const t0 = Date.now();
    const rec = await extractRecord(docBytes, { uri: 'slow.doc', limits: { convertTimeoutMs: 500 } });
    expect(Date.now() - t0).toBeLessThan(10_000); // the fake converter would hang for 30 s
    expect(rec.status).toBe('failed');
    expect(rec.issues.map((i) => i.code)).toEqual(['unreadable']);
    expect(rec.issues[0]!.message).toMatch(/did not finish converting the file within 1 s/);
    const [shell, sleeper] = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    for (let i = 0; i < 100 && (alive(shell!) || alive(sleeper!)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(shell!)).toBe(false);
    expect(alive(sleeper!)).toBe(false);
  });

  it('one that fails without output is reported as corrupt, with what it said', async () => {
    process.env[SOFFICE_ENV] = fakeSoffice('fail', 'echo "Error: source file could not be loaded" >&2\nexit 1');
    const rec = await extractRecord(docBytes, { uri: 'broken.doc' });
    expect(rec.issues.map((i) => i.code)).toEqual(['corrupt']);
    expect(rec.issues[0]!.message).toContain('source file could not be loaded');
  });

  it('temporary folders of processes that died are swept, those of live ones kept', () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const dead = spawnSync('true').pid!;
    for (const name of [`nianbao-lo-profile-${dead}-a`, `nianbao-lo-job-${dead}-b`, `nianbao-lo-profile-${process.pid}-c`, `nianbao-lo-profile-${process.ppid}-d`, 'unrelated-1-x']) mkdirSync(join(tmp, name));
    expect(sweepStaleTempDirs(tmp).sort()).toEqual([`nianbao-lo-job-${dead}-b`, `nianbao-lo-profile-${dead}-a`]);
    expect(readdirSync(tmp).sort()).toEqual([`nianbao-lo-profile-${process.pid}-c`, `nianbao-lo-profile-${process.ppid}-d`, 'unrelated-1-x'].sort());
  });

  it('its temporary files are removed', async () => {
    process.env[SOFFICE_ENV] = fakeSoffice('outdir', `for a; do last="$a"; done\necho "$last" > ${join(dir, 'input-path')}\nexit 1`);
    await extractRecord(docBytes, { uri: 'x.doc' });
    const input = readFileSync(join(dir, 'input-path'), 'utf8').trim();
    expect(input).toMatch(/input\.doc$/);
    expect(existsSync(input)).toBe(false);
  });
});

describe.skipIf(!realSoffice)('LibreOffice conversions side by side', () => {
  it('two .doc and a .wps converted at once do not collide', async () => {
    const samples = [...listSamples('doc'), ...listSamples('wps')].slice(0, 3);
    const recs = await Promise.all(samples.map((s) => extractRecord(readFileSync(s.file), { uri: s.file })));
    recs.forEach((rec, i) => assertSample(rec, samples[i]!.expected));
  }, 120_000);
});
