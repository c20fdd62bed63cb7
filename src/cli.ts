/**
 * nianbao command line. `main` returns the exit code instead of exiting, so tests run it in-process.
 * Exit codes: 0 done (a file that could not be read is a `failed` record, not an error, unless
 * `extract --strict`), 1 the command itself failed (or, with `extract --strict`, a record failed),
 * 2 usage error.
 */
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Command, CommanderError } from 'commander';
import { BYTES_IN_FLIGHT, ByteBudget } from './pool/byte-budget.js';
import { type CommandInstaller, type Io, defaultIo } from './cli/io.js';
import { COMMAND_LOADERS } from './command-loaders.js';
import type { extractRecord } from './extractor.js';
import { FILES_IN_FLIGHT_FOR_CONVERSIONS } from './extract/docx/soffice.js';
import { type ParsePool, createParsePool } from './pool/pool.js';
import { commandWord, discardEarly } from './pool/start.js';
import { type RecordLine, recordLine } from './pool/tasks.js';
import { issue } from './record/issues.js';
import { sha256 } from './source.js';
import type { NianbaoRecord, RecordStatus } from './validate/schema.js';
import { VERSION } from './version.js';

export type { CommandInstaller, Io } from './cli/io.js';


/**
 * The record of one file. `extract` defaults to extraction in place; the extraction core (and,
 * for a file that cannot be read, the record builder) is loaded on first use, so that a command
 * that extracts in the parse pool's threads never loads it in the calling thread.
 */
export async function readRecord(path: string, extract?: typeof extractRecord, regularFileSize?: number): Promise<NianbaoRecord> {
  const bytes = await readBytes(path, regularFileSize);
  if (!(bytes instanceof Uint8Array)) return bytes;
  return (extract ?? (await import('./extractor.js')).extractRecord)(bytes, { uri: path });
}

/** readRecord's record as JSON text, made by the pool's thread (see RecordLine). */
async function readLine(path: string, pool: ParsePool, regularFileSize?: number): Promise<RecordLine> {
  const bytes = await readBytes(path, regularFileSize);
  return bytes instanceof Uint8Array ? pool.extractLine(bytes, { uri: path }) : recordLine(bytes);
}

/**
 * Regular files up to this size (known from a stat just before) are read synchronously: a report
 * of a few kilobytes reads from a local disk in tens of microseconds, while the promise-based read
 * costs a thread-pool round trip for each of open, fstat, read and close, paid by the calling
 * thread, which shares the cores with the parse threads. A pipe or a device is never read so: it
 * could block the thread until a writer that needs this thread writes.
 */
const SYNC_READ_MAX_BYTES = 1 << 20;

/** A file's bytes, or the failed record saying why it cannot be read. */
async function readBytes(path: string, regularFileSize?: number): Promise<Buffer | NianbaoRecord> {
  try {
    return regularFileSize !== undefined && regularFileSize <= SYNC_READ_MAX_BYTES ? readFileSync(path) : await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
    const { failedRecord } = await import('./record/build.js');
    return failedRecord({ uri: path, format: 'text', sha256: sha256(new Uint8Array()) }, [issue('unreadable', 'error', `Cannot read ${path}: ${why}.`)]);
  }
}

