/** The content-addressed artifact store on a temp dir, with a real PDF report as the bytes. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactCorruptError, ArtifactTooLargeError, InvalidArtifactKeyError, artifactPath, openArtifacts } from '../../src/artifacts/index.js';
import { extractRecord } from '../../src/extractor.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';

const hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('artifact store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nianbao-artifacts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!sharedAvailable())('stores a real report under ab/cd/<sha256>, the key records carry as source.sha256', async () => {
    const bytes = new Uint8Array(readFileSync(sharedPath('real-fetched', '009.pdftext.txt')));
    const store = openArtifacts({ dir });
    const sha = await store.put(bytes);
    expect(sha).toBe(hex(bytes));
    const record = await extractRecord(bytes, { uri: 'https://x/009' });
    expect(sha).toBe(record.source.sha256);
    expect(store.path(sha)).toBe(join(dir, sha.slice(0, 2), sha.slice(2, 4), sha));
    expect(readFileSync(store.path(sha)).equals(Buffer.from(bytes))).toBe(true);
    expect(await store.has(sha)).toBe(true);
    expect(Buffer.from((await store.get(sha))!).equals(Buffer.from(bytes))).toBe(true);
    // Nothing left behind in the temp folder.
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('re-putting identical bytes is a no-op: the file is not rewritten', async () => {
    const store = openArtifacts({ dir });
    const bytes = new TextEncoder().encode('二、主动公开政府信息情况');
    const sha = await store.put(bytes);
    const before = statSync(store.path(sha));
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.put(new Uint8Array(bytes))).toBe(sha);
    expect(statSync(store.path(sha)).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(store.path(sha)).ino).toBe(before.ino);
  });

  it('concurrent puts of the same bytes end with one complete file', async () => {
    const store = openArtifacts({ dir });
    const bytes = new Uint8Array(256 * 1024).map((_, i) => (i * 31) % 251);
    const shas = await Promise.all(Array.from({ length: 8 }, () => store.put(bytes)));
    expect(new Set(shas).size).toBe(1);
    expect(readFileSync(store.path(shas[0]!)).length).toBe(bytes.length);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it('absent keys: has false, get null', async () => {
    const store = openArtifacts({ dir });
    expect(await store.has('0'.repeat(64))).toBe(false);
    expect(await store.get('0'.repeat(64))).toBeNull();
  });

  it('refuses more than maxBytes, writing nothing', async () => {
    const store = openArtifacts({ dir, maxBytes: 1000 });
    await expect(store.put(new Uint8Array(1000))).resolves.toMatch(/^[0-9a-f]{64}$/);
    const err = await store.put(new Uint8Array(1001)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtifactTooLargeError);
    expect((err as ArtifactTooLargeError).code).toBe('too_large');
    expect(await store.has(hex(new Uint8Array(1001)))).toBe(false);
  });

  it('a key that is not a SHA-256 never names a path', async () => {
    const store = openArtifacts({ dir });
    for (const key of ['../../etc/passwd', 'A'.repeat(64), 'a'.repeat(63), '']) {
      expect(() => artifactPath(dir, key)).toThrow(InvalidArtifactKeyError);
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidArtifactKeyError);
      await expect(store.has(key)).rejects.toBeInstanceOf(InvalidArtifactKeyError);
    }
  });

  it('damaged bytes on disk are reported, not returned', async () => {
    const store = openArtifacts({ dir });
    const sha = await store.put(new TextEncoder().encode('总计 12'));
    writeFileSync(store.path(sha), '总计 13');
    const err = await store.get(sha).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtifactCorruptError);
    expect((err as ArtifactCorruptError).actual).toBe(hex(new TextEncoder().encode('总计 13')));
    // Moved aside, never served again; the same bytes put again restore it.
    expect(existsSync(store.path(sha))).toBe(false);
    expect(readdirSync(join(dir, 'damaged'))).toEqual([expect.stringMatching(new RegExp(`^${sha}\\.\\d+$`))]);
    expect(await store.has(sha)).toBe(false);
    await store.put(new TextEncoder().encode('总计 12'));
    expect(new TextDecoder().decode((await store.get(sha))!)).toBe('总计 12');
  });
});
