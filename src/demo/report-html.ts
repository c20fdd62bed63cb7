/**
 * Renders a report as an article page the way portals publish them: a Word document saved as
 * HTML and pasted into the CMS — MsoNormal paragraphs, <span><font> nesting in every cell,
 * &nbsp; for blanks, and the official tables' merged cells (rowspan/colspan) laid out as in the
 * 2019 and 2021 formats. Used to build the offline sample portal (samples/portal), whose
 * reports are generated (build-sample-portal.ts): `cells` is then each field's written text.
 */

export interface ReportContent {
  template: '2019' | '2021';
  /** Heading lines as the report prints them. */
  heading: string[];
  /** Paragraphs before the tables (一、总体情况 …). */
  intro: string[];
  /** Paragraphs after the tables (五、… 六、…). */
  closing: string[];
  /** Cell text by field code, as the source prints it ('' or missing: blank). */
  cells: Record<string, string>;
}

export interface ArticlePage {
  siteName: string;
  title: string;
  agency: string;
  published: string;
  /** Breadcrumb: [label, href] pairs after 首页. */
  crumbs: [string, string][];
  /** Omit every charset declaration (the page relies on the reader guessing GBK). */
  noCharset?: boolean;
}

/** One cell of the official layout: its text ('\n' where the form breaks a label), its spans. */
export interface LayoutCell {
  text: string;
  cs?: number;
  rs?: number;
  /** A value cell (a number), not a label. */
  value?: boolean;
}

type Cell = LayoutCell;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const APP_COLS = ['natural', 'commercial', 'research', 'nonprofit', 'legal', 'otherOrg', 'total'];
const OUTCOMES = ['upheld', 'corrected', 'other', 'pending', 'total'];

function v(cells: Record<string, string>, code: string, extra: Partial<Cell> = {}): Cell {
  return { text: cells[code] ?? '', value: true, ...extra };
}

function label(text: string, extra: Partial<Cell> = {}): Cell {
  return { text, ...extra };
}

function proactive2019(c: Record<string, string>): Cell[][] {
  const row3 = (code: string, name: string, cols: string[]) => [label(name), ...cols.map((k) => v(c, `${code}.${k}`))];
  return [
    [label('第二十条第（一）项', { cs: 4 })],
    [label('信息内容'), label('本年新\n制作数量'), label('本年新\n公开数量'), label('对外公开总数量')],
    row3('proactive.rules', '规章', ['made', 'published', 'total']),
    row3('proactive.normative', '规范性文件', ['made', 'published', 'total']),
    [label('第二十条第（五）项', { cs: 4 })],
    [label('信息内容'), label('上一年项目数量'), label('本年增/减'), label('处理决定数量')],
    row3('proactive.licensing', '行政许可', ['previous', 'change', 'decisions']),
    row3('proactive.otherServices', '其他对外管理服务事项', ['previous', 'change', 'decisions']),
    [label('第二十条第（六）项', { cs: 4 })],
    [label('信息内容'), label('上一年项目数量'), label('本年增/减'), label('处理决定数量')],
    row3('proactive.penalty', '行政处罚', ['previous', 'change', 'decisions']),
    row3('proactive.coercion', '行政强制', ['previous', 'change', 'decisions']),
    [label('第二十条第（八）项', { cs: 4 })],
    [label('信息内容'), label('上一年项目数量'), label('本年增/减', { cs: 2 })],
    [label('行政事业性收费'), v(c, 'proactive.fees.previous'), v(c, 'proactive.fees.change', { cs: 2 })],
    [label('第二十条第（九）项', { cs: 4 })],
    [label('信息内容'), label('采购项目数量'), label('采购总金额', { cs: 2 })],
    [label('政府集中采购'), v(c, 'proactive.procurement.projects'), v(c, 'proactive.procurement.amountYuan', { cs: 2 })],
  ];
}

function proactive2021(c: Record<string, string>): Cell[][] {
  return [
    [label('第二十条第（一）项', { cs: 4 })],
    [label('信息内容'), label('本年制发件数'), label('本年废止件数'), label('现行有效件数')],
    [label('规章'), v(c, 'proactive.rules.issued'), v(c, 'proactive.rules.repealed'), v(c, 'proactive.rules.inForce')],
    [label('行政规范性文件'), v(c, 'proactive.normative.issued'), v(c, 'proactive.normative.repealed'), v(c, 'proactive.normative.inForce')],
    [label('第二十条第（五）项', { cs: 4 })],
    [label('信息内容'), label('本年处理决定数量', { cs: 3 })],
    [label('行政许可'), v(c, 'proactive.licensing.decisions', { cs: 3 })],
    [label('第二十条第（六）项', { cs: 4 })],
    [label('信息内容'), label('本年处理决定数量', { cs: 3 })],
    [label('行政处罚'), v(c, 'proactive.penalty.decisions', { cs: 3 })],
    [label('行政强制'), v(c, 'proactive.coercion.decisions', { cs: 3 })],
    [label('第二十条第（八）项', { cs: 4 })],
    [label('信息内容'), label('本年收费金额（单位：万元）', { cs: 3 })],
    [label('行政事业性收费'), v(c, 'proactive.fees.amountYuan', { cs: 3 })],
  ];
}

