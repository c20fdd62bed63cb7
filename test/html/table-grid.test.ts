/**
 * rowspan/colspan layout on tricky markup: every origin cell at its slot of the expanded grid,
 * as a browser places it.
 */
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import type { Cell, Table } from '../../src/extract/grid.js';
import { htmlToDoc } from '../../src/extract/html.js';
import { markupHidden } from '../../src/extract/html/hidden.js';
import { parseNonNegativeInteger, tableToGrid } from '../../src/extract/html/table-grid.js';

/** Cells as "text@row,col[rowSpan x colSpan]" per grid row, for readable assertions. */
function layout(t: Table): string[][] {
  return t.rows.map((r) => r.map((c: Cell) => `${c.text}@${c.row},${c.col}${c.rowSpan > 1 || c.colSpan > 1 ? `[${c.rowSpan}x${c.colSpan}]` : ''}`));
}

function tables(html: string): Table[] {
  return htmlToDoc(html).tables;
}

function only(html: string): Table {
  const t = tables(html);
  expect(t).toHaveLength(1);
  return t[0]!;
}

describe('span attributes are parsed as browsers parse them', () => {
  it.each([
    ['3', 3], [' 3', 3], ['+2', 2], ['2px', 2], ['1.5', 1], ['abc', null], ['', null], ['-1', null], [undefined, null],
  ] as const)('%j → %j', (v, n) => {
    expect(parseNonNegativeInteger(v)).toBe(n);
  });

  it('colspan 0 and garbage count as 1; absurd spans are capped', () => {
    const t = only('<table><tr><td colspan="0">a</td><td colspan="x">b</td><td colspan="1.5">c</td><td colspan="5000">d</td></tr></table>');
    expect(layout(t)).toEqual([['a@0,0', 'b@0,1', 'c@0,2', 'd@0,3[1x1000]']]);
  });
});

describe('rowspan and colspan', () => {
  it('the applications header: a 3×3 corner, a 2-row 自然人 and 总计, a 5-wide group', () => {
    const t = only(`<table>
      <tr><td colspan="3" rowspan="3">勾稽</td><td colspan="7">申请人情况</td></tr>
      <tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
      <tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
      <tr><td colspan="3">一、本年新收</td><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>21</td></tr>
    </table>`);
    expect(layout(t)).toEqual([
      ['勾稽@0,0[3x3]', '申请人情况@0,3[1x7]'],
      ['自然人@1,3[2x1]', '法人或其他组织@1,4[1x5]', '总计@1,9[2x1]'],
      ['商业企业@2,4', '科研机构@2,5', '社会公益组织@2,6', '法律服务机构@2,7', '其他@2,8'],
      ['一、本年新收@3,0[1x3]', '1@3,3', '2@3,4', '3@3,5', '4@3,6', '5@3,7', '6@3,8', '21@3,9'],
    ]);
  });

  it('nested group labels: a row under two rowspans starts at column 2', () => {
    const t = only(`<table>
      <tr><td rowspan="3">三、办理结果</td><td rowspan="2">（三）不予公开</td><td>1.国家秘密</td><td>0</td></tr>
      <tr><td>2.法律禁止</td><td>1</td></tr>
      <tr><td colspan="2">（七）总计</td><td>1</td></tr>
    </table>`);
    expect(layout(t)).toEqual([
      ['三、办理结果@0,0[3x1]', '（三）不予公开@0,1[2x1]', '1.国家秘密@0,2', '0@0,3'],
      ['2.法律禁止@1,2', '1@1,3'],
      ['（七）总计@2,1[1x2]', '1@2,3'],
    ]);
  });

  it('colspan on value cells: one origin cell per value, wherever it spans', () => {
    const t = only(`<table>
      <tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
      <tr><td>行政许可</td><td colspan="3">27</td></tr>
      <tr><td>行政事业性收费</td><td>5</td><td colspan="2">-2</td></tr>
    </table>`);
    expect(layout(t)).toEqual([
      ['信息内容@0,0', '本年处理决定数量@0,1[1x3]'],
      ['行政许可@1,0', '27@1,1[1x3]'],
      ['行政事业性收费@2,0', '5@2,1', '-2@2,2[1x2]'],
    ]);
  });

  it('a rowspan crossing a page split is cut at the end of its table', () => {
    // The first part of a table split over two pages still claims the rows that went to the next one.
    const [a, b] = tables(`
      <table><tr><td rowspan="20">三、本年度办理结果</td><td>（一）予以公开</td><td>3</td></tr>
             <tr><td>（二）部分公开</td><td>1</td></tr></table>
      <table><tr><td>（三）不予公开</td><td>0</td></tr></table>`);
    expect(layout(a!)).toEqual([['三、本年度办理结果@0,0[2x1]', '（一）予以公开@0,1', '3@0,2'], ['（二）部分公开@1,1', '1@1,2']]);
    // The continuation is a table of its own: nothing from the first reaches into it.
    expect(layout(b!)).toEqual([['（三）不予公开@0,0', '0@0,1']]);
  });

  it('a rowspan stops at its row group (tbody), as browsers render it; rowspan="0" fills the group', () => {
    const t = only(`<table>
      <thead><tr><td rowspan="3">表头</td><td>a</td></tr></thead>
      <tbody><tr><td rowspan="0">组</td><td>b</td></tr><tr><td>c</td></tr><tr><td>d</td></tr></tbody>
      <tbody><tr><td>e</td><td>f</td></tr></tbody>
    </table>`);
    expect(layout(t)).toEqual([
      ['表头@0,0', 'a@0,1'],
      ['组@1,0[3x1]', 'b@1,1'],
      ['c@2,1'],
      ['d@3,1'],
      ['e@4,0', 'f@4,1'],
    ]);
  });

  it('tfoot rows come last, as in the HTML table model', () => {
    const t = only('<table><tfoot><tr><td>脚</td></tr></tfoot><tbody><tr><td>体</td></tr></tbody></table>');
    expect(layout(t)).toEqual([['体@0,0'], ['脚@1,0']]);
  });

  it("Word's merges from mammoth run from <thead> into <tbody>", () => {
    // mammoth puts Word's repeated header rows in <thead> but counts vMerge over the whole table.
    const html = `<table><thead><tr><th colspan="2" rowspan="3">勾稽</th><th>申请人</th></tr></thead>
      <tbody><tr><td>自然人</td></tr><tr><td>商业企业</td></tr><tr><td>本年新收</td><td>x</td><td>5</td></tr></tbody></table>`;
    const $ = load(html);
    const el = $('table')[0]!;
    const opts = { hidden: markupHidden };
    expect(layout(tableToGrid(el, { ...opts, spansCrossRowGroups: true }))).toEqual([
      ['勾稽@0,0[3x2]', '申请人@0,2'],
      ['自然人@1,2'],
      ['商业企业@2,2'],
      ['本年新收@3,0', 'x@3,1', '5@3,2'],
    ]);
    // Read as a browser would, the header cell stops at </thead> and the body rows shift left.
    expect(layout(tableToGrid(el, opts))[1]).toEqual(['自然人@1,0']);
    // The DOCX adapter reads mammoth's HTML the Word way.
    expect(layout(htmlToDoc(html, { fromWord: true }).tables[0]!)[1]).toEqual(['自然人@1,2']);
  });
});

