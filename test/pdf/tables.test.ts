/**
 * Parts of a table on successive pages → one table; text without rules → rows by alignment.
 */
import { describe, expect, it } from 'vitest';
import { alignedRows, type PageLine } from '../../src/extract/pdf/align.js';
import { groupLines } from '../../src/extract/pdf/lines.js';
import { type TableCell, type TablePart, joinParts, sameColumns, startsRow } from '../../src/extract/pdf/tables.js';
import type { TextPiece } from '../../src/extract/pdf/text-items.js';

const BOX = { x0: 0, y0: 0, x1: 1, y1: 1 };

/** A part from rows of cell texts; `null` marks a slot covered by the cell above (rowspan). */
function part(page: number, rows: (string | null)[][]): TablePart {
  const cells: TableCell[] = [];
  rows.forEach((r, ri) =>
    r.forEach((t, ci) => {
      if (t === null) return;
      let rowSpan = 1;
      while (rows[ri + rowSpan]?.[ci] === null) rowSpan++;
      cells.push({ text: t, row: ri, col: ci, rowSpan, colSpan: 1, page, box: { ...BOX, y0: ri } });
    }));
  return { page, rows: rows.length, cells };
}

function rowsOf(t: ReturnType<typeof joinParts>): string[][] {
  const out: string[][] = [];
  for (const c of t.cells) (out[c.row] ??= []).push(c.rowSpan > 1 ? `${c.text}↓${c.rowSpan}` : c.text);
  return out;
}

