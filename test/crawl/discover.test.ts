/** Discovery as pure functions over listing and article HTML shaped like real portal pages. */
import { describe, expect, it } from 'vitest';
import { discoverArticle, discoverListing, refsFromArticle } from '../../src/crawl/discover.js';
import { pagesFromCreatePageHtml, pagesFromSequences } from '../../src/crawl/pagination.js';
import { isReportTitle, parseReportTitle } from '../../src/crawl/title.js';

const BASE = 'http://www.example.gov.cn/zwgk/ndbg/';

describe('report titles', () => {
  it.each([
    ['南通市海门区商务局2020年政府信息公开工作年度报告', 2020, '南通市海门区商务局'],
    ['湛江奋勇高新区招商服务局2020年度政府信息公开工作年度报告', 2020, '湛江奋勇高新区招商服务局'],
    ['广州市黄埔区商务局 开发区商务局2020 年政府信息公开工作年度报告', 2020, '广州市黄埔区商务局 开发区商务局'],
    ['2020年经济技术开发区管理办公室政府信息公开工作年度报告', 2020, '经济技术开发区管理办公室'],
    ['2023年政府信息公开工作年度报告', 2023, null],
    ['【部门年报】淮安市生态环境局2021年政务公开工作年度报告', 2021, '淮安市生态环境局'],
    ['示例县水利局2021年政府信息公开年报', 2021, '示例县水利局'],
    ['示例县民政局二〇二二年政府信息公开工作年度报告.pdf', 2022, '示例县民政局'],
    ['《洪泽区人民政府2023年政府信息公开工作年度报告》', 2023, '洪泽区人民政府'],
  ])('%s → %s %s', (title, year, agency) => {
    expect(isReportTitle(title)).toBe(true);
    expect(parseReportTitle(title)).toEqual({ year, agency });
  });

  it.each([
    '关于《淮安市人民政府2024年政府信息公开工作年度报告》的解读',
    '图解：2023年政府信息公开工作年度报告',
    '关于做好2021年度政府信息公开工作年度报告编制发布工作的通知',
    '示例县政府信息公开指南',
    '2022年政务公开工作要点',
    '政府信息公开工作年度报告', // no year: a column link, not a report
    '2020年部门决算公开',
  ])('not a report: %s', (title) => expect(isReportTitle(title)).toBe(false));
});