/** Run `fn` over items with at most `n` in flight, emitting results in input order. */
async function orderedPool<T, R>(items: readonly T[], n: number, fn: (t: T) => Promise<R>, emit: (r: R) => void): Promise<void> {
  const results = new Array<R | undefined>(items.length);
  const done = new Array<boolean>(items.length).fill(false);
  let next = 0;
  let emitted = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
      done[i] = true;
      while (emitted < items.length && done[emitted]) {
        emit(results[emitted]!);
        results[emitted] = undefined;
        emitted++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

export function summarize(r: NianbaoRecord): string {
  const fields = Object.keys(r.values).length;
  const blanks = Object.values(r.values).filter((v) => v === null).length;
  const head = `${r.source.uri}\t${r.status}\t${r.template ?? '-'}\t${r.agency ?? '?'}\t${r.year ?? '?'}\t${fields} fields${blanks ? `, ${blanks} blank` : ''}`;
  const lines = r.issues.map((i) => `  ${i.severity.padEnd(7)} ${i.code}: ${i.message}`);
  return [head, ...lines].join('\n') + '\n';
}

export function buildProgram(io: Io, setExit: (code: number) => void, installers: readonly CommandInstaller[] = []): Command {
  const program = new Command('nianbao')
    .description('Turn 政府信息公开工作年度报告 into a clean, validated dataset.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('extract')
    .description('Extract one record per file (PDF, Word, WPS, HTML or text), in input order.')
    .argument('<files...>', 'report files')
    .option('--json', 'print JSON Lines (one record per line) instead of a summary')
    .option('-j, --jobs <n>', 'files extracted in parallel', (v) => Number.parseInt(v, 10), 4)
    .option('--strict', 'exit 1 when any record failed (for shell pipelines); every record is still printed')
    .action(async (files: string[], opts: { json?: boolean; jobs: number; strict?: boolean }) => {
      const jobs = Number.isFinite(opts.jobs) && opts.jobs > 0 ? opts.jobs : 4;
      let failed = 0;
      // Each file is parsed in a worker thread under hard time and memory limits: a hostile file
      // becomes a too_complex record instead of hanging or crashing the command.
      const threads = Math.min(jobs, availableParallelism(), files.length);
      const pool = createParsePool({ threads });
      try {
        // More files in flight than threads: the pool converts .doc/.wps files in this thread, and
        // only conversions waiting together share a LibreOffice run. The threads still bound
        // parsing, and the budget bounds the bytes held while files wait.
        const inFlight = Math.max(jobs, threads + FILES_IN_FLIGHT_FOR_CONVERSIONS);
        const budget = new ByteBudget(BYTES_IN_FLIGHT);
        const size = (f: string) => {
          try {
            const s = statSync(f);
            return { bytes: s.size, regular: s.isFile() };
          } catch {
            return { bytes: 0, regular: false }; // readBytes says why
          }
        };
        // --json prints the thread's JSON text as it is: the record never crosses as an object.
        const print = async (f: string, bytes: number | undefined): Promise<{ status: RecordStatus; text: string | Uint8Array }> => {
          if (opts.json) {
            const { status, line } = await readLine(f, pool, bytes);
            return { status, text: line };
          }
          const r = await readRecord(f, pool.extract, bytes);
          return { status: r.status, text: summarize(r) };
        };
        const utf8 = new TextDecoder();
        await orderedPool(files, inFlight, async (f) => {
          const { bytes, regular } = size(f);
          return budget.run(bytes, () => print(f, regular ? bytes : undefined));
        }, (r) => {
          if (r.status === 'failed') failed++;
          if (typeof r.text === 'string') io.out(r.text);
          else if (io.outBytes) io.outBytes(r.text);
          else io.out(utf8.decode(r.text));
        });
      } finally {
        await pool.close();
      }
      if (opts.strict && failed) io.err(`nianbao: ${failed} of ${files.length} record${files.length > 1 ? 's' : ''} failed\n`);
      setExit(opts.strict && failed ? 1 : 0);
    });

  program
    .command('schema')
    .description('Print the record contract as JSON Schema.')
    .action(async () => {
      const { recordJsonSchema } = await import('./validate/schema.js');
      io.out(`${JSON.stringify(recordJsonSchema(), null, 2)}\n`);
      setExit(0);
    });

  for (const install of installers) install(program, io, setExit);
  return program;
}

/** Commands defined in this file: running one of them needs none of the modules commands.ts loads. */
const OWN_COMMANDS = new Set(['extract', 'schema']);

export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  // Each command loads its own modules only: the others import the store, the crawler, the
  // queues, express and the browser, which is most of a one-file `extract`'s start-up time. The
  // full help (and `help`, and a word no command has) lists them all, so it loads them all.
  const word = commandWord(argv) ?? '';
  const installers = OWN_COMMANDS.has(word) ? [] : Object.hasOwn(COMMAND_LOADERS, word) ? [await COMMAND_LOADERS[word]!()] : (await import('./commands.js')).COMMANDS;
  let code = 0;
  const program = buildProgram(io, (c) => (code = c), installers);
  try {
    await program.parseAsync(argv as string[]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; everything else commander rejects is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    io.err(`nianbao: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    // The pool bin/nianbao.js started for `extract`, if `extract` did not run (start.ts).
    await discardEarly();
  }
  return code;
}
