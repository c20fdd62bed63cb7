/**
 * Download one report document (the article page for an inline report, the file for an
 * attachment) under the same host rules, robots.txt and politeness as the crawl. Bytes plus what
 * is known about them, or a failure with its reason — never a throw.
 */
import { sniffFormat, type Sniffed } from '../extract/sniff.js';
import type { Fetcher } from '../fetch/types.js';
import type { FailureReason } from '../fetch/reasons.js';
import { portalGate } from './admit.js';
import type { Portal } from './config.js';
import { filenameFromContentDisposition } from './content-disposition.js';
import type { ReportRef } from './discover.js';
import type { HostLimiter } from './politeness.js';
import type { RobotsChecker } from './robots.js';
import type { CrawlState } from './state.js';

export interface DocumentDeps {
  portal: Portal;
  fetcher: Fetcher;
  limiter: HostLimiter;
  robots: RobotsChecker;
  /**
   * With a state, the request is conditional on the validators stored by the last successful
   * fetch (a 304 then means: the bytes with the stored sha256 are current) and a success stores
   * the new validators.
   */
  state?: CrawlState;
  /**
   * Whether the bytes of the last successful fetch are still at hand (e.g. in the artifact store).
   * When they are not, a 304 would leave nothing to extract, so the request is unconditional.
   */
  haveContent?: (sha256: string) => Promise<boolean>;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface DocumentFetched {
  ok: true;
  notModified: false;
  ref: ReportRef;
  url: string;
  finalUrl: string;
  status: number;
  bytes: Uint8Array;
  sha256: string;
  contentType: string | null;
  /** From Content-Disposition, decoded. */
  filename: string | null;
  /** Format from the bytes (a ".pdf" link may serve an HTML error page). */
  sniffed: Sniffed;
  etag: string | null;
  lastModified: string | null;
  fetchedAt: string;
}

export interface DocumentNotModified {
  ok: true;
  notModified: true;
  ref: ReportRef;
  url: string;
  finalUrl: string;
  /** The sha256 stored with the last successful fetch: the artifact to reuse. */
  sha256: string | null;
  fetchedAt: string;
}

export interface DocumentFailure {
  ok: false;
  ref: ReportRef;
  url: string;
  finalUrl: string;
  reason: FailureReason;
  message: string;
  status?: number;
  retryAfterMs?: number;
}

export type DocumentResult = DocumentFetched | DocumentNotModified | DocumentFailure;

export async function fetchDocument(ref: ReportRef, deps: DocumentDeps): Promise<DocumentResult> {
  const { portal } = deps;
  const now = () => (deps.now ? deps.now() : new Date());
  const gate = portalGate(portal, deps, deps.signal);
  const prev = deps.state ? await deps.state.getDocument(ref.url) : undefined;
  const conditional = !!prev?.sha256 && (!deps.haveContent || (await deps.haveContent(prev.sha256)));
  const validators = conditional ? { etag: prev!.etag ?? null, lastModified: prev!.lastModified ?? null } : null;
  const res = await deps.fetcher.fetch({
    url: ref.url,
    policy: gate.policy,
    admit: gate.admit,
    onRetryAfter: gate.onRetryAfter,
    validators,
    limits: {
      maxBytes: portal.limits.documentMaxBytes,
      maxDecompressedBytes: portal.limits.maxDecompressedBytes,
      totalTimeoutMs: portal.limits.timeoutMs,
      retries: portal.limits.retries,
    },
    signal: deps.signal,
  });
  const fetchedAt = now().toISOString();
  if (!res.ok) {
    return {
      ok: false,
      ref,
      url: ref.url,
      finalUrl: res.finalUrl,
      reason: res.reason,
      message: res.message,
      ...(res.status !== undefined ? { status: res.status } : {}),
      ...(res.retryAfterMs !== undefined ? { retryAfterMs: res.retryAfterMs } : {}),
    };
  }
  if (res.notModified) return { ok: true, notModified: true, ref, url: ref.url, finalUrl: res.finalUrl, sha256: prev?.sha256 ?? null, fetchedAt };
  const out: DocumentFetched = {
    ok: true,
    notModified: false,
    ref,
    url: ref.url,
    finalUrl: res.finalUrl,
    status: res.status,
    bytes: res.body,
    sha256: res.sha256!,
    contentType: res.contentType,
    filename: filenameFromContentDisposition(res.headers['content-disposition']),
    sniffed: sniffFormat(res.body),
    etag: res.etag,
    lastModified: res.lastModified,
    fetchedAt,
  };
  if (deps.state) {
    const seen = prev ?? { url: ref.url, ref, firstSeenAt: fetchedAt, lastSeenAt: fetchedAt };
    await deps.state.putDocument(ref.url, { ...seen, etag: out.etag, lastModified: out.lastModified, sha256: out.sha256, contentType: out.contentType, fetchedAt });
  }
  return out;
}
