/**
 * `nianbao serve`: prints where it listens and a one-time sign-in link when it made up the token,
 * warns when not on loopback, serves the queues when given Redis. Its graceful SIGTERM (the real
 * CLI in a child process) is in serve-sigterm.slow.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { serve, type ServeOptions } from '../../src/commands/serve.js';
import { deletePrefix, eventually, request, testPrefix } from './helpers.js';

const dirs: string[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const p of prefixes) await deletePrefix(p);
});

function options(over: Partial<ServeOptions> = {}): ServeOptions {
  const data = mkdtempSync(join(tmpdir(), 'nianbao-serve-'));
  dirs.push(data);
  return { port: 0, host: '127.0.0.1', data, prefix: 'unused', config: join(data, 'no-portals.yaml'), ...over };
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) }, out, err };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('nianbao serve', () => {
  it('makes up a token when none is given and prints a sign-in link once', async () => {
    const { io, out, err } = capture();
    const stop = deferred();
    const running = serve(options(), io, {}, stop.promise);
    const link = await eventually(async () => out.join('').match(/Sign in: (http:\/\/127\.0\.0\.1:\d+\/review\?token=([\w-]{43}))/) ?? undefined, 20_000, 'the sign-in link');
    expect(out.join('')).toMatch(/nianbao UI at http:\/\/127\.0\.0\.1:\d+\/ \(store: sqlite, no queues; Re-extract runs in-process\)/);
    expect(err.join('')).toContain('cannot read the portal configuration');
    const r = await request(link[1]!);
    expect(r.status).toBe(303);
    expect(String(r.headers['set-cookie'])).toContain('HttpOnly');
    const base = link[1]!.replace(/\/review\?.*/, '');
    expect((await request(`${base}/review`, { headers: { authorization: `Bearer ${link[2]}` } })).status).toBe(200);
    expect((await request(`${base}/review`, { headers: { accept: 'application/json' } })).status).toBe(401);
    stop.resolve();
    await running;
    expect(out.join('')).toContain('shutting down');
    await expect(request(`${base}/review`)).rejects.toThrow();
  });

  it('takes the token from NIANBAO_UI_TOKEN and never prints it; serves the queues with Redis', async () => {
    const { io, out } = capture();
    const stop = deferred();
    const prefix = testPrefix('ui-serve');
    prefixes.push(prefix);
    const token = 'env-token-0123456789abcdef';
    const running = serve(options({ redis: 'redis://127.0.0.1:6379', prefix }), io, { NIANBAO_UI_TOKEN: token }, stop.promise);
    const base = await eventually(async () => out.join('').match(/UI at (http:\/\/[\d.:]+)\//)?.[1], 20_000, 'the URL');
    expect(out.join('')).toContain(`queues: prefix ${prefix}; Re-extract queues jobs`);
    expect(out.join('')).not.toContain(token);
    const r = await request(`${base}/queues/api/queues`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).queues.map((q: { name: string }) => q.name).sort()).toEqual(['discover', 'extract', 'fetch']);
    stop.resolve();
    await running;
  });

  it('warns when asked to listen beyond loopback, and on a short token', async () => {
    const { io, err } = capture();
    // 192.0.2.1 is TEST-NET-1: never assigned here, so nothing is exposed; the warnings come first.
    await expect(serve(options({ host: '192.0.2.1', token: 'short' }), io, {}, new Promise(() => {}))).rejects.toThrow(/EADDRNOTAVAIL|address not available/i);
    expect(err.join('')).toContain('warning: listening on 192.0.2.1, not loopback');
    expect(err.join('')).toContain('warning: the token is short');
  });

  it('says so when Redis cannot be reached', async () => {
    const { io } = capture();
    await expect(serve(options({ redis: 'redis://127.0.0.1:1' }), io, {}, new Promise(() => {}))).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });

  it('rejects a malformed --basic-auth as a usage error', async () => {
    const { io, err } = capture();
    expect(await main(['node', 'nianbao', 'serve', '--basic-auth', 'nocolon'], io)).toBe(2);
    expect(err.join('')).toContain('--basic-auth must be user:password');
    expect(await main(['node', 'nianbao', 'serve', '--port', 'x'], capture().io)).toBe(2);
  });
});
