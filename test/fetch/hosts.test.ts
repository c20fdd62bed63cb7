/** Which hosts a portal may be crawled on (src/fetch/hosts.ts), IPv6 literals included. */
import { describe, expect, it } from 'vitest';
import { parsePortalConfig } from '../../src/crawl/config.js';
import { hostAllowed } from '../../src/fetch/hosts.js';

describe('hostAllowed', () => {
  it('matches names, names with a port and subdomain wildcards', () => {
    expect(hostAllowed(new URL('http://www.gov.test/a'), ['www.gov.test'])).toBe(true);
    expect(hostAllowed(new URL('http://127.0.0.1:8080/a'), ['127.0.0.1:8080'])).toBe(true);
    expect(hostAllowed(new URL('http://127.0.0.1:8081/a'), ['127.0.0.1:8080'])).toBe(false);
    expect(hostAllowed(new URL('https://a.huaian.gov.cn/'), ['*.huaian.gov.cn'])).toBe(true);
    expect(hostAllowed(new URL('https://huaian.gov.cn/'), ['*.huaian.gov.cn'])).toBe(false);
  });

  it('matches IPv6 literals with or without brackets and port, as the URL keeps its brackets', () => {
    const u = new URL('http://[::1]:8080/ndbg/index.html');
    expect(u.hostname).toBe('[::1]');
    for (const entry of ['[::1]', '::1', '[::1]:8080']) expect(hostAllowed(u, [entry]), entry).toBe(true);
    expect(hostAllowed(u, ['[::1]:9090'])).toBe(false);
    expect(hostAllowed(u, ['[::2]'])).toBe(false);
    expect(hostAllowed(new URL('http://[2001:db8::1]/'), ['[2001:db8::1]:80'])).toBe(true);
  });

  it('an IPv6-literal portal entry is crawlable: the default allowedHosts admits its own entry', () => {
    const cfg = parsePortalConfig(`portals:\n  - id: v6\n    name: 测试\n    region: { name: 江苏省, code: "320000" }\n    level: county\n    entries: ["http://[::1]:8080/ndbg/index.html"]\n`);
    const p = cfg.portals[0]!;
    expect(hostAllowed(new URL(p.entries[0]!.url), p.allowedHosts)).toBe(true);
    expect(hostAllowed(new URL('http://[::1]:8080/ndbg/2023.html'), p.allowedHosts)).toBe(true);
    expect(hostAllowed(new URL('http://127.0.0.1:8080/'), p.allowedHosts)).toBe(false);
  });
});
