import { describe, expect, it } from 'vitest';
import { ipLiteral, isPrivateAddress, parseIpv6 } from '../../src/fetch/address.js';
import { hostAllowed } from '../../src/fetch/hosts.js';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::a00:1', '2002:7f00:1::', '[::1]', 'not-an-ip',
  ])('refuses %s', (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each(['8.8.8.8', '114.114.114.114', '172.32.0.1', '192.169.0.1', '2001:4860:4860::8888', '240e:1::1', '::ffff:8.8.8.8', '2002:808:808::'])('allows %s', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false),
  );

  it('parses IPv6 forms', () => {
    expect(parseIpv6('::1')).toEqual([...Array(15).fill(0), 1]);
    expect(parseIpv6('::ffff:1.2.3.4')!.slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(parseIpv6('1:2:3')).toBeNull();
    expect(ipLiteral('[::1]')).toBe('::1');
    expect(ipLiteral('www.gov.cn')).toBeNull();
  });
});

describe('hostAllowed', () => {
  it('matches hosts, host:port and subdomain wildcards', () => {
    expect(hostAllowed(new URL('http://www.huaian.gov.cn/a'), ['www.huaian.gov.cn'])).toBe(true);
    expect(hostAllowed(new URL('http://WWW.HUAIAN.GOV.CN./a'), ['www.huaian.gov.cn'])).toBe(true);
    expect(hostAllowed(new URL('http://evil.cn/a'), ['www.huaian.gov.cn'])).toBe(false);
    expect(hostAllowed(new URL('http://xxgk.huaian.gov.cn/a'), ['*.huaian.gov.cn'])).toBe(true);
    expect(hostAllowed(new URL('http://huaian.gov.cn/a'), ['*.huaian.gov.cn'])).toBe(false);
    expect(hostAllowed(new URL('http://evilhuaian.gov.cn/a'), ['*.huaian.gov.cn'])).toBe(false);
    expect(hostAllowed(new URL('http://127.0.0.1:8080/a'), ['127.0.0.1:8080'])).toBe(true);
    expect(hostAllowed(new URL('http://127.0.0.1:8081/a'), ['127.0.0.1:8080'])).toBe(false);
    expect(hostAllowed(new URL('https://a.gov.cn/'), ['a.gov.cn:443'])).toBe(true);
  });
});
