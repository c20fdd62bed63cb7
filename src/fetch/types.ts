/** The fetch layer's plain-data contract: requests, responses, failures, admission. */
import type { FailureReason, FetchFailure } from './reasons.js';

/** Where a request may go: a portal's hosts, and whether private addresses are allowed (tests, demo). */
export interface FetchPolicy {
  allowedHosts: readonly string[];
  allowPrivate?: boolean;
}

export interface FetchLimits {
  /** Bytes on the wire. */
  maxBytes: number;
  /** Bytes after gzip/deflate/br are undone. */
  maxDecompressedBytes: number;
  /** Until the response headers arrive. */
  headersTimeoutMs: number;
  /** Longest silence between two body chunks. */
  bodyTimeoutMs: number;
  /** The whole fetch, every retry and redirect included. */
  totalTimeoutMs: number;
  maxRedirects: number;
  /** Extra attempts after the first, for transient failures. */
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A Retry-After longer than this is not waited for: the fetch fails with retryAfterMs set. */
  maxRetryAfterMs: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxDecompressedBytes: 64 * 1024 * 1024,
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  totalTimeoutMs: 180_000,
  maxRedirects: 5,
  retries: 3,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/**
 * Called before every request that goes on the wire (each retry, each redirect hop): robots.txt
 * and per-host politeness live behind it. `release` frees the host's concurrency slot.
 */
export type Admission =
  | {
      ok: true;
      release: () => void;
      /**
       * Called when the request is actually written to the socket (after DNS and connect), so
       * the host's interval can run from there: what the server sees is when requests arrive.
       */
      sent?: () => void;
    }
  | { ok: false; reason: FailureReason; message: string };
export type Admit = (url: URL) => Promise<Admission>;

/** Stored validators from the last fetch, for a conditional request. */
export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

export interface FetchRequest {
  url: string;
  policy: FetchPolicy;
  limits?: Partial<FetchLimits>;
  validators?: Validators | null;
  accept?: string;
  headers?: Record<string, string>;
  admit?: Admit;
  /** The server asked us to slow down: push this host's next slot back. */
  onRetryAfter?: (host: string, delayMs: number) => void;
  signal?: AbortSignal;
}

export interface FetchResponse {
  ok: true;
  url: string;
  finalUrl: string;
  status: number;
  /** 304: the stored copy is current; `body` is empty. */
  notModified: boolean;
  body: Uint8Array;
  /** sha256 of the (decompressed) body, null for a 304. */
  sha256: string | null;
  headers: Record<string, string>;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  redirects: string[];
  attempts: number;
  wireBytes: number;
  elapsedMs: number;
}

export type FetchResult = FetchResponse | FetchFailure;

export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchResult>;
  close(): Promise<void>;
}
