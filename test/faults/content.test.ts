/**
 * Bad content through the whole pipeline: wrong or missing Content-Type, GBK pages that declare
 * nothing (or declare UTF-8), malformed HTML (the listing itself too), corrupt, truncated,
 * encrypted and scanned PDFs, DOCX zip bombs and XML entity tricks, soft-404 pages, empty and
 * binary bodies. Every document is fetched fine; what extraction makes of it is asserted as the
 * stored record — exact values where the report is readable, the failed record's issue code
 * where it is not — and the readable reports of the same run are all stored exactly right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipEntries } from '../../src/extract/docx/zip-guard.js';
import type { RunSummary } from '../../src/pipeline/summary.js';
import { generateReport } from '../fixtures/report.js';
import { renderHtml } from '../fixtures/render-html.js';
import { readZip, repack, writeZip } from '../docx/zip.js';
import { openPipeline, testPortal, type TestPipeline } from './harness.js';
import { reportTitle } from './portal.js';
import { type KnownReport, expectKnown, htmlReport, sampleBytes, sampleReport } from './reports.js';
import { type FaultServer, fault, startFaultServer } from './server.js';

const HOST = 'www.content.test';
const DOCX = sampleBytes('docx', 'lo-2021-word');
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Readable reports served badly: each must be stored with exactly its values. */
interface Readable {
  name: string;
  path: string;
  known: KnownReport;
  type: string | null;
  /** Mangle the bytes before serving (malformed markup). */
  mangle?: (b: Buffer) => Buffer;
}

const unclosed = (b: Buffer) =>
  Buffer.from(
    b
      .toString('utf8')
      .replace(/<\/(td|tr|p|li|span|font)>/g, '')
      .replace(/<\/(body|html)>/g, '')
      .replace(/<table/g, '</table></div><div><span><table')
      .replace(/style="([^"]*)"/g, 'style=$1')
      .replace('<body>', '<body>\u0000<<>></b></i>'),
    'utf8',
  );

const READABLE: Readable[] = [
  { name: 'a PDF served as text/html', path: '/files/ct-pdf-as-html.pdf', known: sampleReport('pdf', 'chromium-2021-split'), type: 'text/html; charset=utf-8' },
  { name: 'an HTML report served as application/octet-stream', path: '/ndbg/ct-octet.html', known: htmlReport(7301, '示例县审计局', 2023), type: 'application/octet-stream' },
  { name: 'a DOCX served without any Content-Type', path: '/files/ct-none.docx', known: sampleReport('docx', 'docxjs-2021-merges'), type: null },
  { name: 'a GBK page declaring no charset anywhere', path: '/ndbg/gbk-undeclared.html', known: htmlReport(7302, '示例县应急管理局', 2020, { gbk: true }), type: 'text/html' },
  { name: 'a GBK page the server declares UTF-8', path: '/ndbg/gbk-as-utf8.html', known: htmlReport(7303, '示例县司法局', 2023, { gbk: true }), type: 'text/html; charset=utf-8' },
  { name: 'malformed HTML: unclosed cells, rows and paragraphs, stray tags, unquoted attributes, a NUL byte', path: '/ndbg/malformed.html', known: htmlReport(7304, '示例县林业局', 2023), type: 'text/html', mangle: unclosed },
];

const BILLION_LAUGHS = `<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>`;
const withDoctype = (doctype: string, entity: string) =>
  repack(DOCX, { 'word/document.xml': (x) => x.replace(/^(<\?xml[^>]*\?>)/, `$1${doctype}`).replace('<w:body>', `<w:body><w:p><w:r><w:t>${entity}</w:t></w:r></w:p>`) });

/** A document.xml that inflates to 32 MiB while the directory declares its real small size. */
function lyingDocx(): Buffer {
  const doc = zipEntries(DOCX).find((e) => e.name === 'word/document.xml')!;
  return writeZip(readZip(DOCX).map((p) => (p.name === 'word/document.xml' ? { ...p, data: Buffer.alloc(32 * 2 ** 20, 0x20), declaredSize: doc.uncompressedSize } : p)));
}

