/**
 * Where an external converter lives (LibreOffice, Tesseract, poppler): `$envName` when set — even to
 * a missing path, which is how a user or a test disables the tool — else the first of `names` on
 * PATH, else the first of `fallbacks` (usual install places a service's PATH may lack).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findExecutable(names: readonly string[], envName: string, fallbacks: readonly string[], env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env[envName];
  if (configured !== undefined) return configured && executable(configured) ? configured : null;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const p = join(dir, name);
      if (executable(p)) return p;
    }
  }
  return fallbacks.find(executable) ?? null;
}