describe('tables across pages', () => {
  it('puts the rows of the next page after the rows of this one', () => {
    const t = joinParts([part(1, [['3.危及“三安全一稳定”', '0', '1'], ['4.保护第三方合法权益', '2', '2']]), part(2, [['5.属于三类内部事务信息', '0', '0']])]);
    expect(rowsOf(t)).toEqual([['3.危及“三安全一稳定”', '0', '1'], ['4.保护第三方合法权益', '2', '2'], ['5.属于三类内部事务信息', '0', '0']]);
    expect(t.cells.find((c) => c.text === '5.属于三类内部事务信息')!.page).toBe(2);
  });

  it('makes the two halves of a row cut by the page break one row again, pointing at its numbers', () => {
    const t = joinParts([
      part(1, [['1.属于国家秘密', '1', '1'], ['（二）部分公开（区分处理的，只计这一情形，', '', '']]),
      part(2, [['不计其他情形）', '4', '4'], ['（三）不予公开', '0', '0']]),
    ]);
    expect(rowsOf(t)).toEqual([['1.属于国家秘密', '1', '1'], ['（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '4', '4'], ['（三）不予公开', '0', '0']]);
    const four = t.cells.find((c) => c.row === 1 && c.col === 1)!;
    expect(four.page).toBe(2);
  });

  it('on a scan, joins a cut row whose half holds only specks, and leaves a number beside ink read as nothing doubtful', () => {
    const scanned = (p: TablePart, conf: (text: string) => number) => ({ ...p, cells: p.cells.map((c) => ({ ...c, confidence: conf(c.text) })) });
    const low = (t: string) => (t === '.' || t === '?' ? 0 : 95);
    const t = joinParts([
      scanned(part(1, [['1.信访举报投诉类申请', '3', '3'], ['2.申请人逾期未按收费通知要求缴纳费用、行政机关不', '26', '34']]), low),
      scanned(part(2, [['再处理其政府信息公开申请', '.', '?'], ['3.其他', '29', '34']]), low),
    ]);
    expect(rowsOf(t)).toEqual([['1.信访举报投诉类申请', '3', '3'], ['2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '26', '34'], ['3.其他', '29', '34']]);
    expect(t.cells.find((c) => c.row === 1 && c.col === 1)!.confidence).toBe(95);
    expect(t.cells.find((c) => c.row === 1 && c.col === 2)!.confidence).toBe(0);
  });

  it('continues a merged label cell cut by the page break, and starts a new row where a row label starts', () => {
    const t = joinParts([
      part(1, [['三、本年度', '（四）无法提供', '1.本机关不掌握相关政府信息', '10'], [null, null, '2.没有现成信息需要另行制作', '3']]),
      part(2, [['办理结果', '', '3.补正后申请内容仍不明确', '0'], [null, '（五）不予处理', '1.信访举报投诉类申请', '1']]),
    ]);
    expect(rowsOf(t)).toEqual([
      ['三、本年度办理结果↓4', '（四）无法提供↓3', '1.本机关不掌握相关政府信息', '10'],
      ['2.没有现成信息需要另行制作', '3'],
      ['3.补正后申请内容仍不明确', '0'],
      ['（五）不予处理', '1.信访举报投诉类申请', '1'],
    ]);
  });

  it('leaves out a header repeated on the next page', () => {
    const header = [['项目', '自然人', '总计']];
    const t = joinParts([part(1, [...header, ['一、本年新收政府信息公开申请数量', '3', '3']]), part(2, [...header, ['二、上年结转政府信息公开申请数量', '0', '0']])]);
    expect(rowsOf(t)).toEqual([['项目', '自然人', '总计'], ['一、本年新收政府信息公开申请数量', '3', '3'], ['二、上年结转政府信息公开申请数量', '0', '0']]);
  });

  it('keeps two rows of labels over blank cells apart (行政处罚 / 行政强制 in a table of blanks)', () => {
    const t = joinParts([part(1, [['行政许可', ''], ['行政处罚', '']]), part(2, [['行政强制', '']])]);
    expect(rowsOf(t)).toHaveLength(3);
  });

  it('knows a row label by its enumerator', () => {
    for (const s of ['（三）不予公开', '(三)不予公开', '3.危及', '3、危及', '四、结转下年度继续办理', '一、本年新收']) expect(startsRow(s)).toBe(true);
    for (const s of ['不计其他情形）', '理结果', '行政强制', '2023年', '3.5']) expect(startsRow(s)).toBe(false);
  });

  it('compares the columns of two frames', () => {
    const a = { box: { x0: 50, y0: 0, x1: 500, y1: 800 }, xs: [50, 80, 150, 250, 300, 350, 400, 450, 500] };
    expect(sameColumns(a, { box: { x0: 51, y0: 0, x1: 499, y1: 300 }, xs: [51, 150, 250, 300, 350, 400, 450, 499] })).toBe(true);
    expect(sameColumns(a, { box: { x0: 50, y0: 0, x1: 500, y1: 300 }, xs: [50, 200, 500] })).toBe(false);
    expect(sameColumns(a, { box: { x0: 90, y0: 0, x1: 500, y1: 300 }, xs: [90, 150, 500] })).toBe(false);
  });
});

function pieces(line: string, y: number, page = 1): PageLine {
  // Cells at fixed x positions: "text@x|text@x".
  const ps: TextPiece[] = line.split('|').map((part) => {
    const [text, x] = part.split('@') as [string, string];
    const w = [...text].reduce((s, ch) => s + (/[\x00-\x7f]/.test(ch) ? 5 : 10), 0);
    return { text, x0: Number(x), y0: y, x1: Number(x) + w, y1: y + 10, size: 10, vertical: false };
  });
  return { page, pageHeight: 842, line: groupLines(ps)[0]! };
}

describe('tables without rules', () => {
  it('cuts lines at column gaps and keeps prose in one cell', () => {
    const rows = alignedRows([pieces('本机关认真贯彻落实条例，全年主动公开政府信息@50|112@271|条。@287', 40)]);
    expect(rows[0]!.map((c) => c.text)).toEqual(['本机关认真贯彻落实条例，全年主动公开政府信息112条。']);
  });

  it('places a blank cell where a row lacks the number of a column the rows around it have', () => {
    const rows = alignedRows([
      pieces('信息内容@50|本年制发件数@150|本年废止件数@250|现行有效件数@350', 100),
      pieces('规章@50|1@190|2@290|3@390', 120),
      pieces('行政规范性文件@50|4@190|6@390', 140),
    ]);
    expect(rows[2]!.map((c) => [c.text, c.inferred ?? false])).toEqual([['行政规范性文件', false], ['4', false], ['', true], ['6', false]]);
    expect(rows[2]![1]!.bbox).toEqual([190, 692, 195, 702]);
  });

  it('never reads a row against a sub-table with other columns (below another header row)', () => {
    const rows = alignedRows([
      pieces('信息内容@50|上一年项目数量@150|本年增/减@250|处理决定数量@350', 100),
      pieces('行政强制@50|0@190|0@290|5@390', 120),
      pieces('信息内容@50|采购项目数量@170|采购总金额@320', 140),
      pieces('政府集中采购@50|4@210|20.5@345', 160),
    ]);
    expect(rows[3]!.map((c) => c.text)).toEqual(['政府集中采购', '4', '20.5']);
  });
});
