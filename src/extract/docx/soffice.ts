/**
 * Word 97–2003 (.doc) and WPS (.wps) → DOCX with LibreOffice, run headless. Each conversion
 * gets its own LibreOffice profile (-env:UserInstallation): two soffice processes sharing a
 * profile block or kill each other. Profiles are pooled per process, since creating one costs
 * seconds; a profile whose soffice had to be killed is thrown away. A conversion that runs past
 * its time limit is killed with its whole process group (soffice forks soffice.bin).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { sweepDeadProcessDirs } from '../../temp-dirs.js';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExtractError } from '../errors.js';

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

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The soffice binary to run: $NIANBAO_SOFFICE when set (even if it does not exist), else PATH, else usual places. */
export function findSoffice(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env[SOFFICE_ENV];
  if (configured !== undefined) return configured && executable(configured) ? configured : null;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['soffice', 'libreoffice', 'soffice.exe']) {
      const p = join(dir, name);
      if (executable(p)) return p;
    }
  }
  return KNOWN_LOCATIONS.find(executable) ?? null;
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

/** Convert a Word/WPS binary to DOCX bytes. */
export async function convertToDocx(bytes: Uint8Array, opts: ConvertOptions): Promise<Buffer> {
  const soffice = opts.soffice === undefined ? findSoffice() : opts.soffice;
  if (!soffice) throw converterMissing();
  const work = await mkdtemp(join(tmpdir(), `nianbao-lo-job-${process.pid}-`));
  const profile = acquireProfile();
  let healthy = false;
  try {
    const input = join(work, `input.${opts.inputExt}`);
    await writeFile(input, bytes);
    const args = [
      '--headless', '--norestore', '--nologo', '--nodefault', '--nolockcheck',
      `-env:UserInstallation=${pathToFileURL(profile).href}`,
      '--convert-to', 'docx:MS Word 2007 XML', '--outdir', work, input,
    ];
    const run = await runProcess(soffice, args, opts.timeoutMs);
    if (run.timedOut) {
      throw new ExtractError('unreadable', `LibreOffice did not finish converting the file within ${Math.round(opts.timeoutMs / 1000)} s and was stopped.`);
    }
    healthy = true;
    try {
      return await readFile(join(work, 'input.docx'));
    } catch {
      const said = run.output.trim().split('\n').filter((l) => !/javaldx|^$/.test(l)).slice(-3).join(' ');
      throw new ExtractError('corrupt', `LibreOffice could not convert the file (exit code ${run.code}${said ? `: ${said}` : ''}).`);
    }
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
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
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
