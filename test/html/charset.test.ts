/**
 * Which charset a page is decoded with: BOM, then the HTTP header, then a <meta> in the first
 * 1024 bytes, then strict UTF-8, then GB18030 — checked on whole reports, so a wrong choice
 * shows up as an unreadable title or unmatched labels.
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { extractDocument } from '../../src/extract/index.js';
import { generateReport } from '../fixtures/report.js';
import { renderHtml } from '../fixtures/render-html.js';

const rep = generateReport(61, { template: '2019', money: 'yuan' });
const page = (charset: string | null) => renderHtml(rep, { charset });
const gbk = (s: string) => iconv.encode(s, 'gbk');
const utf8 = (s: string) => Buffer.from(s, 'utf8');

async function read(bytes: Uint8Array, charset?: string) {
  const doc = await extractDocument(bytes, { charset: charset ?? null });
  const rec = await extractRecord(bytes, { uri: 'page.html', charset: charset ?? null });
  return { method: doc.method, rec };
}

function expectRight(rec: Awaited<ReturnType<typeof read>>['rec']): void {
  expect(rec.status).toBe('valid');
  expect([rec.agency, rec.year]).toEqual([rep.agency, rep.year]);
  expect(rec.values).toEqual(rep.values);
}

describe('charset of HTML pages', () => {
  it('a UTF-8 BOM wins over everything', async () => {
    const r = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(page('gbk'))]), 'text/html; charset=GBK');
    expect(r.method).toBe('html:cheerio(utf-8 by bom)');
    expectRight(r.rec);
  });

  it('the HTTP header wins over a <meta> that says otherwise', async () => {
    const r = await read(gbk(page('utf-8')), 'text/html; charset=GBK');
    expect(r.method).toBe('html:cheerio(gb18030 by declared)');
    expectRight(r.rec);
  });

  it('a bare charset label from the header works too; GB2312 decodes as GB18030', async () => {
    const r = await read(gbk(page(null)), 'gb2312');
    expect(r.method).toBe('html:cheerio(gb18030 by declared)');
    expectRight(r.rec);
  });

  it('without a header, the <meta> prescan decides', async () => {
    const r = await read(gbk(page('GBK')));
    expect(r.method).toBe('html:cheerio(gb18030 by meta)');
    expectRight(r.rec);
  });

  it('a page declaring nothing, in GBK, is read as GB18030', async () => {
    const r = await read(gbk(page(null)));
    expect(r.method).toBe('html:cheerio(gb18030 by fallback)');
    expectRight(r.rec);
  });

  it('a page declaring nothing, in UTF-8, is read as UTF-8', async () => {
    const r = await read(utf8(page(null)));
    expect(r.method).toBe('html:cheerio(utf-8 by utf-8)');
    expectRight(r.rec);
  });

  it('UTF-8 declared (header or meta) but GBK bytes: the bytes are trusted', async () => {
    const viaHeader = await read(gbk(page(null)), 'text/html; charset=utf-8');
    expect(viaHeader.method).toBe('html:cheerio(gb18030 by fallback)');
    expectRight(viaHeader.rec);
    const viaMeta = await read(gbk(page('utf-8')));
    expect(viaMeta.method).toBe('html:cheerio(gb18030 by fallback)');
    expectRight(viaMeta.rec);
  });

  it('a <meta> after the first 1024 bytes is too late to count, as in browsers', async () => {
    const late = page(null).replace('<head>', `<head><!-- ${'x'.repeat(1100)} --><meta charset="big5">`);
    const r = await read(gbk(late));
    expect(r.method).toBe('html:cheerio(gb18030 by fallback)');
    expectRight(r.rec);
  });
});
