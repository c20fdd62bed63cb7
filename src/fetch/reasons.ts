/**
 * Every way a fetch can fail, as a code. Failures are values carrying the URL, never throws:
 * a crawl of a thousand portals must end with a list of what failed and why.
 */

export type FailureReason =
  | 'http_404'
  | 'http_410'
  | 'http_403'
  | 'http_429'
  | 'http_4xx'
  | 'http_5xx'
  | 'http_other'
  | 'timeout'
  | 'too_large'
  | 'decompression_bomb'
  | 'bad_encoding'
  | 'private_address'
  | 'host_not_allowed'
  | 'unsupported_scheme'
  | 'invalid_url'
  | 'redirect_loop'
  | 'too_many_redirects'
  | 'redirect_without_location'
  | 'connection_reset'
  | 'connection_refused'
  | 'dns_error'
  | 'protocol_error'
  | 'network_error'
  | 'robots_disallowed'
  | 'robots_unavailable'
  | 'aborted'
  | 'render_failed'
  | 'renderer_unavailable'
  // A page fetched whole that could not be read (discovery): beyond the parsing limits, or broken.
  | 'too_complex'
  | 'parse_failed';

export interface FetchFailure {
  ok: false;
  reason: FailureReason;
  message: string;
  /** The URL asked for. */
  url: string;
  /** The hop that failed, when a redirect was followed. */
  finalUrl: string;
  status?: number;
  /** When the server asked to come back later (Retry-After beyond what we wait for). */
  retryAfterMs?: number;
  attempts: number;
  redirects: string[];
}

export function reasonForStatus(status: number): FailureReason {
  if (status === 404) return 'http_404';
  if (status === 410) return 'http_410';
  if (status === 403) return 'http_403';
  if (status === 429) return 'http_429';
  if (status >= 400 && status < 500) return 'http_4xx';
  if (status >= 500 && status < 600) return 'http_5xx';
  return 'http_other';
}

/**
 * Reasons worth another attempt: the server or the path may recover. Everything else (404, a
 * size limit, a refused address…) fails the same way every time. The one place this is decided:
 * the fetcher's own retries, the stored document state and the queue's unrecoverable jobs all ask here.
 */
export function isTransient(reason: FailureReason, status?: number): boolean {
  if (reason === 'http_5xx') return status === undefined || [500, 502, 503, 504].includes(status);
  if (reason === 'http_4xx') return status === 408;
  // robots.txt answering 5xx means "come back later" (RFC 9309); an aborted fetch was shutdown.
  return ['http_429', 'timeout', 'connection_reset', 'connection_refused', 'dns_error', 'network_error', 'robots_unavailable', 'aborted'].includes(reason);
}

/** Thrown only inside the fetch layer and turned into a FetchFailure at its boundary. */
export class FetchError extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

/** Map a Node/undici error (walking `cause`) to a reason. */
export function classifyError(err: unknown): { reason: FailureReason; message: string } {
  if (err instanceof FetchError) return { reason: err.reason, message: err.message };
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    if (e instanceof FetchError) return { reason: e.reason, message: e.message };
    const code = (e as { code?: string }).code;
    const name = (e as { name?: string }).name;
    const msg = (e as { message?: string }).message ?? String(e);
    switch (code) {
      case 'EPRIVATEADDRESS':
        return { reason: 'private_address', message: msg };
      case 'UND_ERR_CONNECT_TIMEOUT':
        return { reason: 'timeout', message: `connect timeout: ${msg}` };
      case 'UND_ERR_HEADERS_TIMEOUT':
        return { reason: 'timeout', message: `no response headers in time: ${msg}` };
      case 'UND_ERR_BODY_TIMEOUT':
        return { reason: 'timeout', message: `body stalled: ${msg}` };
      case 'ETIMEDOUT':
        return { reason: 'timeout', message: msg };
      case 'ECONNRESET':
      case 'EPIPE':
      case 'UND_ERR_SOCKET':
        return { reason: 'connection_reset', message: msg };
      case 'ECONNREFUSED':
        return { reason: 'connection_refused', message: msg };
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'EAI_FAIL':
      case 'EAI_NODATA':
        return { reason: 'dns_error', message: msg };
      case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
        return { reason: 'connection_reset', message: msg };
      case 'Z_DATA_ERROR':
      case 'Z_BUF_ERROR':
      case 'ERR__ERROR_FORMAT_PADDING_1':
        return { reason: 'bad_encoding', message: msg };
    }
    if (typeof code === 'string' && code.startsWith('HPE_')) return { reason: 'protocol_error', message: msg };
    if (name === 'TimeoutError') return { reason: 'timeout', message: msg };
    if (name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') {
      const cause = (e as { cause?: unknown }).cause;
      if (cause && (cause as { name?: string }).name === 'TimeoutError') return { reason: 'timeout', message: 'overall deadline exceeded' };
      return { reason: 'aborted', message: msg };
    }
    e = (e as { cause?: unknown }).cause;
  }
  return { reason: 'network_error', message: err instanceof Error ? err.message : String(err) };
}