/** Unreadable documents: fetched fine, stored as a failed record with this reason. */
const UNREADABLE: { name: string; path: string; bytes: () => Buffer; type: string; code: string }[] = [
  { name: 'a PDF of garbage after its header', path: '/files/pdf-garbage.pdf', bytes: () => sampleBytes('pdf', 'failed-garbage'), type: 'application/pdf', code: 'corrupt' },
  { name: 'a PDF cut off mid-upload', path: '/files/pdf-truncated.pdf', bytes: () => sampleBytes('pdf', 'failed-truncated'), type: 'application/pdf', code: 'corrupt' },
  { name: 'an encrypted PDF', path: '/files/pdf-encrypted.pdf', bytes: () => sampleBytes('pdf', 'failed-encrypted'), type: 'application/pdf', code: 'encrypted' },
  { name: 'a scanned PDF', path: '/files/pdf-scanned.pdf', bytes: () => sampleBytes('pdf', 'failed-scanned'), type: 'application/pdf', code: 'no_text_layer' },
  { name: 'a soft 404: an HTML error page with status 200 at a .pdf URL', path: '/files/soft-404.pdf', bytes: () => Buffer.from('<html><head><title>404 页面不存在</title></head><body><p>您访问的页面不存在或已被删除</p></body></html>'), type: 'text/html', code: 'no_tables' },
  { name: 'an empty body', path: '/files/empty.pdf', bytes: () => Buffer.alloc(0), type: 'application/pdf', code: 'empty_file' },
  { name: 'binary junk', path: '/files/junk.doc', bytes: () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), type: 'application/msword', code: 'unsupported_format' },
  { name: 'a DOCX zip bomb (declared sizes)', path: '/files/docx-bomb-declared.docx', bytes: () => repack(DOCX, {}, [{ name: 'word/media/image1.png', data: Buffer.alloc(10), declaredSize: 4_000_000_000 }]), type: DOCX_TYPE, code: 'too_large' },
  { name: 'a DOCX zip bomb (a part inflating past its declared size)', path: '/files/docx-bomb-lying.docx', bytes: lyingDocx, type: DOCX_TYPE, code: 'too_large' },
  { name: 'a DOCX with an entity-expansion bomb', path: '/files/docx-laughs.docx', bytes: () => withDoctype(BILLION_LAUGHS, '&lol9;'), type: DOCX_TYPE, code: 'corrupt' },
  { name: 'a DOCX with an external entity (XXE)', path: '/files/docx-xxe.docx', bytes: () => withDoctype('<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>', '&x;'), type: DOCX_TYPE, code: 'corrupt' },
  { name: 'a truncated DOCX', path: '/files/docx-truncated.docx', bytes: () => DOCX.subarray(0, Math.floor(DOCX.length / 2)), type: DOCX_TYPE, code: 'corrupt' },
];

/** A report page the CMS cut off mid-table: what is there is right, what is not is flagged. */
const CUT = { path: '/ndbg/cut.html', seed: 7305, agency: '示例县水务局', year: 2023 };

/** A UTF-8 page (valid UTF-8, <meta charset=utf-8>) whose server claims GBK in the HTTP header. */
const UTF8_AS_GBK = { path: '/ndbg/utf8-as-gbk.html', known: htmlReport(7306, '示例县商务局', 2023) };

/** A listing written the way old CMS templates write them: unclosed items, unquoted attributes, stray tags. */
function malformedListing(items: { href: string; title: string }[]): string {
  const lis = items.map((i, n) => (n % 2 ? `<LI><A HREF=${i.href} TITLE="${i.title}">${i.title}<span class=date>2024-01-15` : `<li><a href="${i.href}" target=_blank>${i.title}</a></td>`)).join('\n');
  return `<html><head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><title>年报</title><body><table><tr><td><ul class=list>\n${lis}\n</ul></div></span>`;
}

