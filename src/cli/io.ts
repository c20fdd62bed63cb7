/**
 * What every command module shares with the CLI entry: where output goes and how a command is
 * added to the program. Kept apart from cli.ts so that commands never import the file that loads them.
 */
import type { Command } from 'commander';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Output already encoded as UTF-8; without it, out gets the text. */
  outBytes?: (b: Uint8Array) => void;
}

export const defaultIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  outBytes: (b) => process.stdout.write(b),
};

/** Commands beyond extract and schema live in their own modules and are listed in commands.ts. */
export type CommandInstaller = (program: Command, io: Io, setExit: (code: number) => void) => void;
