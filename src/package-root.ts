/**
 * The folder of nianbao's package.json, found from this module's own location, so that the same
 * code finds samples/, config/ and dist/ whether it runs from src/ (tsx, tests) or from dist/src/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return (root = dir);
}

/** True when this code runs compiled (from dist/), false from the TypeScript sources. */
export function runsCompiled(): boolean {
  return fileURLToPath(import.meta.url).endsWith('.js');
}
