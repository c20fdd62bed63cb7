/**
 * Which hosts a portal may be crawled on. An entry is a hostname (`www.gov.cn`), a hostname with
 * a port (`127.0.0.1:8080`, for the offline demo), or a subdomain wildcard (`*.huaian.gov.cn`,
 * which does not match `huaian.gov.cn` itself).
 */

export function hostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  // WHATWG URLs keep an IPv6 literal's brackets in `hostname` ([::1]); entries may have them or
  // not (`[::1]`, `::1`, `[::1]:8080`): both sides are compared without them.
  const host = unbracket(url.hostname.toLowerCase().replace(/\.$/, ''));
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowedHosts.some((raw) => {
    const entry = raw.trim().toLowerCase().replace(/\.$/, '');
    if (entry.startsWith('*.')) return host.endsWith(entry.slice(1));
    const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (v6) return host === v6[1] && (v6[2] === undefined || v6[2] === port);
    const withPort = /^(.+):(\d+)$/.exec(entry);
    if (withPort && !withPort[1]!.includes(':')) return host === withPort[1] && port === withPort[2];
    return host === entry;
  });
}

const unbracket = (h: string) => h.replace(/^\[(.*)\]$/, '$1');

/** The key politeness is tracked under: one budget per host and port. */
export function hostKey(url: URL): string {
  return url.host.toLowerCase();
}
