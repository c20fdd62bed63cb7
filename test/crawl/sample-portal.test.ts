/** The sample portal is what its manifest says it is. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isValidUtf8 } from '../../src/extract/decode.js';
import { sniffFormat } from '../../src/extract/sniff.js';
import { SAMPLE_PORTAL_DIR, startPortalServer } from '../../src/demo/portal-server.js';
import { manifest } from './sample.js';

const site = (p: string) => join(SAMPLE_PORTAL_DIR, 'site', p);
const routes = JSON.parse(readFileSync(join(SAMPLE_PORTAL_DIR, 'routes.json'), 'utf8')) as Record<string, { file: string }>;

describe('samples/portal', () => {
  it('holds every report the manifest lists as present, in its stated format, and none of the dead ones', () => {
    for (const r of manifest.reports) {
      const file = site(routes[r.url]?.file ?? r.url);
      expect(existsSync(file), r.url).toBe(true);
      expect(sniffFormat(readFileSync(file)), r.url).toBe(r.format);
      if (r.article) expect(existsSync(site(r.article)), r.article).toBe(true);
    }
    for (const d of manifest.dead) expect(existsSync(site(d.url)), d.url).toBe(false);
    for (const u of manifest.unpublished) {
      expect(existsSync(site(u.url)), u.url).toBe(false);
      expect(existsSync(join(SAMPLE_PORTAL_DIR, u.file)), u.file).toBe(true);
    }
  });

  it('has one GBK page that declares its charset nowhere', () => {
    const gbk = manifest.reports.filter((r) => r.charset === 'gbk-undeclared');
    expect(gbk).toHaveLength(1);
    const bytes = readFileSync(site(gbk[0]!.url));
    expect(isValidUtf8(bytes)).toBe(false);
    expect(bytes.toString('latin1')).not.toMatch(/charset/i);
  });

  it('serves 304s, gzip, Content-Disposition and 404s, and logs every request', async () => {
    const s = await startPortalServer();
    try {
      const first = await fetch(`${s.baseUrl}/zwgk/ndbg/index.html`, { headers: { 'accept-encoding': 'gzip' } });
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('text/html');
      const etag = first.headers.get('etag')!;
      await first.arrayBuffer();
      expect((await fetch(`${s.baseUrl}/zwgk/ndbg/index.html`, { headers: { 'if-none-match': etag } })).status).toBe(304);
      const dl = await fetch(`${s.baseUrl}/module/download/downfile.jsp?classid=0&id=88412`);
      expect(dl.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
      await dl.arrayBuffer();
      expect((await fetch(`${s.baseUrl}${manifest.dead[0]!.url}`)).status).toBe(404);
      expect(s.requests.map((r) => [r.url, r.status, r.conditional])).toEqual([
        ['/zwgk/ndbg/index.html', 200, false],
        ['/zwgk/ndbg/index.html', 304, true],
        ['/module/download/downfile.jsp?classid=0&id=88412', 200, false],
        [manifest.dead[0]!.url, 404, false],
      ]);
      expect(await fetch(`${s.baseUrl}/..%2f..%2f..%2fpackage.json`).then((r) => r.status)).toBe(404); // no way out of site/
    } finally {
      await s.close();
    }
  });
});