const trsListing = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>年度报告</title>
<script type="text/javascript" src="/js/createPageHTML.js"></script></head><body>
<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/zwgk/ndbg/">政府信息公开年报</a></div>
<ul class="list">
<li><a href="./202101/t20210128_3361.html" target="_blank" title="广州市黄埔区商务局 开发区商务局2020年政府信息公开工作年度报告">广州市黄埔区商务局 开发区商务局2020年政府信息公开工…</a><span>2021-01-28</span></li>
<li><a href="../../bmxxgk/ndbg/202101/t20210129_1180.html" target="_blank">南通市海门区商务局2020年政府信息公开工作年度报告</a><span>2021-01-29</span></li>
<li><a href="./202101/P020210130.pdf">示例县民政局2020年政府信息公开工作年度报告</a></li>
<li><a href="javascript:void(0)" onclick="window.open('./202101/t20210131_1.html')">示例县商务局2020年政府信息公开工作年度报告</a></li>
<li><a href="./202101/t20210128_3362.html">关于《2020年政府信息公开工作年度报告》的解读</a></li>
<li><a href="http://www.gov.cn/zhengce/2021.htm">国务院办公厅2020年政府信息公开工作年度报告</a></li>
<li><a href="./202101/t20210128_3361.html#top">广州市黄埔区商务局 开发区商务局2020年政府信息公开工作年度报告</a></li>
</ul>
<div class="page"><script>createPageHTML(4, 0, "index", "html");</script></div>
</body></html>`;

describe('listing pages', () => {
  it('finds report links by anchor text or title attribute, resolved, deduplicated, with year and agency', () => {
    const d = discoverListing(trsListing, `${BASE}index.html`);
    expect(d.reports.map((r) => [r.url, r.year, r.agency, r.direct])).toEqual([
      [`${BASE}202101/t20210128_3361.html`, 2020, '广州市黄埔区商务局 开发区商务局', false],
      ['http://www.example.gov.cn/bmxxgk/ndbg/202101/t20210129_1180.html', 2020, '南通市海门区商务局', false],
      [`${BASE}202101/P020210130.pdf`, 2020, '示例县民政局', true],
      [`${BASE}202101/t20210131_1.html`, 2020, '示例县商务局', false],
      ['http://www.gov.cn/zhengce/2021.htm', 2020, '国务院办公厅', false],
    ]);
    expect(d.reports[0]!.title).toBe('广州市黄埔区商务局 开发区商务局2020年政府信息公开工作年度报告');
  });

  it('derives every page from createPageHTML, ignoring the site menu\'s 首页', () => {
    expect(discoverListing(trsListing, `${BASE}index.html`).pages).toEqual([`${BASE}index_1.html`, `${BASE}index_2.html`, `${BASE}index_3.html`]);
  });

  it('reads createPageHTML variants: a pager div id first, variables set before the call', () => {
    expect(pagesFromCreatePageHtml(`createPageHTML('page_div',3, 1,'index','shtml',45);`, `${BASE}index_1.shtml`)).toEqual([`${BASE}index.shtml`, `${BASE}index_1.shtml`, `${BASE}index_2.shtml`]);
    const vars = `var countPage = 2//共多少页\nvar currentPage = 0//当前第几页\nvar prefixName = "list"\ncreatePageHTML(countPage, currentPage, prefixName, "htm");`;
    expect(pagesFromCreatePageHtml(vars, `${BASE}list.htm`)).toEqual([`${BASE}list.htm`, `${BASE}list_1.htm`]);
    const definition = `function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) { }`;
    expect(pagesFromCreatePageHtml(definition, `${BASE}index.html`)).toEqual([]);
  });

  it('follows 下一页 and 尾页 links and fills an index_N sequence', () => {
    const html = `<div class="page">共10页 <a href="index.html">首页</a> <a href="index_3.html">上一页</a> <a href="index_5.html">[下一页]</a> <a href="index_9.html">尾页</a></div>`;
    const pages = discoverListing(html, `${BASE}index_4.html`).pages;
    expect(pages.slice(0, 4)).toEqual([`${BASE}index.html`, `${BASE}index_3.html`, `${BASE}index_5.html`, `${BASE}index_9.html`]);
    expect(new Set(pages)).toEqual(new Set([`${BASE}index.html`, ...[1, 2, 3, 5, 6, 7, 8, 9].map((i) => `${BASE}index_${i}.html`)]));
  });

  it('follows query-string pagers as links, within the column only', () => {
    const html = `<a href="/">首页</a><a href="list.jsp?page=1">首页</a><a href="list.jsp?page=3">下一页</a><a href="/other/list.jsp?page=9">尾页</a>`;
    expect(discoverListing(html, `${BASE}list.jsp?page=2`).pages).toEqual([`${BASE}list.jsp?page=1`, `${BASE}list.jsp?page=3`]);
  });

  it('fills list_N sequences only between the numbers seen', () => {
    expect(pagesFromSequences([`${BASE}list_2.html`, `${BASE}list_5.html`, 'http://x/other/list_9.html'], `${BASE}index.html`)).toEqual([2, 3, 4, 5].map((i) => `${BASE}list_${i}.html`));
  });

  it('honours <base href> and a listLinks selector', () => {
    const html = `<head><base href="http://www.example.gov.cn/xxgk/"></head><div class="side"><a href="a.html">某局2019年政府信息公开工作年度报告</a></div><div class="list"><a href="b.html">某局2020年政府信息公开工作年度报告</a></div>`;
    expect(discoverListing(html, `${BASE}index.html`).reports.map((r) => r.url)).toEqual(['http://www.example.gov.cn/xxgk/a.html', 'http://www.example.gov.cn/xxgk/b.html']);
    expect(discoverListing(html, `${BASE}index.html`, { listLinks: '.list' }).reports.map((r) => r.url)).toEqual(['http://www.example.gov.cn/xxgk/b.html']);
  });
});

