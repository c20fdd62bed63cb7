/**
 * The command words cli.ts loads one module for (command-loaders.ts) are exactly the commands
 * the full list installs, and each loader installs its word: a command added to commands.ts but
 * not to the loaders, or a loader pointing at the wrong module, fails here.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli.js';
import { COMMAND_LOADERS } from '../src/command-loaders.js';
import { COMMANDS } from '../src/commands.js';

const io = { out: () => undefined, err: () => undefined };
const names = (installers: Parameters<typeof buildProgram>[2]) =>
  buildProgram(io, () => undefined, installers)
    .commands.map((c) => c.name())
    .filter((n) => n !== 'extract' && n !== 'schema');

describe('command loaders', () => {
  it('name every command of the full list, and each installs its own word', async () => {
    expect(Object.keys(COMMAND_LOADERS).sort()).toEqual(names(COMMANDS).sort());
    for (const [word, load] of Object.entries(COMMAND_LOADERS)) expect(names([await load()])).toContain(word);
  }, 60_000);
});
