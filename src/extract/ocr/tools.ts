/**
 * The OCR route's external tools, run as child processes the way LibreOffice is: found on PATH
 * (or named by an environment variable), bounded by a time limit, and no more at once than the
 * machine has cores for. `pdftoppm` (poppler-utils) renders a page to an image; `tesseract`
 * (tesseract-ocr with tesseract-ocr-chi-sim) reads it. Missing tools are `converter_missing`.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ExtractError } from '../errors.js';
import { findExecutable } from '../find-executable.js';
import { killProcessGroup } from '../kill-group.js';

export const TESSERACT_ENV = 'NIANBAO_TESSERACT';
export const PDFTOPPM_ENV = 'NIANBAO_PDFTOPPM';
/** pdfimages (poppler-utils) tells each page's scan resolution; without it every page is tried. */
export const PDFIMAGES_ENV = 'NIANBAO_PDFIMAGES';
/** Most OCR processes at once in this process (default: the cores). */
export const OCR_CONCURRENCY_ENV = 'NIANBAO_OCR_CONCURRENCY';

/** `$envName` when set (even to a missing path, which disables the tool), else the first `name` on PATH. */
export function findTool(name: string, envName: string, env: NodeJS.ProcessEnv = process.env): string | null {
  return findExecutable([name], envName, ['/usr/bin', '/usr/local/bin'].map((d) => join(d, name)), env);
}

export function ocrMissing(what: string): ExtractError {
  return new ExtractError('converter_missing', `The document is scanned (a PDF without a text layer, or a picture); reading it needs ${what}, which is not installed. Install it (\`apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils\`) or set ${TESSERACT_ENV} / ${PDFTOPPM_ENV}.`);
}

// ---------------------------------------------------------------------------------------------
// A limit on processes at once

let running = 0;
const waiting: (() => void)[] = [];

function limit(): number {
  const n = Number(process.env[OCR_CONCURRENCY_ENV]);
  return Number.isInteger(n) && n > 0 ? n : availableParallelism();
}

async function acquire(): Promise<void> {
  if (running < limit()) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
}

/**
 * Run `cmd` with `input` on stdin, collecting stdout, within `timeoutMs` (then killed with its
 * process group: the time limit is a hard stop). At most the concurrency limit run at once.
 */
export async function run(cmd: string, args: readonly string[], input: Uint8Array | null, timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  await acquire();
  try {
    return await new Promise<RunResult>((resolve, reject) => {
      const child = spawn(cmd, args, {
        detached: process.platform !== 'win32',
        stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        // One thread each: the limit above is what shares the cores, not OpenMP inside Tesseract.
        env: { ...process.env, OMP_THREAD_LIMIT: '1', ...env },
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killProcessGroup(child);
      }, timeoutMs);
      child.stdout!.on('data', (b: Buffer) => out.push(b));
      child.stderr!.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (timedOut) reject(new ExtractError('too_large', `${cmd.split('/').pop()} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`));
        else resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8').slice(0, 2000), code });
      });
      if (input) {
        // A tool that exits early closes its stdin: not an error of ours.
        child.stdin!.on('error', () => undefined);
        child.stdin!.end(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
      }
    });
  } finally {
    release();
  }
}