const wordTable = `<table class="MsoNormalTable" border="1"><tr><td colspan="3" rowspan="3"><p class="MsoNormal"><span><font face="宋体">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</font></span></p></td><td colspan="7"><p><span>申请人情况</span></p></td></tr>
<tr><td colspan="3"><p><span><font>一、本年新收政府信息公开申请数量</font></span></p></td><td><p><span lang="EN-US">&nbsp;</span></p></td></tr>
<tr><td rowspan="20"><p>三、本年度办理结果</p></td><td colspan="2"><p>（一）予以公开</p></td><td>1</td></tr></table>`;

const article = (body: string, extra = '') => `<html><head><title>某局2020年政府信息公开工作年度报告_示例网</title><meta name="ArticleTitle" content="某局2020年政府信息公开工作年度报告"></head>
<body><div class="nav"><a href="/xzzx/">下载中心</a><a href="/app.apk">客户端下载</a></div><div class="TRS_Editor" id="zoom">${body}</div>${extra}
<div class="footer"><a href="/">首页</a></div></body></html>`;

describe('publication dates', () => {
  it('reads the date a listing prints beside each link, and none where a box of links shares one', () => {
    const d = discoverListing(trsListing, `${BASE}index.html`);
    expect(d.reports.map((r) => [r.url.replace(BASE, ''), r.published ?? null])).toEqual([
      ['202101/t20210128_3361.html', '2021-01-28'],
      ['http://www.example.gov.cn/bmxxgk/ndbg/202101/t20210129_1180.html', '2021-01-29'],
      ['202101/P020210130.pdf', null],
      ['202101/t20210131_1.html', null],
      ['http://www.gov.cn/zhengce/2021.htm', null],
    ]);
    const table = `<table><tr><td><a href="a.html">某局2020年政府信息公开工作年度报告</a></td><td>[2021/1/8]</td></tr>
      <tr><td><a href="b.pdf">某县2021年政府信息公开工作年度报告</a></td><td>2022年01月20日</td></tr></table>
      <div class="box"><a href="c.html">某区2022年政府信息公开工作年度报告</a><a href="d.html">某镇2022年政府信息公开工作年度报告</a><span>2023-01-30</span></div>`;
    expect(discoverListing(table, `${BASE}index.html`).reports.map((r) => r.published ?? null)).toEqual(['2021-01-08', '2022-01-20', null, null]);
  });

  it('an article page\'s own date (PubDate, 发布日期) wins over the listing\'s; a direct link keeps the listing\'s', () => {
    const url = `${BASE}202101/t20210128_3361.html`;
    const ctx = { portalId: 'p', pageUrl: url, listingUrl: `${BASE}index.html` };
    const link = { title: '某局2020年政府信息公开工作年度报告', year: 2020, agency: '某局', published: '2021-01-29' };
    const meta = discoverArticle(article(`<a href="r.pdf">r.pdf</a>`).replace('<head>', '<head><meta name="PubDate" content="2021-01-28 10:30">'), url);
    expect(meta.published).toBe('2021-01-28');
    expect(refsFromArticle(meta, link, ctx)[0]).toMatchObject({ published: '2021-01-28', publishedFrom: 'article' });
    const text = discoverArticle(article(`<div class="info">发布日期：2021年01月27日</div><a href="r.pdf">r.pdf</a>`), url);
    expect(text.published).toBe('2021-01-27');
    const none = discoverArticle(article(`<a href="r.pdf">r.pdf</a>`), url);
    expect(refsFromArticle(none, link, ctx)[0]).toMatchObject({ published: '2021-01-29', publishedFrom: 'listing' });
  });
});

