/**
 * The project's shared material (../shared beside the clone in CI). A user's clone has none:
 * tests that need it skip, saying why.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const candidates = [process.env.NIANBAO_SHARED, join(ROOT, '../shared')].filter(Boolean) as string[];

export const SHARED_DIR: string | null = candidates.find((d) => existsSync(join(d, 'spec/record.md'))) ?? null;
export const SHARED_SKIP_REASON = `../shared (the project's shared seeds and real reports) is not beside this clone at ${join(ROOT, '../shared')}; set NIANBAO_SHARED to its path to run these tests`;

export function sharedPath(...parts: string[]): string {
  if (!SHARED_DIR) throw new Error(SHARED_SKIP_REASON);
  return join(SHARED_DIR, ...parts);
}

/** describe.skipIf wrapper that prints the reason once. */
export function sharedAvailable(): boolean {
  if (!SHARED_DIR && !(globalThis as { __sharedWarned?: boolean }).__sharedWarned) {
    (globalThis as { __sharedWarned?: boolean }).__sharedWarned = true;
    console.warn(`[nianbao] skipping tests on shared material: ${SHARED_SKIP_REASON}`);
  }
  return SHARED_DIR !== null;
}
