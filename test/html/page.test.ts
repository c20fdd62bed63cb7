/**
 * Finding the report in a page: which tables are data (leaf tables, not furniture), and which
 * text is the article (title first, navigation out, signature last).
 */
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { htmlToDoc } from '../../src/extract/html.js';
import { generateReport } from '../fixtures/report.js';
import { renderHtml, renderReportBody } from '../fixtures/render-html.js';

const firstCells = (html: string) => htmlToDoc(html).tables.map((t) => t.rows[0]![0]!.text);

describe('which tables are data', () => {
  it('only leaf tables: a layout table around the report is not a grid, the tables inside it are', () => {
    const html = `<body><table width="1000"><tr><td>
        <table><tr><td>甲</td><td>1</td></tr></table>
        <div><table><tr><td>乙</td><td><table><tr><td>丙</td><td>2</td></tr></table></td></tr></table></div>
      </td></tr></table></body>`;
    expect(firstCells(html)).toEqual(['甲', '丙']);
  });

  it('drops menus laid out as tables, tables in page furniture and hidden tables', () => {
    const html = `<body>
      <table class="topmenu"><tr><td><a href="/">首页</a></td><td><a href="/a">政务公开</a></td><td><a href="/b">2020</a></td></tr></table>
      <nav><table><tr><td>导航</td><td>1</td></tr></table></nav>
      <div class="breadcrumb"><table><tr><td>当前位置</td><td>年报</td></tr></table></div>
      <table style="display:none"><tr><td>隐藏</td><td>9</td></tr></table>
      <div class="article"><table><tr><td>数据</td><td>5</td></tr></table></div>
      <div id="footer"><table><tr><td>网站标识码</td><td>1234000001</td></tr></table></div>
    </body>`;
    expect(firstCells(html)).toEqual(['数据']);
  });

  it('never drops a table for being unusual: one-cell, empty, or oddly named but long', () => {
    const long = '这是一段很长的说明文字。'.repeat(40);
    const html = `<body>
      <table><tr><td>单格</td></tr></table>
      <table><tr><td></td><td></td></tr></table>
      <div class="nav-wrap"><table><tr><td>${long}</td><td>7</td></tr></table></div>
    </body>`;
    expect(firstCells(html)).toEqual(['单格', '', long]);
  });

  it('hidden tables count only when nothing visible is left: a report in a tab a script reveals', async () => {
    const rep = generateReport(44, { template: '2019', money: 'yuan' });
    const tabs = `<html><head><meta charset="utf-8"><style>.tab-pane{display:none}</style></head><body>
      <h1>${rep.agency}${rep.year}年政府信息公开工作年度报告</h1>
      <ul class="tabs"><li>图片版</li><li>表格版</li></ul>
      <div class="tab-pane"><div>${renderReportBody(rep)}</div></div></body></html>`;
    const rec = await extractRecord(Buffer.from(tabs), { uri: 'tabs.html' });
    expect(rec.status).toBe('valid');
    expect(rec.values).toEqual(rep.values);
    // With a visible copy beside it, the hidden one is left out.
    const both = tabs.replace('</body>', `<div>${renderReportBody(rep)}</div></body>`);
    expect(htmlToDoc(both).tables).toHaveLength(htmlToDoc(tabs).tables.length);
  });

  it('a report whose tables sit in a layout table beside a link column is read whole', async () => {
    const rep = generateReport(41, { template: '2021', otherAggregated: false });
    const side = `<td width="200"><ul>${Array.from({ length: 30 }, (_, i) => `<li><a href="/n${i}">${2000 + i}年年报</a></li>`).join('')}</ul></td>`;
    const html = `<html><head><meta charset="utf-8"><title>站点</title></head><body><table><tr>${side}<td>${renderReportBody(rep)}</td></tr></table></body></html>`;
    const rec = await extractRecord(Buffer.from(html), { uri: 'layout.html' });
    expect(rec.status).toBe('valid');
    expect(rec.values).toEqual(rep.values);
    expect([rec.agency, rec.year]).toEqual([rep.agency, rep.year]);
  });
});

