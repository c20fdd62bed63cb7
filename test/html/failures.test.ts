/** HTML that yields no record, and why. */
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';

async function codes(html: string | Uint8Array) {
  const rec = await extractRecord(typeof html === 'string' ? Buffer.from(html) : html, { uri: 'page.html' });
  return { rec, codes: rec.issues.map((i) => i.code) };
}

describe('HTML failures', () => {
  it('an empty file', async () => {
    const { rec, codes: c } = await codes(new Uint8Array());
    expect(rec.status).toBe('failed');
    expect(c).toEqual(['empty_file']);
  });

  it('a report page whose tables are images: no_tables, with agency and year still read', async () => {
    const { rec, codes: c } = await codes('<html><head><meta charset="utf-8"><title>某市教育局2020年政府信息公开工作年度报告</title></head><body><h1>某市教育局2020年政府信息公开工作年度报告</h1><p>一、总体情况</p><p><img src="t1.png"></p></body></html>');
    expect(rec.status).toBe('failed');
    expect(c).toEqual(['no_tables']);
    expect(rec.issues[0]!.message).toContain('html:cheerio');
    expect([rec.agency, rec.year]).toEqual(['某市教育局', 2020]);
  });

  it('a page with only navigation and layout tables: no_tables', async () => {
    const { rec, codes: c } = await codes(`<html><body>
      <table class="menu"><tr><td><a href="/">首页</a></td><td><a href="/x">信息公开</a></td></tr></table>
      <table><tr><td><table><tr><td>通知</td><td>2021-01-05</td></tr></table></td></tr></table>
      <div class="footer"><table><tr><td>网站标识码</td><td>3200000001</td></tr></table></div></body></html>`);
    expect(rec.status).toBe('failed');
    expect(c).toEqual(['no_tables']);
  });

  it('a page whose tables are not the report tables: no_tables', async () => {
    const { rec, codes: c } = await codes('<body><table><tr><td>姓名</td><td>电话</td></tr><tr><td>张三</td><td>12345</td></tr></table></body>');
    expect(rec.status).toBe('failed');
    expect(c).toEqual(['no_tables']);
  });
});
