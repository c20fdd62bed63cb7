/**
 * Builds samples/portal: the offline government portal the crawler tests and `nianbao demo` run
 * against. Every report on it is generated (test/fixtures/report.ts, fixed seeds) and written in
 * the form its listing promises — an inline Word-exported HTML page (report-html.ts), a PDF
 * printed by Chromium (report-pdf.ts), a DOCX written with Word's merges (report-docx.ts) — and
 * the manifest records, for each, the exact record a correct extraction gives. The build checks
 * that every document extracts to exactly that record before writing anything. Run after
 * changing the site definition (needs Chromium, /usr/bin/chromium):
 *
 *   npx tsx src/demo/build-sample-portal.ts
 *
 * Output is committed; the tests and the demo never run this.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../package-root.js';
import iconv from 'iconv-lite';
import { extractRecord } from '../extractor.js';
import type { Portal } from '../crawl/config.js';
import { filenameFromContentDisposition } from '../crawl/content-disposition.js';
import { parseReportTitle } from '../crawl/title.js';
import type { BuildHints } from '../record/build.js';
import { type ExpectedRecord, type GenerateOptions, type GeneratedReport, type OldGenerator, type RenderFlat, expectedFailure, expectedOf, generateFor, loadFlatRenderer, loadGenerator, loadOldGenerator, reportContent } from './generated-report.js';
import { samplePortals } from './portal-config.js';
import { renderReportDocx } from './report-docx.js';
import { renderArticlePage, renderReportBody } from './report-html.js';
import { launchPdfPrinter, type PdfPrinter } from './report-pdf.js';

const ROOT = packageRoot();
const OUT = join(ROOT, 'samples/portal');
const SITE = join(OUT, 'site');
const SITE_NAME = '示例政务公开年报汇集站';

type Via = 'inline' | 'attachment';

/** The region a correct reading gives a report's agency (GB/T 2260 codes); township by name. */
interface ExpectedRegion {
  code: string | null;
  level: 'national' | 'province' | 'prefecture' | 'county' | 'township';
  province: string | null;
  prefecture: string | null;
  county: string | null;
  township?: string;
  source: 'agency' | 'listing' | 'portal';
}

interface ReportDef {
  portal: 'demo' | 'demo-js';
  listing: string;
  /** Title as the listing shows it (full; the anchor text may be truncated). */
  title: string;
  year: number;
  agency: string;
  date: string;
  /** Article page path, or the file itself when the listing links it directly. */
  page: string;
  via: Via;
  /** The generated report: seed and generator options. */
  seed: number;
  generate: GenerateOptions;
  charset?: 'utf-8' | 'gbk-undeclared';
  /** attachment: URL of the file (may differ from the file name: a download servlet). */
  fileUrl?: string;
  fileHeaders?: Record<string, string>;
  /** Text of the attachment link on the article page. */
  linkText?: string;
  /** text: the report as an archiving crawler flattens it (test/fixtures/render-flat.ts), served as text/plain. */
  format: 'html' | 'pdf' | 'docx' | 'text';
  /** ok: extracts to the generated values; corrupt: the first 4 KiB of the PDF (an upload cut off). */
  state: 'ok' | 'corrupt';
  truncateTitle?: boolean;
  unpublished?: boolean;
  /** The report's own heading lines (default: its title). A report without a title prints only the year's. */
  heading?: string[];
  /** Paragraphs before 一、总体情况 (default: none) and lines after 六 (a signature). */
  intro?: string[];
  signature?: string[];
  /** A report in the format used before 2019 (test/fixtures/render-pre2019.ts): stored as failed, pre_2019_format. */
  old?: boolean;
  /**
   * Cells the report prints off by this much from the generated (consistent) value: a published
   * table that breaks its own identities. The record is flagged (identity_failed) with the
   * printed numbers, for the review flow to correct.
   */
  publishedDelta?: Record<string, number>;
  /**
   * Fields the document does not settle (a flattened table's glued digits that split several
   * ways): left out of the expected values, the record flagged by ambiguous_cells.
   */
  leftOut?: string[];
  /** Issue codes beyond the generated report's own (region_conflict, meta_from_hint …). */
  extraIssues?: string[];
  region: ExpectedRegion;
}

const A = '/zwgk/ndbg/';
const B = '/bmxxgk/ndbg/';
const J = '/jsgk/ndbg/';

