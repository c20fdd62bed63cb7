/** The sample portal for crawler tests: server, manifest, portals and fresh crawl dependencies. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Portal } from '../../src/crawl/config.js';
import type { ReportRef } from '../../src/crawl/discover.js';
import { createRobots } from '../../src/crawl/robots.js';
import { MemoryCrawlState } from '../../src/crawl/state.js';
import { samplePortals } from '../../src/demo/portal-config.js';
import type { ExpectedRecord } from '../../src/demo/generated-report.js';
import { SAMPLE_PORTAL_DIR, type PortalServer } from '../../src/demo/portal-server.js';
import { createFetcher } from '../../src/fetch/client.js';
import { recordingLimiter } from '../helpers/limiter.js';

export interface ManifestReport {
  portal: string;
  url: string;
  via: 'inline' | 'attachment';
  article?: string;
  listing: string;
  title: string;
  year: number;
  agency: string;
  format: 'html' | 'pdf' | 'docx';
  charset?: string;
  template: '2019' | '2021';
  /** The generator seed and options the report was made from. */
  made: { seed: number; generate: Record<string, unknown> };
  state: 'ok' | 'corrupt';
  /** A report in the pre-2019 format. */
  old?: boolean;
  /** The exact record a correct extraction gives (issues: the exact set of codes, sorted). */
  expected: ExpectedRecord;
  /** Its labels: region (GB/T 2260 codes, township by name, where the place came from), title, publication date. */
  labels: {
    region: { code: string | null; level: string; province: string | null; prefecture: string | null; county: string | null; township?: string; source: string };
    title: string;
    publishedAt: string;
  };
}

interface Link {
  portal: string;
  url: string;
  listing: string;
  title: string;
}

export interface Manifest {
  portals: Record<string, { entries: string[] }>;
  listings: Record<string, string[]>;
  reports: ManifestReport[];
  unpublished: (ManifestReport & { file: string; listingItem: string })[];
  dead: (Link & { status: number })[];
  robotsDisallowed: Link[];
  offHost: Link[];
  notReports: Link[];
}

export const manifest: Manifest = JSON.parse(readFileSync(join(SAMPLE_PORTAL_DIR, 'manifest.json'), 'utf8'));

export async function portalsFor(server: PortalServer): Promise<Record<string, Portal>> {
  return Object.fromEntries((await samplePortals(server.baseUrl)).map((p) => [p.id, p]));
}

/** The same fact in the crawler's terms and the manifest's, for set comparison. */
export function refKey(r: ReportRef, base: string): string {
  const rel = (u: string | undefined) => (u === undefined ? '-' : u.startsWith(base) ? u.slice(base.length) : u);
  return [r.portalId, rel(r.url), r.via, rel(r.articleUrl), rel(r.listingUrl), r.year, r.agency, r.title].join(' | ');
}

export function manifestKey(r: ManifestReport): string {
  return [r.portal, r.url, r.via, r.article ?? '-', r.listing, r.year, r.agency, r.title].join(' | ');
}

/** The limiter records its grants and sends (test/helpers/limiter.ts); onRequest sees each request sent, in order. */
export function freshDeps(onRequest?: (info: { url: string }) => void) {
  const fetcher = createFetcher({ onRequest: onRequest ? (i) => onRequest({ url: i.url }) : undefined });
  return { fetcher, limiter: recordingLimiter(), state: new MemoryCrawlState(), robots: createRobots({ fetcher }) };
}
