/**
 * CPU and memory read from Linux's /proc, for the benchmarks: process.cpuUsage() sees neither a
 * child's CPU nor another process's. Each returns null where /proc cannot be read (not Linux, or
 * the process has ended).
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** The fields of /proc/<pid>/stat after the command name: [0] is the state, stat's field 3. */
function statFields(pid: number | 'self'): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  } catch {
    return null;
  }
}

/** utime + stime of a process, all its threads, in seconds. */
export function cpuSecondsOf(pid: number | 'self'): number | null {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / TICKS : null;
}

/** cutime + cstime of this process: its waited-for children and their threads, in seconds. */
export function childCpuSeconds(): number | null {
  const f = statFields('self');
  return f ? (Number(f[13]) + Number(f[14])) / TICKS : null;
}

/** A process's resident memory now and at its highest (VmRSS, VmHWM), in MB. */
export function rssOf(pid: number): { rss: number; hwm: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}
