/**
 * Word 97–2003 (.doc) and WPS (.wps) → DOCX with LibreOffice, run headless. Each conversion
 * gets its own LibreOffice profile (-env:UserInstallation): two soffice processes sharing a
 * profile block or kill each other. Profiles are pooled per process, since creating one costs
 * seconds; a profile whose soffice had to be killed is thrown away. A conversion that runs past
 * its time limit is killed with its whole process group (soffice forks soffice.bin).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { sweepDeadProcessDirs } from '../../temp-dirs.js';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExtractError } from '../errors.js';
import { findExecutable } from '../find-executable.js';
import { killProcessGroup } from '../kill-group.js';

/** Environment variable naming the soffice binary; set it to a missing path to disable conversion. */
export const SOFFICE_ENV = 'NIANBAO_SOFFICE';

const KNOWN_LOCATIONS = [
  '/usr/bin/soffice',
  '/usr/local/bin/soffice',
  '/usr/lib/libreoffice/program/soffice',
  '/opt/libreoffice/program/soffice',
  '/snap/bin/libreoffice',
  '/Applications/LibreOffice.app/Contents/MacOS/soffice',
  'C:\\Program Files\\LibreOffice\\program\\soffice.exe',
];

/** The soffice binary to run: $NIANBAO_SOFFICE when set (even if it does not exist), else PATH, else usual places. */
export function findSoffice(env: NodeJS.ProcessEnv = process.env): string | null {
  return findExecutable(['soffice', 'libreoffice', 'soffice.exe'], SOFFICE_ENV, KNOWN_LOCATIONS, env);
}

export function converterMissing(detail = ''): ExtractError {
  return new ExtractError('converter_missing', `Reading Word 97–2003 (.doc) and WPS (.wps) files needs LibreOffice, which is not installed${detail}. Install LibreOffice (e.g. \`apt-get install libreoffice-writer\`) or set ${SOFFICE_ENV} to the soffice binary.`);
}

// ---------------------------------------------------------------------------------------------
// Profile pool

const idleProfiles: string[] = [];
const allProfiles = new Set<string>();
let firstUse = true;

// Temporary directories carry their process id, so that those of a process that died without
// cleaning up (killed worker, crashed test run) can be recognised and removed later.
const TEMP_NAME = /^nianbao-lo-(?:profile|job)-(\d+)-/;

/** Remove profiles and job folders left behind by processes that no longer exist. */
export function sweepStaleTempDirs(dir = tmpdir()): string[] {
  return sweepDeadProcessDirs(TEMP_NAME, dir);
}

function acquireProfile(): string {
  const idle = idleProfiles.pop();
  if (idle) return idle;
  if (firstUse) {
    firstUse = false;
    sweepStaleTempDirs();
    process.once('exit', () => {
      for (const p of allProfiles) rmSync(p, { recursive: true, force: true });
    });
  }
  const dir = mkdtempSync(join(tmpdir(), `nianbao-lo-profile-${process.pid}-`));
  allProfiles.add(dir);
  return dir;
}

