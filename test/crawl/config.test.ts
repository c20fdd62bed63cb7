import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadPortalConfig, parsePortalConfig } from '../../src/crawl/config.js';
import { CRAWL_DEFAULTS } from '../../src/crawl/defaults.js';
import { ROOT } from '../helpers/shared.js';

const portal = (extra = '') => `portals:
  - id: demo
    name: 示例市人民政府
    region: { name: 示例市, code: "320800" }
    level: city
    entries:
      - https://www.example.gov.cn/ndbg/index.html
${extra}`;

function errorOf(text: string, source = 'config/portals.yaml'): ConfigError {
  try {
    parsePortalConfig(text, { source });
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('portal config', () => {
  it('fills defaults: allowedHosts from the entries, rate limit and limits from code', () => {
    const cfg = parsePortalConfig(portal());
    expect(cfg.portals).toHaveLength(1);
    expect(cfg.portals[0]).toMatchObject({
      id: 'demo',
      entries: [{ url: 'https://www.example.gov.cn/ndbg/index.html' }],
      allowedHosts: ['www.example.gov.cn'],
      render: 'http',
      allowPrivate: false,
      rateLimit: CRAWL_DEFAULTS.rateLimit,
      limits: CRAWL_DEFAULTS.limits,
      selectors: {},
    });
  });

  it('a defaults block overrides the code defaults; a portal overrides both', () => {
    const cfg = parsePortalConfig(`defaults:\n  rateLimit: { requestsPerSecond: 0.5 }\n  limits: { maxPages: 7 }\n${portal('    rateLimit: { concurrency: 3 }\n')}`);
    expect(cfg.portals[0]!.rateLimit).toEqual({ requestsPerSecond: 0.5, concurrency: 3 });
    expect(cfg.portals[0]!.limits.maxPages).toBe(7);
  });

  it('errors carry file, line and path', () => {
    const text = portal().replace('https://www.example.gov.cn/ndbg/index.html', '"not a url"');
    const e = errorOf(text);
    expect(e.message).toBe('config/portals.yaml:7: portals[0].entries[0].url: Invalid url: expected an absolute http(s) URL');
    expect(e.issues[0]).toMatchObject({ line: 7, path: 'portals[0].entries[0].url' });
  });

  it('reports every problem, each on its own line', () => {
    const text = `portals:
  - id: Bad Id
    name: 示例
    region: { name: 示例, code: "99000" }
    level: village
    entries:
      - url: https://a.gov.cn/x
        nmae: typo
    allowedHosts: [b.gov.cn]
    selectors: { listLinks: "a[" }
    rateLimit: { requestsPerSecond: -1 }
`;
    const lines = errorOf(text, 'p.yaml').message.split('\n');
    expect(lines).toEqual([
      'p.yaml:2: portals[0].id: Invalid id: lowercase letters, digits, - and _',
      expect.stringMatching(/^p\.yaml:4: portals\[0\]\.region\.code: Invalid region code/),
      expect.stringMatching(/^p\.yaml:4: portals\[0\]\.region\.code: Invalid region code/),
      expect.stringMatching(/^p\.yaml:5: portals\[0\]\.level: /),
      'p.yaml:8: portals[0].entries[0].nmae: unknown field (typo?)',
      'p.yaml:10: portals[0].selectors.listLinks: Invalid CSS selector',
      expect.stringMatching(/^p\.yaml:11: portals\[0\]\.rateLimit\.requestsPerSecond: /),
    ]);
  });

  it('an entry host must be allowed; ids must be unique', () => {
    const e = errorOf(`${portal('    allowedHosts: [other.gov.cn]\n')}${portal().split('\n').slice(1).join('\n')}`);
    expect(e.issues.map((i) => `${i.line} ${i.path} ${i.message}`)).toEqual(['7 portals[0].entries[0].url host www.example.gov.cn is not in allowedHosts', '9 portals[1].id duplicate id "demo" (first at portals[0])']);
  });

  it('YAML syntax errors carry their line', () => {
    const e = errorOf('portals:\n  - id: x\n    name: [unclosed\n');
    expect(e.issues[0]!.line).toBeGreaterThanOrEqual(3);
    expect(e.message).toMatch(/^config\/portals\.yaml:\d+: /);
  });

  it('substitutes ${VARS} and reports unknown ones by line', () => {
    const cfg = parsePortalConfig(portal().replace('https://www.example.gov.cn', '${BASE_URL}'), { vars: { BASE_URL: 'http://127.0.0.1:8080' } });
    expect(cfg.portals[0]!.entries[0]!.url).toBe('http://127.0.0.1:8080/ndbg/index.html');
    expect(cfg.portals[0]!.allowedHosts).toEqual(['127.0.0.1']);
    expect(errorOf(portal().replace('https://www.example.gov.cn', '${NOPE}')).message).toBe('config/portals.yaml:7: unknown variable ${NOPE}');
  });

  it('loads config/portals.yaml and the sample portal config', async () => {
    const cfg = await loadPortalConfig(join(ROOT, 'config/portals.yaml'));
    expect(cfg.portals.map((p) => p.id)).toEqual(['huaian', 'huaian-hongze', 'nantong-haimen', 'guangzhou-huangpu']);
    expect(cfg.portals.every((p) => p.rateLimit.requestsPerSecond <= 0.5 && !p.allowPrivate)).toBe(true);
    const sample = parsePortalConfig(readFileSync(join(ROOT, 'samples/portal/portals.yaml'), 'utf8'), { vars: { BASE_URL: 'http://127.0.0.1:1234', HOST: '127.0.0.1:1234' } });
    expect(sample.portals.map((p) => [p.id, p.render, p.allowPrivate])).toEqual([
      ['demo', 'http', true],
      ['demo-js', 'browser', true],
    ]);
  });
});