function applications(c: Record<string, string>, template: '2019' | '2021'): Cell[][] {
  const vals = (row: string) => APP_COLS.map((k) => v(c, `applications.${row}.${k}`));
  // The 2021 format splits （六）其他处理 into three rows; a report that prints one row keeps one.
  const otherSplit = template === '2021' && ['noCorrection', 'unpaidFee', 'other'].some((r) => `applications.other.${r}.natural` in c);
  const group = (name: string, rows: [string, string][]): Cell[][] =>
    rows.map(([code, text], i) => [...(i === 0 ? [label(name, { rs: rows.length })] : []), label(text), ...vals(code)]);
  const resultRows: Cell[][] = [
    [label('（一）予以公开', { cs: 2 }), ...vals('granted')],
    [label('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', { cs: 2 }), ...vals('partiallyGranted')],
    ...group('（三）不予公开', [
      ['denied.stateSecret', '1.属于国家秘密'],
      ['denied.prohibitedByLaw', '2.其他法律行政法规禁止公开'],
      ['denied.endangersSecurity', '3.危及“三安全一稳定”'],
      ['denied.thirdPartyRights', '4.保护第三方合法权益'],
      ['denied.internalAffairs', '5.属于三类内部事务信息'],
      ['denied.processInformation', '6.属于四类过程性信息'],
      ['denied.enforcementFiles', '7.属于行政执法案卷'],
      ['denied.administrativeQuery', '8.属于行政查询事项'],
    ]),
    ...group('（四）无法提供', [
      ['unable.notHeld', '1.本机关不掌握相关政府信息'],
      ['unable.needsCreation', '2.没有现成信息需要另行制作'],
      ['unable.unclearAfterCorrection', '3.补正后申请内容仍不明确'],
    ]),
    ...group('（五）不予处理', [
      ['notProcessed.complaint', '1.信访举报投诉类申请'],
      ['notProcessed.duplicate', '2.重复申请'],
      ['notProcessed.publication', '3.要求提供公开出版物'],
      ['notProcessed.excessive', '4.无正当理由大量反复申请'],
      ['notProcessed.confirmation', '5.要求行政机关确认或重新出具已获取信息'],
    ]),
    ...(otherSplit
      ? group('（六）其他处理', [
          ['other.noCorrection', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'],
          ['other.unpaidFee', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'],
          ['other.other', '3.其他'],
        ])
      : [[label('（六）其他处理', { cs: 2 }), ...vals('other')]]),
    [label('（七）总计', { cs: 2 }), ...vals('total')],
  ];
  resultRows[0]!.unshift(label('三、本年度办理结果', { rs: resultRows.length }));
  return [
    [label('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', { cs: 3, rs: 3 }), label('申请人情况', { cs: 7 })],
    [label('自然人', { rs: 2 }), label('法人或其他组织', { cs: 5 }), label('总计', { rs: 2 })],
    [label('商业\n企业'), label('科研\n机构'), label('社会公益组织'), label('法律服务机构'), label('其他')],
    [label('一、本年新收政府信息公开申请数量', { cs: 3 }), ...vals('newReceived')],
    [label('二、上年结转政府信息公开申请数量', { cs: 3 }), ...vals('carriedOver')],
    ...resultRows,
    [label('四、结转下年度继续办理', { cs: 3 }), ...vals('carriedForward')],
  ];
}

function review(c: Record<string, string>): Cell[][] {
  const outcomeLabels = ['结果\n维持', '结果\n纠正', '其他\n结果', '尚未\n审结', '总计'];
  return [
    [label('行政复议', { cs: 5 }), label('行政诉讼', { cs: 10 })],
    [...outcomeLabels.map((t) => label(t, { rs: 2 })), label('未经复议直接起诉', { cs: 5 }), label('复议后起诉', { cs: 5 })],
    [...outcomeLabels.map((t) => label(t)), ...outcomeLabels.map((t) => label(t))],
    ['review', 'litigation.direct', 'litigation.afterReview'].flatMap((g) => OUTCOMES.map((o) => v(c, `${g}.${o}`))),
  ];
}

/** One cell as Word exports it: <td><p class=MsoNormal><span><font>…</font></span></p></td>. */
function td(cell: Cell): string {
  const attrs = [cell.cs && cell.cs > 1 ? ` colspan="${cell.cs}"` : '', cell.rs && cell.rs > 1 ? ` rowspan="${cell.rs}"` : ''].join('');
  const blank = cell.text.trim() === '';
  const lines = blank ? ['&nbsp;'] : cell.text.split('\n').map(esc);
  const inner = cell.value
    ? blank
      ? `<span lang="EN-US" style="font-size:10.5pt;font-family:宋体">&nbsp;<o:p></o:p></span>`
      : `<span lang="EN-US" style="font-size:10.5pt;font-family:'Times New Roman'"><font face="Times New Roman">${lines.join('')}</font></span>`
    : `<span style="font-size:10.5pt;font-family:宋体"><font face="宋体">${lines.join('<br>\n')}</font></span>`;
  return `<td${attrs} valign="center" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt"><p class="MsoNormal" align="center" style="text-align:center">${inner}</p></td>`;
}

function table(rows: Cell[][]): string {
  const trs = rows.map((r) => `<tr style="height:20.25pt">\n${r.map(td).join('\n')}\n</tr>`).join('\n');
  return `<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;mso-padding-alt:0cm 5.4pt 0cm 5.4pt">\n<tbody>\n${trs}\n</tbody>\n</table>`;
}

function para(text: string, opts: { heading?: boolean; center?: boolean } = {}): string {
  const font = opts.heading ? '黑体' : '仿宋_GB2312';
  const style = opts.center ? ' align="center" style="text-align:center"' : ' style="text-indent:32.0pt;line-height:28.0pt"';
  return `<p class="MsoNormal"${style}><span style="font-size:16.0pt;font-family:${font}"><font face="${font}">${esc(text)}</font></span></p>`;
}

const SECTION_HEADING = /^[一二三四五六七八九十]+、/;

/** Section headings of the three official tables, in order. */
export const TABLE_HEADINGS = ['二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况'] as const;

/**
 * The three official tables as rows of cells with their merges, in the 2019 or 2021 layout.
 * One layout for every output (HTML here, DOCX in report-docx.ts), so the formats of the sample
 * portal differ only in how the same table is written.
 */
export function reportTables(r: Pick<ReportContent, 'template' | 'cells'>): [LayoutCell[][], LayoutCell[][], LayoutCell[][]] {
  return [r.template === '2019' ? proactive2019(r.cells) : proactive2021(r.cells), applications(r.cells, r.template), review(r.cells)];
}

export function isSectionHeading(text: string): boolean {
  return SECTION_HEADING.test(text);
}

export function renderReportBody(r: ReportContent): string {
  const out: string[] = [];
  out.push(`<p class="MsoNormal" align="center" style="text-align:center"><b><span style="font-size:22.0pt;font-family:方正小标宋简体">${r.heading.map(esc).join('<br>')}</span></b></p>`);
  for (const p of r.intro) out.push(para(p, { heading: SECTION_HEADING.test(p) }));
  reportTables(r).forEach((rows, i) => {
    out.push(para(TABLE_HEADINGS[i]!, { heading: true }));
    out.push(table(rows));
  });
  for (const p of r.closing) out.push(para(p, { heading: SECTION_HEADING.test(p) }));
  return `<div class="Section0" style="layout-grid:15.6pt">\n${out.join('\n')}\n</div>`;
}

/** The CMS chrome around an article: header, breadcrumb, title block, footer. */
export function renderArticlePage(page: ArticlePage, bodyHtml: string): string {
  const charset = page.noCharset ? '' : '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n';
  const crumbs = page.crumbs.map(([t, h]) => ` &gt; <a href="${esc(h)}">${esc(t)}</a>`).join('');
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html>
<head>
${charset}<title>${esc(page.title)}_${esc(page.siteName)}</title>
<meta name="SiteName" content="${esc(page.siteName)}">
<meta name="ArticleTitle" content="${esc(page.title)}">
<meta name="PubDate" content="${esc(page.published)}">
<meta name="ContentSource" content="${esc(page.agency)}">
<link rel="stylesheet" type="text/css" href="/css/style.css">
</head>
<body>
<div class="header"><div class="logo">${esc(page.siteName)}</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/ndbg/index.html">政府信息公开年报</a></li><li><a href="/bmxxgk/ndbg/index.html">部门信息公开年报</a></li><li><a href="/xzzx/">下载中心</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a>${crumbs}</div>
<div class="article">
<h1 class="title">${esc(page.title)}</h1>
<div class="info">发布时间：${esc(page.published)}&nbsp;&nbsp;来源：${esc(page.agency)}&nbsp;&nbsp;【字体：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>】</div>
<div class="TRS_Editor" id="zoom">
${bodyHtml}
</div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="footer"><p>主办：${esc(page.siteName)}（离线示例站，年度报告为生成的示例数据）</p><p>网站标识码：0000000000&nbsp;&nbsp;示ICP备00000000号</p></div>
</body>
</html>
`;
}
