/**
 * The report id: the first 16 hex digits of the SHA-256 of the report's canonical URL. It is the
 * same whichever store, machine or run made the record, stays the same when the report is
 * re-fetched or re-extracted, and differs between two URLs serving the same file (each is its
 * own record). Pure.
 */
import { createHash } from 'node:crypto';

/**
 * The URL as the WHATWG parser writes it (scheme and host lower-cased, default port and
 * fragment dropped, percent-encoding normalized); anything that is not an http(s) URL — a local
 * path given to `nianbao extract` — as given.
 */
export function canonicalUri(uri: string): string {
  const s = uri.trim();
  if (!/^https?:\/\//i.test(s)) return s;
  try {
    const u = new URL(s);
    u.hash = '';
    return u.href;
  } catch {
    return s;
  }
}

export function reportIdOf(uri: string): string {
  return createHash('sha256').update(canonicalUri(uri), 'utf8').digest('hex').slice(0, 16);
}
