/**
 * .doc/.wps conversions asked for together share one LibreOffice run, and each record is the
 * one the file gives alone — including a file LibreOffice cannot convert in the middle of a batch.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { extractRecord } from '../../src/extractor.js';
import { BATCH_MAX, SOFFICE_ENV, findSoffice } from '../../src/extract/docx/soffice.js';
import { listSamples } from '../helpers/samples.js';

const realSoffice = findSoffice();
const dir = mkdtempSync(join(tmpdir(), 'nianbao-batch-soffice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A soffice that logs how many files each run was given, then runs the real one. */
function countingSoffice(log: string): string {
  const path = join(dir, 'soffice');
  writeFileSync(path, `#!/bin/sh\nn=0\nfor a; do case "$a" in *-input.*) n=$((n+1));; esac; done\necho $n >> ${log}\nexec ${realSoffice} "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

/** The record without what differs between two extractions of the same bytes under another name. */
const comparable = (r: object) => JSON.parse(JSON.stringify(r, (k, v) => (k === 'uri' || k === 'reportId' ? undefined : v))) as unknown;

describe.skipIf(!realSoffice)('LibreOffice batches', () => {
  it('four files at once: one run, and the records each file gives alone', async () => {
    const samples = [...listSamples('doc'), ...listSamples('wps')];
    const files = samples.map((s) => readFileSync(s.file));
    // A damaged .doc inside the batch: an OLE2 header, the Word stream's name, nothing readable.
    const damaged = Buffer.concat([files[0]!.subarray(0, 4096), Buffer.alloc(4096, 0x41), Buffer.from('WordDocument', 'utf16le')]);
    const inputs = [files[0]!, damaged, files[1]!, files[2]!];
    await withCountingSoffice(async (log) => {
      const together = await Promise.all(inputs.map((b, i) => extractRecord(b, { uri: `t${i}.doc` })));
      const runs = readFileSync(log, 'utf8').trim().split('\n').map(Number);
      expect(runs[0]).toBe(4);
      writeFileSync(log, '');
      const alone: object[] = [];
      for (const [i, b] of inputs.entries()) alone.push(await extractRecord(b, { uri: `a${i}.doc` }));
      expect(readFileSync(log, 'utf8').trim().split('\n').map(Number)).toEqual([1, 1, 1, 1]);
      expect(together.map(comparable)).toEqual(alone.map(comparable));
      expect(together[1]!.status).toBe('failed');
      expect(together.filter((r) => r.status !== 'failed')).toHaveLength(3);
    });
  }, 240_000);

  it('`extract` over many files: conversions batched across the pool threads, each record the one its file gives alone', async () => {
    const samples = [...listSamples('doc'), ...listSamples('wps')];
    const files = samples.map((s) => readFileSync(s.file));
    const damaged = Buffer.concat([files[0]!.subarray(0, 4096), Buffer.alloc(4096, 0x41), Buffer.from('WordDocument', 'utf16le')]);
    // Eight files, the damaged one among them: more than one pool thread takes one file at a time.
    const inputs = [...files, damaged, ...files.slice(0, 3)];
    const paths = inputs.map((b, i) => {
      const p = join(dir, `e${i}.doc`);
      writeFileSync(p, b);
      return p;
    });
    await withCountingSoffice(async (log) => {
      let out = '';
      const code = await main(['node', 'nianbao', 'extract', '-j', '4', '--json', ...paths], { out: (s) => (out += s), err: () => {} });
      expect(code).toBe(0);
      const runs = readFileSync(log, 'utf8').trim().split('\n').map(Number);
      // Runs shared by several files (the pool's threads each take one file at a time).
      expect(runs.length).toBeLessThan(inputs.length);
      expect(Math.max(...runs)).toBeGreaterThan(1);
      expect(Math.max(...runs)).toBeLessThanOrEqual(BATCH_MAX);
      const records = out.trim().split('\n').map((l) => JSON.parse(l) as { source: { uri: string }; status: string; issues: Array<{ code: string; severity: string }> });
      expect(records.map((r) => r.source.uri)).toEqual(paths);
      const alone: object[] = [];
      for (const [i, b] of inputs.entries()) alone.push(await extractRecord(b, { uri: paths[i]! }));
      expect(records.map(comparable)).toEqual(alone.map(comparable));
      expect(records.map((r) => r.status === 'failed')).toEqual(inputs.map((b) => b === damaged));
      expect(records[4]!.issues.filter((i) => i.severity === 'error').length).toBeGreaterThan(0);
    });
  }, 300_000);
});

/** Run `fn` with soffice replaced by one that logs each run's file count to the file it is given. */
async function withCountingSoffice(fn: (log: string) => Promise<void>): Promise<void> {
  const log = join(dir, 'runs');
  writeFileSync(log, '');
  const saved = process.env[SOFFICE_ENV];
  process.env[SOFFICE_ENV] = countingSoffice(log);
  try {
    await fn(log);
  } finally {
    if (saved === undefined) delete process.env[SOFFICE_ENV];
    else process.env[SOFFICE_ENV] = saved;
  }
}
