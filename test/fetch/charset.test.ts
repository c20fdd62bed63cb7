/** Charset: BOM → HTTP charset → <meta> prescan → strict UTF-8 → GB18030, over real HTTP. */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText, prescanMetaCharset } from '../../src/extract/decode.js';
import { decodeResponse } from '../../src/fetch/charset.js';
import { createFetcher } from '../../src/fetch/client.js';
import { serve, type TestServer } from './server.js';

const TEXT = '雷州市科工贸和信息化局2020年度政府信息公开工作年度报告：本年新收政府信息公开申请数量“三安全一稳定”';
const gbkPage = iconv.encode(`<html><head><title>年报</title></head><body><p>${TEXT}</p></body></html>`, 'gbk');

let srv: TestServer;
const fetcher = createFetcher();
beforeAll(async () => {
  srv = await serve((req, res) => {
    if (req.url === '/gbk-undeclared') return res.writeHead(200, { 'content-type': 'text/html' }).end(gbkPage);
    if (req.url === '/gbk-meta') return res.writeHead(200, { 'content-type': 'text/html' }).end(iconv.encode(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>${TEXT}</body></html>`, 'gbk'));
    if (req.url === '/big5-http') return res.writeHead(200, { 'content-type': 'text/html; charset=Big5' }).end(iconv.encode(`<p>政府資訊公開</p>`, 'big5'));
    res.writeHead(404).end();
  });
});
afterAll(async () => {
  await fetcher.close();
  await srv.close();
});

describe('decoding fetched pages', () => {
  it('decodes a GBK page that declares no charset anywhere (strict UTF-8 fails → GB18030)', async () => {
    const r = await fetcher.fetch({ url: `${srv.base}/gbk-undeclared`, policy: { allowedHosts: ['127.0.0.1'], allowPrivate: true } });
    if (!r.ok) throw new Error(r.message);
    const d = decodeResponse(r.body, r.contentType);
    expect(d.text).toContain(TEXT);
    expect(d).toMatchObject({ charset: 'gb18030', via: 'fallback' });
  });

  it('reads a <meta http-equiv> gb2312 declaration as GB18030', async () => {
    const r = await fetcher.fetch({ url: `${srv.base}/gbk-meta`, policy: { allowedHosts: ['127.0.0.1'], allowPrivate: true } });
    if (!r.ok) throw new Error(r.message);
    const d = decodeResponse(r.body, r.contentType);
    expect(d).toMatchObject({ charset: 'gb18030', via: 'meta' });
    expect(d.text).toContain(TEXT);
  });

  it('uses the HTTP charset first', async () => {
    const r = await fetcher.fetch({ url: `${srv.base}/big5-http`, policy: { allowedHosts: ['127.0.0.1'], allowPrivate: true } });
    if (!r.ok) throw new Error(r.message);
    expect(decodeResponse(r.body, r.contentType)).toMatchObject({ text: '<p>政府資訊公開</p>', charset: 'big5', via: 'declared' });
  });
});

describe('meta prescan', () => {
  it('finds <meta charset> and http-equiv, skips comments, ignores anything past 1024 bytes', () => {
    expect(prescanMetaCharset(Buffer.from('<meta charset="GBK">'))).toBe('GBK');
    expect(prescanMetaCharset(Buffer.from("<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=gb2312'>"))).toBe('gb2312');
    expect(prescanMetaCharset(Buffer.from('<!-- <meta charset="big5"> --><meta charset=utf-8>'))).toBe('utf-8');
    expect(prescanMetaCharset(Buffer.from(`${' '.repeat(1100)}<meta charset="gbk">`))).toBeNull();
    expect(prescanMetaCharset(Buffer.from('<meta name="description" content="x">'))).toBeNull();
  });

  it('a meta that claims UTF-8 over GBK bytes loses to the bytes', () => {
    const bytes = Buffer.concat([Buffer.from('<meta charset="utf-8">'), iconv.encode(TEXT, 'gbk')]);
    expect(decodeText(bytes)).toMatchObject({ charset: 'gb18030', via: 'fallback' });
  });

  it('a BOM wins over every declaration', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`<meta charset="gbk">${TEXT}`)]);
    expect(decodeText(bytes, 'gbk')).toMatchObject({ charset: 'utf-8', via: 'bom' });
  });

  it('accepts a whole Content-Type value as the declared charset', () => {
    expect(decodeText(iconv.encode(TEXT, 'gbk'), 'text/html; charset=GBK')).toMatchObject({ text: TEXT, via: 'declared' });
  });
});
