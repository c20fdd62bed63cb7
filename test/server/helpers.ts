/** Shared by the UI tests: raw HTTP requests (any header, no redirects followed), Redis key hygiene, Chromium. */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Redis } from 'ioredis';

export const REDIS = { host: '127.0.0.1', port: 6379 };

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request exactly as given: node:http lets a test set Host, Origin, Cookie and Sec-Fetch-Site freely. */
export function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: opts.method ?? 'GET', headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
export const FORM = 'application/x-www-form-urlencoded';

/** A key prefix no other test run uses. */
export function testPrefix(label: string): string {
  return `nianbao-test-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Delete this test's keys (SCAN + DEL on its prefix only; never FLUSH). */
export async function deletePrefix(prefix: string): Promise<number> {
  const redis = new Redis(REDIS);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

/** Poll until `check` returns a value (not undefined/false), or fail after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
