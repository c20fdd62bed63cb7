/**
 * Portal configuration: YAML in, validated plain data out. Every error names the file and line
 * it comes from ("config/portals.yaml:12: portals[0].entries[0].url: Invalid url"), because the
 * people who edit this file are researchers adding portals, not the engineers who wrote the code.
 */
import { readFile } from 'node:fs/promises';
import * as cheerio from 'cheerio';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { CRAWL_DEFAULTS, type CrawlDefaults, type CrawlLimits, type RateLimit } from './defaults.js';
import { hostAllowed } from '../fetch/hosts.js';

export const PORTAL_LEVELS = ['national', 'province', 'city', 'county', 'district', 'township', 'department'] as const;
export type PortalLevel = (typeof PORTAL_LEVELS)[number];

/** Province-level prefixes of GB/T 2260 行政区划代码 (plus 71 台湾, 81 香港, 82 澳门). */
const PROVINCE_PREFIXES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82',
]);

export interface Selectors {
  /** Report links on a listing page. */
  listLinks?: string;
  /** The next-page link on a listing page. */
  nextPage?: string;
  /** The article body on an article page. */
  body?: string;
  /** Attachment links on an article page. */
  attachments?: string;
}

export interface PortalEntry {
  url: string;
  name?: string;
}

export interface Portal {
  id: string;
  name: string;
  region: { name: string; code: string };
  level: PortalLevel;
  entries: PortalEntry[];
  allowedHosts: string[];
  selectors: Selectors;
  rateLimit: RateLimit;
  render: 'http' | 'browser';
  allowPrivate: boolean;
  limits: CrawlLimits;
}

/** What happens when a crawl is over (`monitoring:` in portals.yaml). */
export interface MonitoringConfig {
  /** POST the morning summary (JSON) here, retrying with backoff. */
  webhook?: { url: string; retries: number; timeoutMs: number; headers: Record<string, string> };
}

export interface PortalConfig {
  portals: Portal[];
  defaults: CrawlDefaults;
  monitoring: MonitoringConfig;
}

