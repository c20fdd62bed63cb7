/**
 * Markdown with pipe tables, as PDF-to-Markdown converters and OCR/LLM pipelines write it:
 * generated reports with known values, whole and cut into the pieces converters make.
 */
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../src/extractor.js';
import { extractMarkdown, looksLikeMarkdown, markdownToDoc, plainMarkdown } from '../src/extract/markdown.js';
import { sniffFormat } from '../src/extract/sniff.js';
import { parseCell } from '../src/normalize/number.js';
import { generateReport } from './fixtures/report.js';
import { type MarkdownOptions, renderMarkdown } from './fixtures/render-markdown.js';
import { renderHtml } from './fixtures/render-html.js';
import { renderRaw } from './fixtures/render-text.js';
import { MD_SHAPES } from './fixtures/shapes.js';

/** The shapes real converters write, each whole and cut into converter pieces where it has them. */
const SHAPES: [string, MarkdownOptions][] = [
  ['HTML tables on one line in <html><body> (MinerU)', { tables: 'html-mineru' }],
  ['HTML tables over many lines (marker)', { tables: 'html-marker', setext: true }],
  ['pandoc grid tables', { tables: 'grid' }],
  ['grid tables padded by characters', { tables: 'grid', measure: 'chars', split: true }],
  ['pandoc simple tables', { tables: 'simple', split: true }],
  ['simple tables padded by characters', { tables: 'simple', measure: 'chars' }],
  ['pipe tables without outer pipes, alignment marks', { pipes: 'bare', align: true, split: true }],
  ['full-width ｜ pipes', { pipes: 'fullwidth', split: true }],
  ['<br>, **bold** and escaped pipes in cells', { cellMarks: true, align: true, split: true }],
  ['setext headings and front matter', { setext: true, frontMatter: true, pipes: 'bare', cellMarks: true }],
  // Docling, Marker and LLM pipelines: repeated spans, padding, blank header rows, page breaks,
  // nested tables, thousands separators, blank marks, a title only in the front matter.
  ...MD_SHAPES,
];
const cells = (rows: { text: string }[][]) => rows.map((r) => r.map((c) => c.text));

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);

