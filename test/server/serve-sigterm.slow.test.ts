/**
 * `nianbao serve` shuts down gracefully on SIGTERM: the real CLI in a child process (a slow test:
 * a process start through tsx, then a kill).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/shared.js';
import { eventually, request } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('nianbao serve', () => {
  it('shuts down gracefully on SIGTERM (the CLI in its own process)', async () => {
    const data = mkdtempSync(join(tmpdir(), 'nianbao-serve-'));
    dirs.push(data);
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/server/cli-entry.ts'), 'serve', '--port', '0', '--data', data, '--token', 'sigterm-token-0123456789'], { cwd: ROOT, env: { ...process.env, REDIS_URL: '', DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // tsx compiles the CLI on the way: tens of seconds on a loaded two-core machine.
    const base = await eventually(async () => out.match(/UI at (http:\/\/[\d.:]+)\//)?.[1], 90_000, `the CLI to listen (${out})`);
    expect((await request(`${base}/review`, { headers: { authorization: 'Bearer sigterm-token-0123456789' } })).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('shutting down');
  }, 150_000);
});