function releaseProfile(dir: string, healthy: boolean): void {
  if (healthy) {
    idleProfiles.push(dir);
    return;
  }
  allProfiles.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Conversion

export interface ConvertOptions {
  /** Extension the input is saved under; LibreOffice picks its import filter partly by it. */
  inputExt: string;
  timeoutMs: number;
  soffice?: string | null;
}

/**
 * Convert a Word/WPS binary to DOCX bytes. Conversions share LibreOffice runs (up to BATCH_MAX
 * files each): starting LibreOffice is most of the cost of converting a report (see BATCH_MAX).
 * At most MAX_RUNS runs go at once in this thread; conversions asked for meanwhile wait, and
 * the next free run takes up to BATCH_MAX of them, so a caller that keeps several files in
 * flight gets full batches. A conversion asked for while a run is free waits BATCH_WINDOW_MS
 * for others to share it. The result of each file is what converting it alone gives: a batch
 * that fails or runs out of time is converted again one file at a time, each with its own time
 * limit.
 */
export function convertToDocx(bytes: Uint8Array, opts: ConvertOptions): Promise<Buffer> {
  const soffice = opts.soffice === undefined ? findSoffice() : opts.soffice;
  if (!soffice) return Promise.reject(converterMissing());
  return new Promise((resolve, reject) => {
    const key = `${soffice}\u0000${opts.inputExt}`;
    let queue = waiting.get(key);
    if (!queue) waiting.set(key, (queue = { soffice, inputExt: opts.inputExt, jobs: [] }));
    queue.jobs.push({ bytes, timeoutMs: opts.timeoutMs, resolve, reject });
    if (queue.jobs.length >= BATCH_MAX) startRuns();
    else windowTimer ??= setTimeout(startRuns, BATCH_WINDOW_MS);
  });
}

/**
 * Files per LibreOffice run. A run costs about 0.9 s CPU to start (most of it LibreOffice
 * loading itself, not the profile, which is reused) and about 0.05 s CPU per Word report after
 * that: 8 to a run is ~0.16 s CPU a file, against ~0.27 s at 4 and ~0.95 s alone.
 */
export const BATCH_MAX = 8;
/** LibreOffice runs at once (each uses about one core). */
const MAX_RUNS = Math.max(1, Math.min(availableParallelism(), 4));
/** How long a conversion waits for others to share its run (LibreOffice takes seconds). */
const BATCH_WINDOW_MS = 30;
/** Conversions in flight that fill every run once. */
export const CONVERSIONS_TO_FILL_RUNS = BATCH_MAX * MAX_RUNS;
/**
 * Files a caller extracting many keeps in flight besides those its threads parse, so that runs
 * never wait: one full set converting and one full set waiting to take the runs the moment they
 * end. With only one set, the files a run finishes queue for the threads and hold their places,
 * and the next runs start with the one or two files let in as parses end.
 */
export const FILES_IN_FLIGHT_FOR_CONVERSIONS = 2 * CONVERSIONS_TO_FILL_RUNS;

interface Job {
  bytes: Uint8Array;
  timeoutMs: number;
  resolve: (b: Buffer) => void;
  reject: (e: unknown) => void;
}
interface Batch {
  soffice: string;
  inputExt: string;
  jobs: Job[];
}
/** Conversions not yet in a run, by binary and input extension (one run has one of each). */
const waiting = new Map<string, Batch>();
let runsGoing = 0;
let windowTimer: NodeJS.Timeout | undefined;

/** Start runs while some are free and conversions wait. */
function startRuns(): void {
  clearTimeout(windowTimer);
  windowTimer = undefined;
  for (const [key, queue] of waiting) {
    while (runsGoing < MAX_RUNS && queue.jobs.length > 0) {
      const batch: Batch = { soffice: queue.soffice, inputExt: queue.inputExt, jobs: queue.jobs.splice(0, BATCH_MAX) };
      runsGoing++;
      void runBatch(batch).finally(() => {
        runsGoing--;
        startRuns();
      });
    }
    if (queue.jobs.length === 0) waiting.delete(key);
  }
}

async function runBatch(batch: Batch): Promise<void> {
  const { jobs } = batch;
  const alone = (job: Job) => convertBatch(batch.soffice, batch.inputExt, [job.bytes], job.timeoutMs).then(([r]) => settle(job, r!), job.reject);
  if (jobs.length === 1) return alone(jobs[0]!);
  let results: Outcome[];
  try {
    results = await convertBatch(batch.soffice, batch.inputExt, jobs.map((j) => j.bytes), Math.min(...jobs.map((j) => j.timeoutMs)));
  } catch {
    results = jobs.map(() => ({ retry: true }));
  }
  // A file the shared run did not convert, or a run out of time: that file alone decides.
  await Promise.all(results.map((r, i) => ('retry' in r ? alone(jobs[i]!) : settle(jobs[i]!, r))));
}

type Outcome = { docx: Buffer } | { error: ExtractError } | { retry: true };

function settle(job: Job, r: Outcome): void {
  if ('docx' in r) job.resolve(r.docx);
  else if ('error' in r) job.reject(r.error);
  else job.reject(new ExtractError('corrupt', 'LibreOffice could not convert the file.'));
}

/** One LibreOffice run over `files`. Alone, a file's failure is its outcome; in a batch, a failure asks for a retry alone. */
async function convertBatch(soffice: string, inputExt: string, files: readonly Uint8Array[], timeoutMs: number): Promise<Outcome[]> {
  const alone = files.length === 1;
  const work = await mkdtemp(join(tmpdir(), `nianbao-lo-job-${process.pid}-`));
  const profile = acquireProfile();
  let healthy = false;
  try {
    const inputs = files.map((_, i) => join(work, `${i}-input.${inputExt}`));
    await Promise.all(files.map((b, i) => writeFile(inputs[i]!, b)));
    const args = [
      '--headless', '--norestore', '--nologo', '--nodefault', '--nolockcheck',
      `-env:UserInstallation=${pathToFileURL(profile).href}`,
      '--convert-to', 'docx:MS Word 2007 XML', '--outdir', work, ...inputs,
    ];
    const run = await runProcess(soffice, args, timeoutMs);
    if (run.timedOut) {
      if (!alone) return files.map(() => ({ retry: true }));
      return [{ error: new ExtractError('unreadable', `LibreOffice did not finish converting the file within ${Math.round(timeoutMs / 1000)} s and was stopped.`) }];
    }
    healthy = true;
    return await Promise.all(
      files.map(async (_, i): Promise<Outcome> => {
        try {
          return { docx: await readFile(join(work, `${i}-input.docx`)) };
        } catch {
          if (!alone) return { retry: true };
          const said = run.output.trim().split('\n').filter((l) => !/javaldx|^$/.test(l)).slice(-3).join(' ');
          return { error: new ExtractError('corrupt', `LibreOffice could not convert the file (exit code ${run.code}${said ? `: ${said}` : ''}).`) };
        }
      }),
    );
  } finally {
    releaseProfile(profile, healthy);
    await rm(work, { recursive: true, force: true });
  }
}

interface RunResult {
  code: number | null;
  output: string;
  timedOut: boolean;
}

function runProcess(cmd: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout kills soffice.bin as well as the soffice launcher.
    const child = spawn(cmd, args, { detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killProcessGroup(child);
    }, timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' || err.code === 'EACCES' ? converterMissing(` (${cmd} could not be run)`) : err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}
