/** Where an artifact lives: `<dir>/ab/cd/<sha256>`, two levels so no folder holds millions of files. */
import { join } from 'node:path';
import { InvalidArtifactKeyError } from './errors.js';

const SHA256_RE = /^[0-9a-f]{64}$/;

export function isSha256(key: string): boolean {
  return SHA256_RE.test(key);
}

/** The path of an artifact under `dir`. Throws on anything but a SHA-256, so a key never escapes `dir`. */
export function artifactPath(dir: string, sha: string): string {
  if (!isSha256(sha)) throw new InvalidArtifactKeyError(sha);
  return join(dir, sha.slice(0, 2), sha.slice(2, 4), sha);
}