const R = (code: string, level: ExpectedRegion['level'], county: string | null, source: ExpectedRegion['source'] = 'agency', township?: string): ExpectedRegion => ({
  code,
  level,
  province: `${code.slice(0, 2)}0000`,
  prefecture: level === 'province' ? null : `${code.slice(0, 4)}00`,
  county,
  ...(township ? { township } : {}),
  source,
});

/**
 * The reports of 淮安市's portal: the city government's, its districts' and counties', their
 * departments', a township's and a development zone's — one from another city (南通, a region
 * conflict), two that print no title (the agency in the opening sentence, in the signature), one
 * in the pre-2019 format.
 */
const REPORTS: ReportDef[] = [
  { portal: 'demo', listing: `${A}index.html`, title: '淮安市洪泽区人民政府2024年政府信息公开工作年度报告', year: 2024, agency: '淮安市洪泽区人民政府', date: '2025-01-20', page: `${A}202501/t20250120_4521.html`, via: 'inline', seed: 911, generate: { template: '2021', otherAggregated: false, blankZeros: 0.2 }, format: 'html', state: 'ok', region: R('320813', 'county', '320813') },
  { portal: 'demo', listing: `${A}index.html`, title: '淮安市人民政府2024年政府信息公开工作年度报告', year: 2024, agency: '淮安市人民政府', date: '2025-01-16', page: `${A}202501/t20250116_4498.html`, via: 'attachment', seed: 901, generate: { template: '2021', otherAggregated: false, activity: 0.5 }, fileUrl: `${A}202501/P020250116598231.pdf`, linkText: '淮安市人民政府2024年政府信息公开工作年度报告.pdf', format: 'pdf', state: 'ok', region: R('320800', 'prefecture', null) },
  { portal: 'demo', listing: `${A}list_2.html`, title: '淮安市清江浦区商务局 淮安经济技术开发区商务局2020年政府信息公开工作年度报告', year: 2020, agency: '淮安市清江浦区商务局 淮安经济技术开发区商务局', date: '2021-01-28', page: `${A}202101/t20210128_3361.html`, via: 'inline', seed: 912, generate: { template: '2019', money: 'yuan' }, format: 'html', state: 'ok', truncateTitle: true, region: R('320812', 'county', '320812') },
  { portal: 'demo', listing: `${A}index.html`, title: '淮安市淮阴区教育体育局2020年度政府信息公开工作年度报告', year: 2020, agency: '淮安市淮阴区教育体育局', date: '2021-01-25', page: `${A}202101/t20210125_3302.html`, via: 'inline', seed: 913, generate: { template: '2019', money: 'wan', changeWords: true }, format: 'html', state: 'ok', unpublished: true, region: R('320804', 'county', '320804') },
  { portal: 'demo', listing: `${A}list_3.html`, title: '淮安市淮阴区人民政府2015年政府信息公开工作年度报告', year: 2015, agency: '淮安市淮阴区人民政府', date: '2016-03-28', page: `${A}201603/t20160328_1207.html`, via: 'inline', seed: 917, generate: { template: '2019' }, format: 'html', state: 'ok', old: true, region: R('320804', 'county', '320804') },
  { portal: 'demo', listing: `${B}index.html`, title: '洪泽区人民政府2023年政府信息公开工作年度报告', year: 2023, agency: '洪泽区人民政府', date: '2024-01-26', page: `${B}202401/t20240126_2210.html`, via: 'attachment', seed: 902, generate: { template: '2021', otherAggregated: true, activity: 0.5 }, fileUrl: '/module/download/downfile.jsp?classid=0&id=88412', linkText: '附件：点击下载', format: 'pdf', state: 'ok',
    fileHeaders: { 'Content-Type': 'application/octet-stream', 'Content-Disposition': 'attachment; filename="洪泽区人民政府2023年政府信息公开工作年度报告.pdf"' }, region: R('320813', 'county', '320813') },
  { portal: 'demo', listing: `${B}index.html`, title: '南通市海门区商务局2020年政府信息公开工作年度报告', year: 2020, agency: '南通市海门区商务局', date: '2021-01-29', page: `${B}202101/t20210129_1180.html`, via: 'inline', seed: 914, generate: { template: '2019', money: 'wan', blankZeros: 0.4 }, format: 'html', state: 'ok', extraIssues: ['region_conflict'], region: R('320614', 'county', '320614') },
  { portal: 'demo', listing: `${B}index_1.html`, title: '淮安市淮安区科学技术局2020年度政府信息公开工作年度报告', year: 2020, agency: '淮安市淮安区科学技术局', date: '2021-01-22', page: `${B}202101/t20210122_1093.html`, via: 'inline', seed: 915, generate: { template: '2019', money: 'yuan', fullWidth: true }, charset: 'gbk-undeclared', format: 'html', state: 'ok', region: R('320803', 'county', '320803') },
  { portal: 'demo', listing: `${B}index_1.html`, title: '涟水县交通运输局2021年政府信息公开工作年度报告', year: 2021, agency: '涟水县交通运输局', date: '2022-03-01', page: `${B}202203/P020220301384512.pdf`, via: 'attachment', seed: 901, generate: { template: '2021', otherAggregated: false, activity: 0.5 }, format: 'pdf', state: 'corrupt', region: R('320826', 'county', '320826') },
  { portal: 'demo', listing: `${B}index_2.html`, title: '涟水县高沟镇人民政府2022年政务公开工作年度报告', year: 2022, agency: '涟水县高沟镇人民政府', date: '2023-01-30', page: `${B}202301/t20230130_1625.html`, via: 'attachment', seed: 903, generate: { template: '2021', otherAggregated: false, blankZeros: 0.3 }, fileUrl: `${B}202301/P020230130412377.docx`, linkText: '涟水县高沟镇人民政府2022年政务公开工作年度报告.docx', format: 'docx', state: 'ok', region: R('320826', 'township', '320826', 'agency', '高沟镇') },
  // No title in the document: the agency is in its opening sentence / only in its signature.
  { portal: 'demo', listing: `${B}index_2.html`, title: '淮安市清江浦区财政局2023年政府信息公开工作年度报告', year: 2023, agency: '淮安市清江浦区财政局', date: '2024-01-18', page: `${B}202401/t20240118_2187.html`, via: 'attachment', seed: 918, generate: { template: '2021', otherAggregated: false, activity: 0.4 }, fileUrl: `${B}202401/P020240118307215.docx`, linkText: '附件：年度报告.docx', format: 'docx', state: 'ok',
    heading: ['2023年政府信息公开工作年度报告'], intro: ['本报告由淮安市清江浦区财政局根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。'], extraIssues: ['meta_from_hint'], region: R('320812', 'county', '320812') },
  { portal: 'demo', listing: `${B}index.html`, title: '盱眙县水利局2022年政府信息公开工作年度报告', year: 2022, agency: '盱眙县水利局', date: '2023-01-16', page: `${B}202301/t20230116_1531.html`, via: 'attachment', seed: 919, generate: { template: '2021', otherAggregated: false, activity: 0.4 }, fileUrl: `${B}202301/P020230116552108.pdf`, linkText: '盱眙县水利局2022年政府信息公开工作年度报告.pdf', format: 'pdf', state: 'ok',
    heading: ['2022年政府信息公开工作年度报告'], signature: ['盱眙县水利局', '2023年1月16日'], extraIssues: ['meta_from_hint'], region: R('320830', 'county', '320830') },
  // A published table that breaks an identity: 复议 总计 printed 2 above the sum of its outcomes.
  { portal: 'demo', listing: `${A}list_2.html`, title: '淮安市淮安区人民政府2022年政府信息公开工作年度报告', year: 2022, agency: '淮安市淮安区人民政府', date: '2023-01-31', page: `${A}202301/t20230131_3902.html`, via: 'inline', seed: 920, generate: { template: '2021', otherAggregated: false, activity: 0.6 }, publishedDelta: { 'review.total': 2 }, format: 'html', state: 'ok', region: R('320803', 'county', '320803') },
  // A flattened dump (every table cell run together): the 规章 row's digits split several ways, so those cells are left out.
  { portal: 'demo', listing: `${A}index.html`, title: '淮安市淮阴区人民政府2023年政府信息公开工作年度报告', year: 2023, agency: '淮安市淮阴区人民政府', date: '2024-01-25', page: `${A}202401/t20240125_4102.txt`, via: 'inline', seed: 921, generate: { template: '2021', otherAggregated: false, activity: 0.6 }, format: 'text', state: 'ok',
    leftOut: ['proactive.rules.issued', 'proactive.rules.repealed', 'proactive.rules.inForce'], extraIssues: ['split_inferred'], region: R('320804', 'county', '320804') },
  { portal: 'demo-js', listing: `${J}index.html`, title: '2020年经济技术开发区管理办公室政府信息公开工作年度报告', year: 2020, agency: '经济技术开发区管理办公室', date: '2021-01-27', page: `${J}202101/t20210127_0415.html`, via: 'inline', seed: 916, generate: { template: '2019', money: 'yuan', activity: 0.6 }, format: 'html', state: 'ok', extraIssues: ['region_from_portal'], region: R('320800', 'prefecture', null, 'portal') },
];

