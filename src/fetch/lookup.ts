/**
 * DNS lookup for the HTTP agent that refuses forbidden addresses at connect time. Checking the
 * hostname before the request is not enough: a name can resolve to a public address when we
 * check and to 127.0.0.1 when we connect (DNS rebinding). Here the address checked is the address
 * the socket connects to.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';

/** Resolves a hostname to every address it has. Injectable so tests can map names to loopback. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))));

export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`${hostname} resolves to ${address}, a private, loopback, link-local or reserved address`);
    this.name = 'PrivateAddressError';
  }
}

/**
 * A `lookup` for net.connect / tls.connect. With `isForbidden` null every address is allowed
 * (a portal with allowPrivate). Every resolved address must pass: connecting to "the public
 * one" of a mixed answer would let the OS fall back to the private one.
 */
export function guardedLookup(resolve: Resolver, isForbidden: ((ip: string) => boolean) | null): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number | string }, callback: (...args: unknown[]) => void) => {
    resolve(hostname).then(
      (addrs) => {
        const family = options?.family === 'IPv4' ? 4 : options?.family === 'IPv6' ? 6 : Number(options?.family ?? 0);
        const list = family === 4 || family === 6 ? addrs.filter((a) => a.family === family) : addrs;
        if (list.length === 0) {
          const e = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
          return callback(e);
        }
        const bad = isForbidden ? list.find((a) => isForbidden(a.address)) : undefined;
        if (bad) return callback(new PrivateAddressError(hostname, bad.address));
        if (options?.all) return callback(null, list);
        return callback(null, list[0]!.address, list[0]!.family);
      },
      (err) => callback(err),
    );
  }) as LookupFunction;
}

/**
 * A resolver that remembers answers for `ttlMs` (Node's lookup caches nothing) and shares one
 * query among concurrent askers. The crawler resolves a host before its politeness slot, so a
 * slow name server does not eat into the interval the host is owed; the connect then reuses the
 * answer (and still checks every address of it). Failures are not remembered.
 */
export function cachingResolver(resolve: Resolver, ttlMs = 60_000, now: () => number = Date.now): Resolver {
  const cache = new Map<string, { at: number; answer: Promise<LookupAddress[]> }>();
  return (hostname) => {
    const hit = cache.get(hostname);
    if (hit && now() - hit.at < ttlMs) return hit.answer;
    const answer = resolve(hostname);
    const entry = { at: now(), answer };
    cache.set(hostname, entry);
    answer.catch(() => {
      if (cache.get(hostname) === entry) cache.delete(hostname);
    });
    if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
    return answer;
  };
}
