/**
 * Kill a converter started with `detached: true` together with its children (soffice.bin behind
 * the soffice launcher, Tesseract's helpers): a timeout must not leave half the tree running.
 */
import type { ChildProcess } from 'node:child_process';

export function killProcessGroup(child: ChildProcess): void {
  try {
    if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // Already gone.
  }
}