describe('markdown', () => {
  it('is sniffed from its pipe tables, not the file name', async () => {
    const rep = generateReport(3);
    expect(looksLikeMarkdown(renderMarkdown(rep))).toBe(true);
    expect(looksLikeMarkdown(renderRaw(rep))).toBe(false);
    const rec = await extractRecord(Buffer.from(renderMarkdown(rep)), { uri: 'report.txt' });
    expect(rec.source.format).toBe('markdown');
  });

  it('keeps heading marks and emphasis out of the text', () => {
    expect(plainMarkdown('# **太原市财政局2023年政府信息公开工作年度报告**')).toBe('太原市财政局2023年政府信息公开工作年度报告');
    expect(plainMarkdown('## 二、*主动*公开政府信息情况')).toBe('二、主动公开政府信息情况');
    const doc = markdownToDoc('# 太原市财政局\n\n| 予以公开 | 290 | 1 | 0 | 0 | 3 | 0 | 294 |\n|---|---|---|---|---|---|---|---|\n');
    expect(doc.text.split('\n')[0]).toBe('太原市财政局');
    expect(doc.tables.filter((t) => t.exact)[0]!.rows[0]!.map((c) => c.text)).toEqual(['予以公开', '290', '1', '0', '0', '3', '0', '294']);
  });

  it.each(SEEDS)('seed %i: whole tables and converter pieces give every field exactly', async (s) => {
    const rep = generateReport(7000 + s, { blankZeros: s % 3 === 0 ? 0.2 : 0, changeWords: s % 5 === 0, fullWidth: s % 7 === 0, money: 'random' });
    for (const split of [false, true]) {
      const rec = await extractRecord(Buffer.from(renderMarkdown(rep, { split, typoSeed: s % 6 === 0 ? s : undefined })), { uri: 'x.md' });
      expect(rec.values, `split=${split}`).toEqual(rep.values);
      expect(rec.status).toBe('valid');
      expect([rec.agency, rec.year, rec.template]).toEqual([rep.agency, rep.year, rep.template]);
    }
  });

  it.each(SHAPES)('%s: every field exact, sniffed as markdown', async (_, shape) => {
    for (let s = 1; s <= 5; s++) {
      const rep = generateReport(7100 + s, { blankZeros: s % 3 === 0 ? 0.2 : 0, changeWords: s % 5 === 0, fullWidth: s % 4 === 0, money: 'random' });
      const md = renderMarkdown(rep, { ...shape, typoSeed: s % 6 === 0 ? s : undefined });
      const rec = await extractRecord(Buffer.from(md), { uri: 'x.txt' });
      expect(rec.source.format, `seed ${s}`).toBe('markdown');
      expect(rec.values, `seed ${s}`).toEqual(rep.values);
      expect(rec.status).toBe('valid');
      expect([rec.agency, rec.year, rec.template]).toEqual([rep.agency, rep.year, rep.template]);
    }
  });

  it('tells a converter\'s Markdown with HTML tables from a web page', () => {
    const rep = generateReport(5);
    expect(sniffFormat(Buffer.from(renderMarkdown(rep, { tables: 'html-mineru' })))).toBe('markdown');
    expect(sniffFormat(Buffer.from(renderMarkdown(rep, { tables: 'html-marker', frontMatter: true })))).toBe('markdown');
    expect(sniffFormat(Buffer.from(renderHtml(rep)))).toBe('html');
    expect(sniffFormat(Buffer.from(renderHtml(rep, { chrome: true, word: true })))).toBe('html');
    // Tables past the sniffer's first bytes: the text's headings and HTML tables still say Markdown.
    const long = renderMarkdown(rep, { tables: 'html-mineru' }).replace('## 一、总体情况', `## 一、总体情况\n\n${'本机关认真贯彻落实条例。'.repeat(400)}`);
    expect(sniffFormat(Buffer.from(long))).toBe('text');
    expect(looksLikeMarkdown(long)).toBe(true);
    // A saved fragment of a page, no <html> around it.
    expect(sniffFormat(Buffer.from('<div class="article"><p>某局2023年报告</p><table><tr><td>规章</td><td>0</td></tr></table></div>'))).toBe('html');
  });

  it('reads an HTML table block with its spans, and the prose around it', async () => {
    const doc = await extractMarkdown('# 某局2023年报告\n\n表三：<table><tr><td rowspan="2">申请</td><td colspan="2">自然人</td></tr><tr><td>1</td><td>2</td></tr></table> 以上\n\n完');
    const exact = doc.tables.filter((t) => t.exact);
    expect(exact.map((t) => cells(t.rows))).toEqual([[['申请', '自然人'], ['1', '2']]]);
    expect(exact[0]!.rows[0]!.map((c) => [c.rowSpan, c.colSpan])).toEqual([[2, 1], [1, 2]]);
    expect(exact[0]!.rows[1]!.map((c) => c.col)).toEqual([1, 2]);
    expect(doc.text.split('\n')).toEqual(['某局2023年报告', '表三：', '申请\t自然人', '1\t2', '以上', '完']);
  });

  it('lays out a grid table\'s merged cells and wrapped labels, in display columns', () => {
    const md = [
      '+----------+------+------+',
      '| 申请人   | 自然人      |',
      '|          +------+------+',
      '|          | 商业 | 科研 |',
      '+==========+======+======+',
      '| 一、本年 | 1    | 2    |',
      '| 新收申请 |      |      |',
      '+----------+------+------+',
    ].join('\n');
    const t = markdownToDoc(md).tables.filter((x) => x.exact);
    expect(t.map((x) => cells(x.rows))).toEqual([[['申请人', '自然人'], ['商业', '科研'], ['一、本年新收申请', '1', '2']]]);
    expect(t[0]!.rows[0]!.map((c) => [c.row, c.col, c.rowSpan, c.colSpan])).toEqual([[0, 0, 2, 1], [0, 1, 1, 2]]);
  });

  it('reads a pandoc multiline table', () => {
    const md = ['-------------------------------', '项目        本年新    本年新', '            制作数量  公开数量', '---------- --------- ---------', '规章        3         1', '', '规范性      0         0', '文件', '-------------------------------', ''].join('\n');
    const t = markdownToDoc(md).tables.filter((x) => x.exact);
    expect(t.map((x) => cells(x.rows))).toEqual([[['项目', '本年新制作数量', '本年新公开数量'], ['规章', '3', '1'], ['规范性文件', '0', '0']]]);
  });

  it('never guesses where a row without outer pipes lost a cell', () => {
    const doc = markdownToDoc('规章 | 本年新制作 | 本年新公开\n---|---|---\n3 | 1\n规范性文件 | 0 | 0\n');
    expect(doc.tables.filter((t) => t.exact)).toEqual([]);
    // A pipe at either end of a row without outer pipes is a blank cell there.
    const ok = markdownToDoc('a | b | c\n---|---|---\n| 3 | 1\n');
    expect(ok.tables.filter((t) => t.exact).map((t) => cells(t.rows))).toEqual([[['a', 'b', 'c'], ['', '3', '1']]]);
  });

  it('reads tables nested in block quotes and list items', () => {
    const rows = (md: string) => markdownToDoc(md).tables.filter((t) => t.exact).map((t) => cells(t.rows));
    expect(rows('> | 规章 | 3 | 1 |\n> | --- | --- | --- |\n> | 规范性文件 | 0 | 2 |\n')).toEqual([[['规章', '3', '1'], ['规范性文件', '0', '2']]]);
    expect(rows('1. 表格：\n\n     规章 | 3 | 1\n     ---|---|---\n     规范性文件 | 0 | 2\n')).toEqual([[['规章', '3', '1'], ['规范性文件', '0', '2']]]);
    expect(looksLikeMarkdown('> | 规章 | 3 | 1 |\n> |---|---|---|\n')).toBe(true);
  });

  it('takes a whole report title from the front matter, not a bare one', () => {
    const md = (title: string) => markdownToDoc(`---\ntitle: ${title}\ndate: 2024-01-20\n---\n\n## 一、总体情况\n`).text.split('\n')[0];
    expect(md('"某市财政局2023年政府信息公开工作年度报告"')).toBe('某市财政局2023年政府信息公开工作年度报告');
    expect(md('2023年度报告')).toBe('一、总体情况');
    expect(md('report-2023.pdf')).toBe('一、总体情况');
  });

  it('never takes a group heading\'s padding cells for a row\'s blanks', async () => {
    // The heading row above a row, "| 第二十条第（一）项 | | | |", fits a row's count but is no
    // row's values, even next to a row with a cell the reader cannot read ("x&y").
    const table = (row: string) => `| 第二十条第（一）项 |  |  |  |\n| --- | --- | --- | --- |\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n${row}\n\n`;
    const md = `# 某市财政局2023年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n${table('| 规章 | 43 | 4 | 23 |')}${table('| 行政规范性文件 | 0 | x&y | 38 |')}`;
    const rec = await extractRecord(Buffer.from(md), { uri: 'x.md' });
    expect(rec.values['proactive.rules.inForce']).toBe(23);
    // The unreadable cell is left out with an issue; its row's other cells keep their columns.
    expect([rec.values['proactive.normative.issued'], rec.values['proactive.normative.inForce']]).toEqual([0, 38]);
    expect('proactive.normative.repealed' in rec.values).toBe(false);
    expect(rec.issues.find((i) => i.code === 'unreadable_cells')?.fields).toEqual(['proactive.normative.repealed']);
    // A blank row whose own label names it is still that row's blanks.
    const blank = await extractRecord(Buffer.from(md.replace('| 行政规范性文件 | 0 | x&y | 38 |', '| 行政规范性文件 |  |  |  |')), { uri: 'x.md' });
    expect(blank.values['proactive.normative.inForce']).toBeNull();
  });

  it('reads a cell of text among a row\'s numbers as an unreadable cell, never as label', async () => {
    // Folded into the label, the text left the row a cell short, and the rebuild split another
    // cell's digits ("27" as 2 and 7) or made a cell up to fill it.
    const table = (row: string) => `| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| --- | --- | --- | --- |\n| 规章 | 4 | 1 | 27 |\n${row}\n\n`;
    const read = async (row: string) => extractRecord(Buffer.from(`# 某市财政局2023年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n${table(row)}`), { uri: 'x.md' });
    for (const [row, lost] of [
      ['| 行政规范性文件 | 见附件 | 3 | 27 |', 'issued'],
      ['| 行政规范性文件 | 5 | 详见说明 | 27 |', 'repealed'],
      ['| 行政规范性文件 | 5 | 3 | x&y |', 'inForce'],
    ] as const) {
      const rec = await read(row);
      const want = { issued: 5, repealed: 3, inForce: 27 };
      for (const f of ['issued', 'repealed', 'inForce'] as const) expect(rec.values[`proactive.normative.${f}`], `${row} ${f}`).toBe(f === lost ? undefined : want[f]);
      expect(rec.issues.find((i) => i.code === 'unreadable_cells')?.fields, row).toEqual([`proactive.normative.${lost}`]);
      expect(rec.values['proactive.rules.inForce']).toBe(27);
    }
  });

  it('keeps the text of a remark column out of a row that has its count', async () => {
    // Read as a fourth value cell, "见附件" made the row one too long and the last three cells
    // (3, 27, 见附件) its values.
    const md = `# 某市财政局2023年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 | 备注 |\n| --- | --- | --- | --- | --- |\n| 规章 | 4 | 1 | 27 | 无 |\n| 行政规范性文件 | 5 | 3 | 27 | 见附件 |\n`;
    const rec = await extractRecord(Buffer.from(md), { uri: 'x.md' });
    expect(['issued', 'repealed', 'inForce'].map((f) => rec.values[`proactive.normative.${f}`])).toEqual([5, 3, 27]);
    expect(rec.issues.some((i) => i.code === 'unreadable_cells')).toBe(false);
  });

  it('decodes character references and inline math in cells', () => {
    expect(plainMarkdown('&nbsp;')).toBe('');
    expect(plainMarkdown('A&amp;B &#x4E00;')).toBe('A&B 一');
    expect(plainMarkdown('$1{,}234$')).toBe('1,234');
    expect(plainMarkdown('$-$')).toBe('-');
  });

  it('drops footnote references after numbers, which would read as digits', () => {
    expect(plainMarkdown('287<sup>1</sup>')).toBe('287');
    expect(plainMarkdown('287[^2]')).toBe('287');
    for (const cell of ['287①', '287¹', '287*', '２８７※']) expect(parseCell(cell), cell).toMatchObject({ kind: 'number', value: 287 });
    expect(parseCell('减少3①')).toMatchObject({ kind: 'number', value: -3 });
  });

  it('reads cells of marks alone and 不适用/未发生 as blank, leader dots as text', () => {
    for (const cell of ['—/—', '/ /', '--/--', '～～', '不适用', '未发生', '暂无']) expect(parseCell(cell).kind, cell).toBe('blank');
    expect(parseCell('……').kind).toBe('text');
    // a rule of dashes is a text dump's table rule, not a row of blank cells
    expect(parseCell('-------').kind).not.toBe('blank');
  });

  it('keeps front matter and setext underlines out of the text', () => {
    const doc = markdownToDoc('---\ntitle: "2023年度报告"\nauthor: 办公室\n---\n\n**某市财政局2023年政府信息公开工作年度报告**\n=======\n\n一、总体情况\n----\n\n| a | 1 |\n|---|---|\n');
    expect(doc.text.split('\n')).toEqual(['某市财政局2023年政府信息公开工作年度报告', '一、总体情况', 'a\t1']);
  });
});