describe('article pages', () => {
  const url = `${BASE}202101/t20210128_3361.html`;
  const ctx = { portalId: 'p', pageUrl: url, listingUrl: `${BASE}index.html` };
  const link = { title: '某局2020年政府信息公开工作年度报告', year: 2020, agency: '某局' };

  it('an article whose body holds the official tables is the report (inline)', () => {
    const info = discoverArticle(article(`<p>一、总体情况</p>${wordTable}`), url);
    expect(info).toMatchObject({ hasReportTables: true, title: '某局2020年政府信息公开工作年度报告', year: 2020, agency: '某局' });
    expect(refsFromArticle(info, link, ctx)).toEqual([{ portalId: 'p', url, title: link.title, year: 2020, agency: '某局', listingUrl: ctx.listingUrl, via: 'inline' }]);
  });

  it('attachments by extension, resolved; site chrome ignored', () => {
    const info = discoverArticle(article(`<p>现予公布。</p><p>附件：<a href="./P020210128512.pdf">某局2020年政府信息公开工作年度报告.pdf</a></p><p><a href="./tu.jpg">图片</a></p>`), url);
    expect(info.hasReportTables).toBe(false);
    expect(info.attachments.map((a) => [a.url, a.ext])).toEqual([[`${BASE}202101/P020210128512.pdf`, 'pdf']]);
    expect(refsFromArticle(info, link, ctx)).toEqual([{ portalId: 'p', url: `${BASE}202101/P020210128512.pdf`, title: link.title, year: 2020, agency: '某局', listingUrl: ctx.listingUrl, via: 'attachment', articleUrl: url }]);
  });

  it('attachments by link text (附件/下载) on a download servlet, and by file name in the query', () => {
    const info = discoverArticle(article(`<p><a href="/module/download/downfile.jsp?classid=0&amp;id=88412">附件：点击下载</a></p><p><a href="/down.jsp?filename=%E5%B9%B4%E6%8A%A5.docx">年报</a></p>`), url);
    expect(info.attachments.map((a) => [a.url, a.ext])).toEqual([
      ['http://www.example.gov.cn/module/download/downfile.jsp?classid=0&id=88412', null],
      ['http://www.example.gov.cn/down.jsp?filename=%E5%B9%B4%E6%8A%A5.docx', 'docx'],
    ]);
    // A real document wins over a link whose type is unknown.
    expect(refsFromArticle(info, link, ctx).map((r) => r.url)).toEqual(['http://www.example.gov.cn/down.jsp?filename=%E5%B9%B4%E6%8A%A5.docx']);
  });

  it('a PDF shown in a pdf.js viewer iframe, WPS and DOC links', () => {
    const info = discoverArticle(article(`<iframe src="/pdfjs/web/viewer.html?file=/u/cms/2021/report.pdf"></iframe><a href="x.wps">某局年报.wps</a><a href="y.DOC">正文.DOC</a>`), url);
    expect(info.attachments.map((a) => [a.url, a.ext])).toEqual([
      [`${BASE}202101/x.wps`, 'wps'],
      [`${BASE}202101/y.DOC`, 'doc'],
      ['http://www.example.gov.cn/u/cms/2021/report.pdf', 'pdf'],
    ]);
  });

  it('inline tables win over an attachment of the same report; a page with neither still yields a ref', () => {
    const both = discoverArticle(article(`${wordTable}<a href="r.pdf">下载PDF版</a>`), url);
    expect(refsFromArticle(both, link, ctx).map((r) => r.via)).toEqual(['inline']);
    const empty = discoverArticle(article('<p><img src="report-page1.jpg"></p>'), url);
    expect(empty).toMatchObject({ hasReportTables: false, attachments: [] });
    expect(refsFromArticle(empty, link, ctx)).toMatchObject([{ via: 'inline', url }]);
  });

  it('the listing title supplies year and agency; the article title fills what it lacks', () => {
    const info = discoverArticle(article(`<a href="r.pdf">r.pdf</a>`), url);
    expect(refsFromArticle(info, { title: '2020年政府信息公开工作年度报告', year: 2020, agency: null }, ctx)[0]).toMatchObject({ year: 2020, agency: '某局' });
  });
});