describe('malformed rows', () => {
  it('a row missing cells has fewer cells; nothing is invented', () => {
    const t = only('<table><tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr><tr><td>行政规范性文件</td><td>4</td></tr></table>');
    expect(layout(t)).toEqual([['规章@0,0', '1@0,1', '2@0,2', '3@0,3'], ['行政规范性文件@1,0', '4@1,1']]);
  });

  it('unclosed cells and rows, and a cell outside any row, land where a browser puts them', () => {
    const t = only('<table><td>孤<tr><td>甲<td>1<td>2<tr><td>乙<td>3</table>');
    expect(layout(t)).toEqual([['孤@0,0'], ['甲@1,0', '1@1,1', '2@1,2'], ['乙@2,0', '3@2,1']]);
  });

  it('overlapping spans (a table model error) keep the first-free-slot placement', () => {
    const t = only('<table><tr><td>a</td><td rowspan="2">b</td></tr><tr><td colspan="3">c</td><td>d</td></tr></table>');
    expect(layout(t)).toEqual([['a@0,0', 'b@0,1[2x1]'], ['c@1,0[1x3]', 'd@1,3']]);
  });

  it("Word's placeholder cells take their slot but are not cells; its spacer row is dropped", () => {
    const t = only(`<table>
      <tr><td>行政复议</td><td style="mso-cell-special:placeholder;border:none" width="0"><p>&nbsp;</p></td></tr>
      <tr><td>1</td><td>2</td></tr>
      <tr height="0"><td width="40" style="border:none"></td><td width="40" style="border:none"></td></tr>
    </table>`);
    expect(layout(t)).toEqual([['行政复议@0,0'], ['1@1,0', '2@1,1']]);
  });

  it('a blank data row is kept: blank cells are cells', () => {
    const t = only('<table><tr><td>x</td><td></td></tr><tr><td></td><td>&nbsp;</td></tr></table>');
    expect(layout(t)).toEqual([['x@0,0', '@0,1'], ['@1,0', '\u00a0@1,1']]);
  });

  it('a cell hidden with display:none takes no slot', () => {
    const t = only('<table><tr><td>a</td><td style="display:none">隐</td><td>b</td></tr></table>');
    expect(layout(t)).toEqual([['a@0,0', 'b@0,1']]);
  });
});
