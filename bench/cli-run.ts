/**
 * Running the compiled CLI the way a user does, for the benchmarks that measure issue 15's goals
 * as stated (pdf-goal.ts, goal.ts): `node bin/nianbao.js extract -j <cores> --json FILES…`, start-up
 * and the pool included, timed by wall clock and by the CPU of the child and all its threads.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childCpuSeconds } from './proc.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'bin', 'nianbao.js');

export interface Timing {
  wallSeconds: number;
  cpuSeconds: number;
}

/** CPU seconds of this process's waited-for children and their threads (Linux /proc: cutime + cstime). */
function childrenCpu(): number {
  const s = childCpuSeconds();
  if (s === null) throw new Error('the CLI benchmarks read the CPU of their children from /proc/self/stat (Linux only)');
  return s;
}

/** fn's wall time, and the CPU of the children it ran and waited for. */
export function timed<T>(fn: () => T): { value: T } & Timing {
  const w0 = performance.now();
  const c0 = childrenCpu();
  const value = fn();
  return { value, wallSeconds: (performance.now() - w0) / 1000, cpuSeconds: childrenCpu() - c0 };
}

/** The newest source file under src/ when it is newer than the compiled CLI, else undefined. */
export function staleDist(): string | undefined {
  const built = join(ROOT, 'dist', 'src', 'cli.js');
  if (!existsSync(built)) return 'dist/ is missing: run `npm run build`';
  const builtAt = statSync(built).mtimeMs;
  const walk = (dir: string): string | undefined => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      const found = e.isDirectory() ? walk(p) : e.name.endsWith('.ts') && statSync(p).mtimeMs > builtAt ? p : undefined;
      if (found) return found;
    }
    return undefined;
  };
  const newer = walk(join(ROOT, 'src'));
  return newer ? `${newer.replace(`${ROOT}/`, '')} is newer than dist/: run \`npm run build\` for current numbers` : undefined;
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * One `extract` over the files, its output into a file (as a user's `> out.jsonl`), timed, then
 * checked. Only the run is timed: reading back and parsing 2,000 records' JSON (64 MB) took this
 * process 1.3 s, which until stop 29 was counted as the CLI's (text 376–426 docs/s in `bench goal`
 * where the same runs from a shell took 514–535).
 */
export function extractPass(files: readonly string[], cores: number, out: string): { value: Record<string, number> } & Timing {
  const fd = openSync(out, 'w');
  let t;
  try {
    t = timed(() => spawnSync(process.execPath, [CLI, 'extract', '-j', String(cores), '--json', ...files], { cwd: ROOT, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' }));
  } finally {
    closeSync(fd);
  }
  const r = t.value;
  if (r.status !== 0) throw new Error(`nianbao extract exited ${r.status}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' ')}`);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  if (lines.length !== files.length) throw new Error(`nianbao extract printed ${lines.length} records for ${files.length} files`);
  const statuses: Record<string, number> = {};
  for (const line of lines) {
    const s = (JSON.parse(line) as { status: string }).status;
    statuses[s] = (statuses[s] ?? 0) + 1;
  }
  return { value: statuses, wallSeconds: t.wallSeconds, cpuSeconds: t.cpuSeconds };
}

/**
 * The machine's own speed at the time of a run, printed beside the goals' absolute figures: the
 * same build ran 1.5–2× slower on one session's machine than on another's, and a third slower
 * from one minute to the next. `nodeStartSeconds`: `node -e 0` wall (the floor under every CLI
 * run); `jsSeconds`: a fixed pure-JS loop timed inside a fresh process. Medians of three.
 */
export function machineSpeed(): { nodeStartSeconds: number; jsSeconds: number } {
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const starts: number[] = [];
  const loops: number[] = [];
  for (let i = 0; i < 3; i++) {
    const w0 = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    starts.push((performance.now() - w0) / 1000);
    const r = spawnSync(process.execPath, ['-e', 'const t=performance.now();let s=0;for(let i=0;i<1e8;i++)s+=i%7;console.log((performance.now()-t)/1000,s>0)'], { encoding: 'utf8' });
    loops.push(Number.parseFloat(r.stdout));
  }
  return { nodeStartSeconds: round(median(starts), 3), jsSeconds: round(median(loops), 3) };
}