export interface ConfigIssue {
  line: number | null;
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ConfigIssue[],
  ) {
    super(issues.map((i) => `${source}${i.line ? `:${i.line}` : ''}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
  } catch {
    return false;
  }
}

function isSelector(v: string): boolean {
  try {
    cheerio.load('<div><a href="#">x</a></div>')(v).length;
    return true;
  } catch {
    return false;
  }
}

const httpUrl = z.string().refine(isHttpUrl, 'Invalid url: expected an absolute http(s) URL');
const selector = z.string().min(1).refine(isSelector, 'Invalid CSS selector');

const rateLimitSchema = z
  .object({
    requestsPerSecond: z.number().positive().max(50),
    concurrency: z.number().int().min(1).max(16),
  })
  .partial()
  .strict();

const limitsSchema = z
  .object({
    maxPages: z.number().int().min(1).max(100_000),
    maxArticles: z.number().int().min(1).max(1_000_000),
    pageMaxBytes: z.number().int().min(1024),
    documentMaxBytes: z.number().int().min(1024),
    maxDecompressedBytes: z.number().int().min(1024),
    timeoutMs: z.number().int().min(100),
    retries: z.number().int().min(0).max(10),
  })
  .partial()
  .strict();

const entrySchema = z.preprocess(
  (v) => (typeof v === 'string' ? { url: v } : v),
  z.object({ url: httpUrl, name: z.string().min(1).optional() }).strict(),
);

const hostPattern = z
  .string()
  .min(1)
  .regex(/^(\*\.)?[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:.]+\](:\d+)?$/i, 'Invalid host: expected a hostname, host:port or *.domain');

const portalSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'Invalid id: lowercase letters, digits, - and _'),
    name: z.string().min(1),
    region: z
      .object({
        name: z.string().min(1),
        code: z
          .string()
          .regex(/^\d{6}$/, 'Invalid region code: 6 digits (行政区划代码), quoted in YAML')
          .refine((c) => PROVINCE_PREFIXES.has(c.slice(0, 2)), 'Invalid region code: no such province prefix'),
      })
      .strict(),
    level: z.enum(PORTAL_LEVELS),
    entries: z.array(entrySchema).min(1),
    allowedHosts: z.array(hostPattern).min(1).optional(),
    selectors: z
      .object({ listLinks: selector, nextPage: selector, body: selector, attachments: selector })
      .partial()
      .strict()
      .optional(),
    rateLimit: rateLimitSchema.optional(),
    render: z.enum(['http', 'browser']).optional(),
    allowPrivate: z.boolean().optional(),
    limits: limitsSchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (!p.allowedHosts) return;
    p.entries.forEach((e, i) => {
      if (isHttpUrl(e.url) && !hostAllowed(new URL(e.url), p.allowedHosts!)) {
        ctx.addIssue({ code: 'custom', path: ['entries', i, 'url'], message: `host ${new URL(e.url).host} is not in allowedHosts` });
      }
    });
  });

const fileSchema = z
  .object({
    defaults: z.object({ rateLimit: rateLimitSchema, limits: limitsSchema }).partial().strict().optional(),
    portals: z.array(portalSchema),
    monitoring: z
      .object({
        webhook: z
          .object({
            url: httpUrl,
            retries: z.number().int().min(0).max(10).default(3),
            timeoutMs: z.number().int().positive().default(10_000),
            headers: z.record(z.string(), z.string()).default({}),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Map<string, number>();
    f.portals.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['portals', i, 'id'], message: `duplicate id "${p.id}" (first at portals[${seen.get(p.id)}])` });
      else seen.set(p.id, i);
    });
  });

type PortalInput = z.infer<typeof portalSchema>;

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

/** Line of the deepest YAML node that exists on `path` (a missing key points at its parent). */
function lineOf(doc: Document, lc: LineCounter, path: readonly PropertyKey[], key?: string): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as YamlNode | undefined;
    if (!node || !node.range) continue;
    if (key && n === path.length && isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && it.key.value === key);
      const k = pair?.key as YamlNode | undefined;
      if (k?.range) return lc.linePos(k.range[0]).line;
    }
    return lc.linePos(node.range[0]).line;
  }
  return null;
}

/** `${NAME}` in the text is replaced by vars[NAME]; an unknown name is an error on its line. */
function substitute(text: string, vars: Record<string, string>, issues: ConfigIssue[]): string {
  return text
    .split('\n')
    .map((line, i) =>
      line.replace(/\$\{([A-Z0-9_]+)\}/g, (m, name: string) => {
        if (name in vars) return vars[name]!;
        issues.push({ line: i + 1, path: '', message: `unknown variable ${m}` });
        return m;
      }),
    )
    .join('\n');
}

function resolvePortal(p: PortalInput, defaults: CrawlDefaults): Portal {
  const allowedHosts = p.allowedHosts ?? [...new Set(p.entries.map((e) => new URL(e.url).hostname))];
  return {
    id: p.id,
    name: p.name,
    region: p.region,
    level: p.level,
    entries: p.entries.map((e) => (e.name ? { url: e.url, name: e.name } : { url: e.url })),
    allowedHosts,
    selectors: p.selectors ?? {},
    rateLimit: { ...defaults.rateLimit, ...p.rateLimit },
    render: p.render ?? 'http',
    allowPrivate: p.allowPrivate ?? false,
    limits: { ...defaults.limits, ...p.limits },
  };
}

export interface ParseOptions {
  /** File name for messages. */
  source?: string;
  /** Values for `${NAME}` placeholders (the demo portal's base URL, for instance). */
  vars?: Record<string, string>;
  /** Built-in defaults to start from (CRAWL_DEFAULTS). */
  defaults?: CrawlDefaults;
}

export function parsePortalConfig(text: string, opts: ParseOptions = {}): PortalConfig {
  const source = opts.source ?? 'portals.yaml';
  const issues: ConfigIssue[] = [];
  const expanded = substitute(text, opts.vars ?? {}, issues);
  const lc = new LineCounter();
  const doc = parseDocument(expanded, { lineCounter: lc, prettyErrors: false });
  for (const e of doc.errors) issues.push({ line: lc.linePos(e.pos[0]).line, path: '', message: e.message.split('\n')[0]! });
  if (issues.length) throw new ConfigError(source, issues);
  const data = doc.toJS() ?? {};
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    for (const iss of parsed.error.issues) {
      const keys = iss.code === 'unrecognized_keys' ? (iss as { keys: string[] }).keys : [undefined];
      for (const key of keys) {
        issues.push({
          line: lineOf(doc, lc, iss.path, key),
          path: formatPath(key ? [...iss.path, key] : iss.path),
          message: key ? `unknown field (typo?)` : iss.message,
        });
      }
    }
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new ConfigError(source, issues);
  }
  const base = opts.defaults ?? CRAWL_DEFAULTS;
  const defaults: CrawlDefaults = {
    rateLimit: { ...base.rateLimit, ...parsed.data.defaults?.rateLimit },
    limits: { ...base.limits, ...parsed.data.defaults?.limits },
  };
  const webhook = parsed.data.monitoring?.webhook;
  return { defaults, portals: parsed.data.portals.map((p) => resolvePortal(p, defaults)), monitoring: webhook ? { webhook } : {} };
}

export async function loadPortalConfig(path: string, opts: Omit<ParseOptions, 'source'> = {}): Promise<PortalConfig> {
  const text = await readFile(path, 'utf8');
  return parsePortalConfig(text, { ...opts, source: path });
}