/** Listing items that must not come out as reports, and links the crawler must not follow. */
const DEAD = [{ portal: 'demo', listing: `${A}list_2.html`, title: '示例县水利局2021年政府信息公开年报', date: '2022-01-25', page: `${A}202201/t20220125_3870.html`, status: 404 }];
const DISALLOWED = [{ portal: 'demo', listing: `${A}list_3.html`, title: '示例县财政局2021年政府信息公开工作年度报告（草稿）', date: '2022-01-18', page: '/private/ndbg/t20220118_0001.html' }];
const OFF_HOST = [{ portal: 'demo', listing: `${A}list_3.html`, title: '国务院办公厅2020年政府信息公开工作年度报告', date: '2021-03-01', page: 'http://www.gov.cn/zhengce/content/2021-03/01/content_0000000.htm' }];
const NOT_REPORTS = [
  { portal: 'demo', listing: `${A}index.html`, title: '关于《淮安市人民政府2024年政府信息公开工作年度报告》的解读', date: '2025-01-16', page: `${A}202501/t20250116_4499.html` },
  { portal: 'demo', listing: `${A}list_3.html`, title: '示例县政府信息公开指南', date: '2020-06-01', page: `${A}202006/t20200601_2001.html` },
  { portal: 'demo', listing: `${B}index_2.html`, title: '2022年政务公开工作要点', date: '2022-04-10', page: `${B}202204/t20220410_1400.html` },
  { portal: 'demo-js', listing: `${J}index.html`, title: '关于做好2021年度政府信息公开工作年度报告编制发布工作的通知', date: '2021-12-20', page: `${J}202112/t20211220_0501.html` },
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// ——— documents ———

interface Built {
  bytes: Uint8Array;
  expected: ExpectedRecord;
}

/** The report's own words: its heading (a title, or only the year's), intro and signature as the site definition says. */
function contentOf(def: ReportDef, rep: GeneratedReport) {
  const content = reportContent(rep, def.title);
  return {
    ...content,
    heading: def.heading ?? content.heading,
    intro: [...(def.intro ?? []), ...content.intro],
    closing: [...content.closing, ...(def.signature ?? [])],
  };
}

/** The bytes of one report in its format, and the record they must extract to. */
async function buildDocument(def: ReportDef, generated: GeneratedReport, printer: PdfPrinter, crumbs: [string, string][], old: OldGenerator, flat: RenderFlat): Promise<Built> {
  const rep = misprinted(generated, def.publishedDelta);
  const content = contentOf(def, rep);
  const expected = () => {
    const e = expectedOf(rep);
    if (def.leftOut?.length) {
      const values = Object.fromEntries(Object.entries(e.values).filter(([f]) => !def.leftOut!.includes(f)));
      return { ...e, status: 'flagged' as const, values, issues: [...new Set([...e.issues, 'ambiguous_cells', ...(def.extraIssues ?? [])])].sort() };
    }
    const broken = def.publishedDelta ? { status: 'flagged' as const, issues: [...e.issues, 'identity_failed'] } : {};
    return { ...e, ...broken, issues: [...new Set([...(broken.issues ?? e.issues), ...(def.extraIssues ?? [])])].sort() };
  };
  const page = (body: string) => renderArticlePage({ siteName: SITE_NAME, title: def.title, agency: def.agency, published: def.date, crumbs, noCharset: def.charset === 'gbk-undeclared' }, body);
  if (def.old) {
    // The 2008 format: sections and the statistics table of those years, no 第二十条 tables.
    const html = page(old.renderOldBody(old.generateOldReport(def.seed, { year: def.year, agency: def.agency, table: true })));
    return { bytes: Buffer.from(html, 'utf8'), expected: expectedFailure('pre_2019_format', def.agency, def.year) };
  }
  if (def.format === 'text') return { bytes: Buffer.from(`${content.heading.join('\n')}\n${flat.renderFlat(rep, { chrome: true })}\n`, 'utf8'), expected: expected() };
  if (def.format === 'html') {
    const html = page(renderReportBody(content));
    if (def.charset !== 'gbk-undeclared') return { bytes: Buffer.from(html, 'utf8'), expected: expected() };
    const bytes = iconv.encode(html, 'gbk');
    if (iconv.decode(bytes, 'gbk') !== html) throw new Error(`${def.page}: text does not survive GBK`);
    return { bytes, expected: expected() };
  }
  if (def.format === 'docx') return { bytes: await renderReportDocx(content), expected: expected() };
  const pdf = await printer.print(renderReportBody(content));
  // A PDF cut off mid-upload: a valid header, then nothing.
  if (def.state === 'corrupt') return { bytes: pdf.subarray(0, 4096), expected: expectedFailure('corrupt', def.agency, def.year) };
  return { bytes: pdf, expected: expected() };
}

/** The report as printed with some cells off by `delta`: its values are what it prints (a correct extraction reads them as they are). */
function misprinted(rep: GeneratedReport, delta: Record<string, number> | undefined): GeneratedReport {
  if (!delta) return rep;
  const values = { ...rep.values };
  const written = { ...rep.written };
  for (const [f, d] of Object.entries(delta)) {
    values[f] = (values[f] ?? 0) + d;
    written[f] = String(values[f]);
  }
  return { ...rep, values, written };
}

/** What the crawl tells the extractor about a report: the listing's title, agency and year, the date, the download's name, the portal. */
function hintsFor(def: ReportDef, portals: ReadonlyMap<string, Portal>): BuildHints {
  const listed = parseReportTitle(def.title);
  const direct = def.via === 'attachment' && !def.fileUrl;
  const disposition = def.fileHeaders?.['Content-Disposition'];
  const portal = portals.get(def.portal)!;
  return {
    agency: listed.agency,
    year: listed.year,
    title: def.title,
    publishedAt: def.date,
    publishedFrom: direct ? 'listing' : 'article',
    filename: disposition ? filenameFromContentDisposition(disposition) : null,
    portal: { id: portal.id, region: portal.region },
  };
}

/** The labels a correct reading gives the report: its region, title and date. */
function labelsOf(def: ReportDef) {
  return { region: def.region, title: def.title, publishedAt: def.date };
}

/** The build refuses to write a document whose extraction differs from its expected record. */
async function verify(def: ReportDef, built: Built, portals: ReadonlyMap<string, Portal>): Promise<void> {
  const rec = await extractRecord(built.bytes, { uri: def.page, hints: hintsFor(def, portals) });
  const got = { status: rec.status, agency: rec.agency, year: rec.year, template: rec.template, values: rec.values, issues: [...new Set(rec.issues.map((i) => i.code))].sort() };
  if (JSON.stringify(got) !== JSON.stringify(built.expected)) {
    throw new Error(`${def.page}: the extraction differs from the generated report\n  want ${JSON.stringify(built.expected).slice(0, 400)}\n  got  ${JSON.stringify(got).slice(0, 400)}`);
  }
  const g = rec.region;
  const region = g ? { code: g.code, level: g.level, province: g.province?.code ?? null, prefecture: g.prefecture?.code ?? null, county: g.county?.code ?? null, ...(g.township ? { township: g.township.name } : {}), source: g.source } : null;
  const labels = { region, title: rec.title, publishedAt: rec.publishedAt };
  if (JSON.stringify(labels) !== JSON.stringify(labelsOf(def))) {
    throw new Error(`${def.page}: the labels differ from the site definition\n  want ${JSON.stringify(labelsOf(def))}\n  got  ${JSON.stringify(labels)}`);
  }
}

/** Where a document is written under site/ (a download servlet's file lives in files/). */
function filePath(def: ReportDef): string {
  if (def.via === 'inline' || !def.fileUrl) return def.page;
  return def.fileUrl.includes('?') ? `/files/${/[?&]id=(\d+)/.exec(def.fileUrl)![1]}.${def.format}` : def.fileUrl;
}

// ——— pages ———

function chrome(title: string, crumbs: [string, string][], body: string, head = ''): string {
  const c = crumbs.map(([t, h]) => ` &gt; <a href="${esc(h)}">${esc(t)}</a>`).join('');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${esc(title)}_${SITE_NAME}</title>
<link rel="stylesheet" type="text/css" href="/css/style.css">
${head}</head>
<body>
<div class="header"><div class="logo">${SITE_NAME}</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="${A}index.html">政府信息公开年报</a></li><li><a href="${B}index.html">部门信息公开年报</a></li><li><a href="${J}index.html">开发区年报</a></li><li><a href="/xzzx/">下载中心</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a>${c}</div>
${body}
<div class="footer"><p>主办：${SITE_NAME}（离线示例站，年度报告为生成的示例数据）</p><p>网站标识码：0000000000&nbsp;&nbsp;示ICP备00000000号</p></div>
</body>
</html>
`;
}

interface Item {
  href: string;
  title: string;
  date: string;
  truncate?: boolean;
}

function listItem(it: Item): string {
  const text = it.truncate && it.title.length > 24 ? `${it.title.slice(0, 24)}…` : it.title;
  return `<li><a href="${esc(it.href)}" target="_blank" title="${esc(it.title)}">${esc(text)}</a><span class="date">${it.date}</span></li>`;
}

/** Relative href as a CMS writes it (./202101/t….html), absolute when off-site or another column. */
function hrefFrom(listing: string, target: string): string {
  if (/^https?:/.test(target)) return target;
  const dir = listing.replace(/[^/]*$/, '');
  return target.startsWith(dir) ? `./${target.slice(dir.length)}` : target;
}

function listingBody(title: string, items: Item[], pager: string): string {
  return `<div class="main"><div class="list-title">${esc(title)}</div>
<div class="list-box">
<ul class="list">
<!-- list:start -->
${items.map(listItem).join('\n')}
</ul>
</div>
<div class="page">${pager}</div>
</div>`;
}

function nextPager(pages: string[], i: number): string {
  const link = (p: string, t: string) => `<a href="${p}">${t}</a>`;
  const parts = [`共${pages.length}页 当前第${i + 1}页`, link(pages[0]!, '首页')];
  if (i > 0) parts.push(link(pages[i - 1]!, '上一页'));
  if (i < pages.length - 1) parts.push(link(pages[i + 1]!, '下一页'));
  parts.push(link(pages[pages.length - 1]!, '尾页'));
  return parts.join('&nbsp;');
}

function createPageScript(total: number, i: number): string {
  // Two spellings seen on TRS sites: literal arguments, and variables set just before the call.
  return i === 1
    ? `<script language="JavaScript">\nvar countPage = ${total}//共多少页\nvar currentPage = ${i}//当前第几页\ncreatePageHTML(countPage, currentPage, "index", "html");\n</script>`
    : `<script type="text/javascript">createPageHTML(${total}, ${i}, "index", "html");</script>`;
}

function itemsFor(listing: string, portal: string): Item[] {
  const all = [
    ...REPORTS.filter((r) => !r.unpublished).map((r) => ({ ...r, truncate: r.truncateTitle })),
    ...DEAD,
    ...DISALLOWED,
    ...OFF_HOST,
    ...NOT_REPORTS,
  ].filter((r) => r.listing === listing && r.portal === portal);
  return all.sort((a, b) => b.date.localeCompare(a.date)).map((r) => ({ href: hrefFrom(listing, r.page), title: r.title, date: r.date, truncate: 'truncate' in r ? !!r.truncate : false }));
}

async function write(path: string, content: string | Uint8Array): Promise<void> {
  const full = join(SITE, path);
  await mkdir(dirname(full), { recursive: true });
  await writeFile(full, content);
}

function attachmentArticle(def: ReportDef): string {
  const href = hrefFrom(def.page, def.fileUrl!);
  const body = `<p class="MsoNormal" style="text-indent:32pt"><span style="font-size:16pt;font-family:仿宋_GB2312">根据《中华人民共和国政府信息公开条例》要求，现将${esc(def.title)}予以公布。</span></p>
<p class="MsoNormal" style="text-indent:32pt"><span style="font-size:16pt;font-family:仿宋_GB2312">如对本报告有疑问，请与${esc(def.agency)}办公室联系。</span></p>
<div class="fj"><p>附件：<a href="${esc(href)}" target="_blank">${esc(def.linkText!)}</a></p></div>
<p><img src="/images/qr.png" alt="扫一扫在手机打开当前页"></p>`;
  return renderArticlePage({ siteName: SITE_NAME, title: def.title, agency: def.agency, published: def.date, crumbs: [] }, body);
}

function plainArticle(title: string, date: string, text: string): string {
  return renderArticlePage({ siteName: SITE_NAME, title, agency: SITE_NAME, published: date, crumbs: [] }, `<p class="MsoNormal" style="text-indent:32pt">${esc(text)}</p>`);
}

async function main(): Promise<void> {
  const generate = await loadGenerator(ROOT);
  const old = await loadOldGenerator(ROOT);
  const flat = await loadFlatRenderer(ROOT);
  const portals = new Map((await samplePortals('http://127.0.0.1:1', OUT)).map((p) => [p.id, p]));
  const printer = await launchPdfPrinter();
  const built = new Map<ReportDef, Built>();
  try {
    for (const def of REPORTS) {
      const crumbs: [string, string][] = [[def.portal === 'demo-js' ? '开发区年报' : def.listing.startsWith(A) ? '政府信息公开年报' : '部门信息公开年报', def.listing]];
      const b = await buildDocument(def, generateFor(generate, def.seed, def.generate, def.agency, def.year), printer, crumbs, old, flat);
      await verify(def, b, portals);
      built.set(def, b);
    }
  } finally {
    await printer.close();
  }

  await rm(SITE, { recursive: true, force: true });
  await rm(join(OUT, 'unpublished'), { recursive: true, force: true });
  const routes: Record<string, { file: string; headers: Record<string, string> }> = {};
  for (const def of REPORTS) {
    const { bytes } = built.get(def)!;
    if (def.unpublished) {
      const full = join(OUT, 'unpublished', def.page);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, bytes);
      continue;
    }
    if (def.via === 'attachment' && def.fileUrl) await write(def.page, attachmentArticle(def));
    await write(filePath(def), bytes);
    if (def.fileUrl?.includes('?')) routes[def.fileUrl] = { file: filePath(def).slice(1), headers: def.fileHeaders ?? {} };
  }
  for (const n of NOT_REPORTS) await write(n.page, plainArticle(n.title, n.date, `${n.title}（正文略）。`));
  await write(DISALLOWED[0]!.page, plainArticle(DISALLOWED[0]!.title, DISALLOWED[0]!.date, '内部草稿，禁止抓取。'));

  // Column A: 下一页 / 尾页 links.
  const aPages = [`${A}index.html`, `${A}list_2.html`, `${A}list_3.html`];
  for (const [i, p] of aPages.entries()) {
    const pager = nextPager(aPages.map((x) => hrefFrom(p, x)), i);
    await write(p, chrome('政府信息公开年报', [['政府信息公开年报', aPages[0]!]], listingBody('政府信息公开年报', itemsFor(p, 'demo'), pager)));
  }
  // Column B: index.html, index_1.html, index_2.html and a createPageHTML pager.
  const bPages = [`${B}index.html`, `${B}index_1.html`, `${B}index_2.html`];
  for (const [i, p] of bPages.entries()) {
    await write(p, chrome('部门信息公开年报', [['部门信息公开年报', bPages[0]!]], listingBody('部门信息公开年报', itemsFor(p, 'demo'), createPageScript(bPages.length, i)), '<script type="text/javascript" src="/js/createPageHTML.js"></script>\n'));
  }
  // Column J: the list is built in the browser from data.json.
  const jItems = itemsFor(`${J}index.html`, 'demo-js');
  await write(`${J}data.json`, JSON.stringify({ total: jItems.length, list: jItems.map((i) => ({ title: i.title, url: i.href.replace(/^\.\//, J), date: i.date })) }, null, 1));
  await write(
    `${J}index.html`,
    chrome(
      '开发区年报',
      [['开发区年报', `${J}index.html`]],
      `<div class="main"><div class="list-title">开发区年报</div><ul class="list" id="list"><li class="loading">加载中…</li></ul></div>
<script type="text/javascript">
fetch('./data.json').then(function (r) { return r.json(); }).then(function (d) {
  var ul = document.getElementById('list'); ul.innerHTML = '';
  d.list.forEach(function (it) {
    var li = document.createElement('li'); var a = document.createElement('a');
    a.href = it.url; a.title = it.title; a.textContent = it.title; li.appendChild(a);
    var s = document.createElement('span'); s.className = 'date'; s.textContent = it.date; li.appendChild(s);
    ul.appendChild(li);
  });
});
</script>
<script type="text/javascript" src="http://stat.example.invalid/count.js"></script>`,
    ),
  );

  await write('/index.html', chrome('首页', [], `<div class="main"><ul class="columns"><li><a href="${A}index.html">政府信息公开年报</a></li><li><a href="${B}index.html">部门信息公开年报</a></li><li><a href="${J}index.html">开发区年报</a></li></ul></div>`));
  await write('/robots.txt', '# 示例站 robots.txt\nUser-agent: *\nDisallow: /private/\nDisallow: /search/\nCrawl-delay: 0.05\n\nUser-agent: BadBot\nDisallow: /\n');
  await write('/css/style.css', 'body{font-family:"Microsoft YaHei",SimSun,sans-serif;margin:0}.header{background:#b81c22;color:#fff;padding:8px 16px}.nav li{display:inline;margin-right:12px}.nav a{color:#fff}.list li{line-height:2}.date{float:right;color:#888}.page{margin:12px 0}\n');
  await write('/js/createPageHTML.js', `// TRS WCM pager: page 0 is index.html, page n is index_n.html
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) return;
  var nCurrIndex = _nCurrIndex || 0;
  var name = function (i) { return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; };
  document.write("共" + _nPageCount + "页&nbsp;");
  if (nCurrIndex == 0) document.write("首页&nbsp;上一页&nbsp;");
  else document.write("<a href=\\"" + name(0) + "\\">首页</a>&nbsp;<a href=\\"" + name(nCurrIndex - 1) + "\\">上一页</a>&nbsp;");
  if (nCurrIndex == _nPageCount - 1) document.write("下一页&nbsp;尾页");
  else document.write("<a href=\\"" + name(nCurrIndex + 1) + "\\">下一页</a>&nbsp;<a href=\\"" + name(_nPageCount - 1) + "\\">尾页</a>");
}
`);
  await writeFile(join(OUT, 'routes.json'), `${JSON.stringify(routes, null, 2)}\n`);

  const manifest = {
    $comment: 'What samples/portal/site holds. URLs are paths on the portal server (prefix its baseUrl). Every report is generated (made: test/fixtures/report.ts seed and options; old: the pre-2019 format of test/fixtures/render-pre2019.ts); expected is the exact record a correct extraction gives, labels its region (GB/T 2260 codes), title and publication date. Built by src/demo/build-sample-portal.ts; tests assert against it.',
    portals: { demo: { entries: [`${A}index.html`, `${B}index.html`] }, 'demo-js': { entries: [`${J}index.html`] } },
    listings: { demo: [...aPages, ...bPages], 'demo-js': [`${J}index.html`] },
    reports: REPORTS.filter((r) => !r.unpublished).map((r) => reportEntry(r, built.get(r)!.expected)),
    unpublished: REPORTS.filter((r) => r.unpublished).map((r) => ({
      ...reportEntry(r, built.get(r)!.expected),
      file: `unpublished${r.page}`,
      listingItem: listItem({ href: hrefFrom(r.listing, r.page), title: r.title, date: r.date }),
    })),
    dead: DEAD.map((d) => ({ portal: d.portal, url: d.page, listing: d.listing, title: d.title, status: d.status })),
    robotsDisallowed: DISALLOWED.map((d) => ({ portal: d.portal, url: d.page, listing: d.listing, title: d.title })),
    offHost: OFF_HOST.map((d) => ({ portal: d.portal, url: d.page, listing: d.listing, title: d.title })),
    notReports: NOT_REPORTS.map((d) => ({ portal: d.portal, url: d.page, listing: d.listing, title: d.title })),
  };
  await writeFile(join(OUT, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

function reportEntry(r: ReportDef, expected: ExpectedRecord) {
  const url = r.via === 'attachment' && r.fileUrl ? r.fileUrl : r.page;
  return {
    portal: r.portal,
    url,
    via: r.via,
    ...(r.via === 'attachment' && r.fileUrl ? { article: r.page } : {}),
    listing: r.listing,
    title: r.title,
    year: r.year,
    agency: r.agency,
    format: r.format,
    ...(r.format === 'html' ? { charset: r.charset ?? 'utf-8' } : {}),
    template: r.generate.template,
    made: { seed: r.seed, generate: r.generate, ...(r.publishedDelta ? { publishedDelta: r.publishedDelta } : {}) },
    state: r.state,
    ...(r.old ? { old: true } : {}),
    expected,
    labels: labelsOf(r),
  };
}

await main();
