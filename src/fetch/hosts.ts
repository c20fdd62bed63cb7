/**
 * Which hosts a portal may be crawled on. An entry is a hostname (`www.gov.cn`), a hostname with
 * a port (`127.0.0.1:8080`, for the offline demo), or a subdomain wildcard (`*.huaian.gov.cn`,
 * which does not match `huaian.gov.cn` itself).
 */

export function hostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const withPort = `${host}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  return allowedHosts.some((raw) => {
    const entry = raw.trim().toLowerCase().replace(/\.$/, '');
    if (entry.startsWith('*.')) return host.endsWith(entry.slice(1));
    if (/:\d+$/.test(entry) && !entry.endsWith(']')) return withPort === entry || `[${host}]:${url.port}` === entry;
    return host === entry.replace(/^\[|\]$/g, '');
  });
}

/** The key politeness is tracked under: one budget per host and port. */
export function hostKey(url: URL): string {
  return url.host.toLowerCase();
}