describe('bad content through the pipeline', () => {
  let srv: FaultServer;
  let p: TestPipeline;
  let run: RunSummary;
  const url = (path: string) => srv.url(HOST, path);
  const cutReport = { ...generateReport(CUT.seed, { template: '2021', otherAggregated: false }), agency: CUT.agency, year: CUT.year };

  beforeAll(async () => {
    srv = await startFaultServer();
    const items: { href: string; title: string }[] = [];
    let n = 0;
    const add = (path: string, title = reportTitle(`示例县内容${++n}局`, 2023)) => items.push({ href: path, title });
    for (const u of UNREADABLE) {
      srv.route(u.path, fault.ok(u.bytes(), u.type));
      add(u.path);
    }
    const cut = renderHtml(cutReport, { word: true });
    srv.route(CUT.path, fault.ok(cut.slice(0, Math.floor(cut.length * 0.6)), 'text/html'));
    add(CUT.path, reportTitle(CUT.agency, CUT.year));
    srv.route(UTF8_AS_GBK.path, fault.ok(UTF8_AS_GBK.known.bytes, 'text/html; charset=GBK'));
    add(UTF8_AS_GBK.path, reportTitle(UTF8_AS_GBK.known.agency, UTF8_AS_GBK.known.year));
    for (const r of READABLE) {
      srv.route(r.path, fault.ok(r.mangle ? r.mangle(r.known.bytes) : r.known.bytes, r.type));
      add(r.path, reportTitle(r.known.agency, r.known.year));
    }
    srv.route('/ndbg/index.html', fault.ok(malformedListing(items), 'text/html'));
    const portal = testPortal({ id: 'content', entries: [url('/ndbg/index.html')], allowedHosts: [HOST], allowPrivate: true });
    p = await openPipeline([portal]);
    run = await p.run();
  }, 180_000);

  afterAll(async () => {
    await p?.close();
    await srv?.close();
  });

  it('a malformed listing still yields every report link', () => {
    expect(run.reportsFound).toBe(UNREADABLE.length + READABLE.length + 2);
    expect(run.failures.filter((f) => f.stage !== 'extract')).toEqual([]);
  });

  it.each(READABLE)('$name: stored with exactly its values', async (r) => {
    expect(await p.doc(url(r.path))).toMatchObject({ status: 'fetched', contentType: r.type });
    expectKnown(await p.store.getRecord(url(r.path)), r.known, r.path);
  });

  it.each(UNREADABLE)('$name: fetched, then stored as a failed record ($code)', async (u) => {
    expect(await p.doc(url(u.path))).toMatchObject({ status: 'fetched', errorCode: null });
    const stored = await p.store.getRecord(url(u.path));
    expect(stored?.record.status).toBe('failed');
    expect(stored!.record.issues.map((i) => i.code)).toEqual([u.code]);
    expect(stored!.record.values).toEqual({});
    expect(run.failures).toContainEqual(expect.objectContaining({ stage: 'extract', url: url(u.path), reason: u.code }));
  });

  it('an XXE DOCX never leaks the file it names into the record', async () => {
    expect(JSON.stringify(await p.store.getRecord(url('/files/docx-xxe.docx')))).not.toContain('root:');
  });

  it('a report page cut off mid-table is flagged: its cells that are there are right, the rest is left out', async () => {
    const rec = (await p.store.getRecord(url(CUT.path)))!.record;
    expect(rec.status).toBe('flagged');
    expect(rec.issues.map((i) => i.code)).toContain('field_missing');
    const present = Object.entries(rec.values).filter(([, v]) => v !== null);
    expect(present.length).toBeGreaterThan(50);
    for (const [k, v] of present) expect(v, k).toBe(cutReport.values[k]);
    expect(Object.keys(rec.values).length).toBeLessThan(Object.keys(cutReport.values).length);
  });

  // The server's charset says GBK, the page's bytes (and its own <meta>) say UTF-8: the bytes win.
  it('a UTF-8 page whose server declares GBK is read as UTF-8', async () => {
    expectKnown(await p.store.getRecord(url(UTF8_AS_GBK.path)), UTF8_AS_GBK.known, UTF8_AS_GBK.path);
  });

  it('the run went on: every readable report stored, every unreadable one failed with its reason', async () => {
    expect(run).toMatchObject({ fetched: UNREADABLE.length + READABLE.length + 2, fetchFailed: 0, valid: READABLE.length + 1, flagged: 1, failed: UNREADABLE.length });
    expect(await p.counts()).toMatchObject({ documents: UNREADABLE.length + READABLE.length + 2, records: UNREADABLE.length + READABLE.length + 2 });
  });
});
