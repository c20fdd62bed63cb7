/**
 * Temporary folders named after the process that made them (`<prefix>-<pid>-…`), so that those
 * of a process that died without cleaning up (a killed worker, a crashed test run) are recognised
 * and removed by the next process that makes its own: LibreOffice profiles, Chromium profiles.
 */
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove the folders in `dir` whose name `pattern` matches (group 1: the pid) of dead processes. */
export function sweepDeadProcessDirs(pattern: RegExp, dir = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (!pid || pid === process.pid || processAlive(pid)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