describe('article text', () => {
  it('the title comes first even when the page opens with navigation', () => {
    const rep = generateReport(42, { template: '2019' });
    const d = htmlToDoc(renderHtml(rep, { chrome: true }));
    expect(d.text.split('\n')[0]).toBe(`${rep.agency}${rep.year}年政府信息公开工作年度报告`);
    expect(d.text).not.toContain('当前位置');
  });

  it('takes the title from the CMS ArticleTitle meta or the <title> when the page has no <h1>', () => {
    const body = '<div class="TRS_Editor"><p>一、总体情况</p><p>正文。</p></div>';
    const meta = htmlToDoc(`<html><head><meta name="ArticleTitle" content="某市财政局2020年政府信息公开工作年度报告"><title>某市人民政府门户网站</title></head><body>${body}</body></html>`);
    expect(meta.text.split('\n')[0]).toBe('某市财政局2020年政府信息公开工作年度报告');
    const title = htmlToDoc(`<html><head><title>某市财政局2020年政府信息公开工作年度报告_某市人民政府</title></head><body><div class="logo"><h1>某市人民政府</h1></div>${body}</body></html>`);
    expect(title.text.split('\n')[0]).toBe('某市财政局2020年政府信息公开工作年度报告');
  });

  it('does not put a site name that is no report title in front', () => {
    const d = htmlToDoc('<html><head><title>某市人民政府网站</title></head><body><div class="content"><p>某局2020年政府信息公开工作年度报告</p><p>一、总体情况</p></div></body></html>');
    expect(d.text.split('\n')[0]).toBe('某局2020年政府信息公开工作年度报告');
  });

  it('prefers the title naming agency and year over a bare one, and does not repeat it', () => {
    const d = htmlToDoc('<html><head><title>杭州市西湖区财政局2020年政府信息公开工作年度报告-西湖区</title></head><body><div class="article"><h1>2020年政府信息公开工作年度报告</h1><p>一、总体情况</p></div></body></html>');
    expect(d.text.split('\n').slice(0, 2)).toEqual(['杭州市西湖区财政局2020年政府信息公开工作年度报告', '2020年政府信息公开工作年度报告']);
    const same = htmlToDoc('<html><body><div class="article"><h1>某局<br>2020年政府信息公开工作年度报告</h1><p>正文</p></div></body></html>');
    expect(same.text).toBe('某局\n2020年政府信息公开工作年度报告\n正文');
  });

  it('ends with the signature, not the footer, so the agency can be read from it', async () => {
    const rep = generateReport(43, { template: '2021', otherAggregated: false });
    const body = renderReportBody(rep).replace(/<h1[^>]*>.*?<\/h1>/, '<h1>2021年政府信息公开工作年度报告</h1>');
    const html = `<html><head><meta charset="utf-8"></head><body><div class="nav"><a href="/">首页</a></div><div class="content">${body}<p>${rep.agency}</p><p>2022年1月20日</p></div><div class="footer"><p>主办：某某人民政府办公室</p><p>2022年1月1日更新</p></div></body></html>`;
    const d = htmlToDoc(html);
    expect(d.text.split('\n').slice(-2)).toEqual([rep.agency, '2022年1月20日']);
    const rec = await extractRecord(Buffer.from(html), { uri: 'signature.html' });
    expect(rec.agency).toBe(rep.agency);
    expect(rec.issues.some((i) => i.code === 'meta_from_hint' && /signature/.test(i.message))).toBe(true);
  });
});

describe('the article around the tables', () => {
  it('a small table in a side panel does not pull the whole page into the article', async () => {
    const rep = generateReport(45, { template: '2021', otherAggregated: false });
    const body = renderReportBody(rep).replace(/<h1[^>]*>.*?<\/h1>/, '<h1>2021年政府信息公开工作年度报告</h1>');
    const html = `<html><head><meta charset="utf-8"></head><body>
      <div class="left"><table><tr><td>今日访问</td><td>1024</td></tr></table></div>
      <div class="right"><div class="wrap">${body}<p>${rep.agency}</p><p>2022年1月20日</p></div></div>
      <div class="bottom"><p>版权所有：某某人民政府</p><p>2022年1月1日</p></div></body></html>`;
    const d = htmlToDoc(html);
    expect(d.tables).toHaveLength(4); // the side table is still a table: only the article is narrowed
    expect(d.text).not.toContain('今日访问');
    expect(d.text.split('\n').slice(-2)).toEqual([rep.agency, '2022年1月20日']);
  });

  it('a lone table in its own wrapper: the article widens to the prose around it, not to the page', () => {
    const rows = Array.from({ length: 6 }, (_, i) => `<tr><td>第${i + 1}行</td><td>${i}</td></tr>`).join('');
    const links = Array.from({ length: 30 }, (_, i) => `<li><a href="/n${i}">第${i}条相关新闻标题</a></li>`).join('');
    const html = `<html><body><div class="l"><ul>${links}</ul><p>访问统计</p></div>
      <div class="r"><p>某局2020年政府信息公开工作年度报告</p><p>${'正文说明。'.repeat(30)}</p><div class="t"><table>${rows}</table></div><p>某局</p><p>2021年1月20日</p></div></body></html>`;
    const d = htmlToDoc(html);
    expect(d.text.split('\n')[0]).toBe('某局2020年政府信息公开工作年度报告');
    expect(d.text).toContain('正文说明。');
    expect(d.text).not.toContain('访问统计');
    expect(d.text.split('\n').slice(-1)).toEqual(['2021年1月20日']);
  });
});
