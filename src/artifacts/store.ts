/**
 * Content-addressed store of raw fetched bytes on the local file system. The key is the SHA-256
 * of the bytes, the same value as a record's `source.sha256`, so re-extracting a record re-reads
 * exactly the bytes it was made from.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ArtifactCorruptError, ArtifactTooLargeError } from './errors.js';
import { artifactPath } from './paths.js';

export interface ArtifactStoreOptions {
  /** Root folder; default ./data/artifacts. */
  dir?: string;
  /** Largest artifact put() accepts, in bytes; default 200 MiB. */
  maxBytes?: number;
}

export interface ArtifactStore {
  readonly dir: string;
  readonly maxBytes: number;
  /** Store the bytes (a no-op when already stored) and return their SHA-256. */
  put(bytes: Uint8Array): Promise<string>;
  /**
   * The bytes under `sha`, checked against it; null when absent. Bytes that no longer hash to
   * `sha` are moved to damaged/ and ArtifactCorruptError is thrown.
   */
  get(sha: string): Promise<Uint8Array | null>;
  has(sha: string): Promise<boolean>;
  /** Where the artifact is (or would be) on disk, e.g. for a converter that wants a file. */
  path(sha: string): string;
}

// The same digest as the extractor's source.sha256; computed here so the store does not depend on
// the extraction stack.
function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export const DEFAULT_ARTIFACT_MAX_BYTES = 200 * 1024 * 1024;

export function openArtifacts(opts: ArtifactStoreOptions = {}): ArtifactStore {
  const dir = opts.dir ?? join('data', 'artifacts');
  const maxBytes = opts.maxBytes ?? DEFAULT_ARTIFACT_MAX_BYTES;
  const tmpDir = join(dir, 'tmp');

  const has = async (sha: string): Promise<boolean> => {
    try {
      return (await stat(artifactPath(dir, sha))).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  };

  return {
    dir,
    maxBytes,
    has,
    path: (sha) => artifactPath(dir, sha),

    async put(bytes) {
      if (bytes.byteLength > maxBytes) throw new ArtifactTooLargeError(bytes.byteLength, maxBytes);
      const sha = sha256(bytes);
      const target = artifactPath(dir, sha);
      if (await has(sha)) return sha;
      // Write beside the store and rename into place: a reader never sees a half-written file,
      // and two writers of the same bytes both end with the same complete file.
      await mkdir(tmpDir, { recursive: true });
      await mkdir(dirname(target), { recursive: true });
      const tmp = join(tmpDir, `${sha}.${process.pid}.${randomBytes(6).toString('hex')}`);
      try {
        const fh = await open(tmp, 'wx');
        try {
          await fh.writeFile(bytes);
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(tmp, target);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      return sha;
    },

    async get(sha) {
      let bytes: Buffer;
      try {
        bytes = await readFile(artifactPath(dir, sha));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      // Hashing costs far less than extracting, and a damaged artifact would otherwise become a
      // plausible but wrong record.
      const actual = sha256(bytes);
      if (actual !== sha) {
        // Moved aside (kept for a look, never served again) so has() turns false: the next fetch of
        // the document is then unconditional and put() writes the good bytes back.
        const aside = join(dir, 'damaged', `${sha}.${Date.now()}`);
        await mkdir(dirname(aside), { recursive: true });
        await rename(artifactPath(dir, sha), aside).catch(() => undefined);
        throw new ArtifactCorruptError(sha, actual);
      }
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}
