/**
 * Generated reports written as DOCX by the `docx` package with the Word features a real report
 * may carry, one set per seed: headings (by style id and by a custom style's name), bold,
 * italic, struck, raised and lowered runs, "Strong" runs, tabs, line and page breaks, external
 * and internal links, bookmarks, images (with alt text), repeated header rows, gridSpan and
 * vMerge merges, a table nested in a cell, empty paragraphs, numbered and bulleted lists nested
 * three deep. The `fallback` variants add what the direct reader leaves to mammoth (a footnote).
 */
import { load } from 'cheerio';
import {
  AlignmentType, Bookmark, Document, ExternalHyperlink, FootnoteReferenceRun, HeadingLevel, ImageRun, InternalHyperlink,
  LevelFormat, Packer, PageBreak, Paragraph, Tab, Table, TableCell, TableRow, TextRun, WidthType,
} from 'docx';
import { generateReport } from '../fixtures/report.js';
import { renderHtml } from '../fixtures/render-html.js';

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

export interface WordVariant {
  name: string;
  bytes: Buffer;
  /** True when the document holds something the direct reader leaves to mammoth. */
  fallback: boolean;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function runs(text: string, r: () => number): (TextRun | ExternalHyperlink | InternalHyperlink | Bookmark)[] {
  const k = Math.floor(r() * 10);
  const mid = Math.max(1, Math.floor(text.length / 2));
  const [a, b] = [text.slice(0, mid), text.slice(mid)];
  switch (k) {
    case 0:
      return [new TextRun({ text: a, bold: true }), new TextRun({ text: b, bold: true })];
    case 1:
      return [new TextRun({ text: a, italics: true, bold: true }), new TextRun({ text: b, strike: true })];
    case 2:
      return [new TextRun(a), new TextRun({ children: [new Tab(), b] })];
    case 3:
      return [new TextRun({ text: a, superScript: true }), new TextRun({ text: b, subScript: true })];
    case 4:
      return [new ExternalHyperlink({ link: `https://example.gov.cn/a?x=1&y="${k}"`, children: [new TextRun({ text: a, style: 'Hyperlink' })] }), new TextRun(b)];
    case 5:
      return [new Bookmark({ id: `bm${mid}`, children: [new TextRun(a)] }), new InternalHyperlink({ anchor: `bm${mid}`, children: [new TextRun(b)] })];
    case 6:
      return [new TextRun({ text: a, style: 'Strong' }), new TextRun({ text: b, break: 1 })];
    case 7:
      return [new TextRun({ text: `${a}<&>`, underline: {} }), new TextRun({ text: b, allCaps: true, smallCaps: true, highlight: 'yellow' })];
    default:
      return [new TextRun(text)];
  }
}

function cellParagraphs(td: Parameters<ReturnType<typeof load>>[0], $: ReturnType<typeof load>, r: () => number): Paragraph[] {
  const lines = ($(td).html() ?? '').split(/<br\s*\/?>/i).map((l) => load(l).text());
  if (r() < 0.1) return [new Paragraph(''), new Paragraph({ children: runs(lines.join(''), r) })];
  return [new Paragraph({ children: lines.flatMap((l, i) => (i ? [new TextRun({ text: l, break: 1 })] : runs(l, r))) })];
}

/** One report as a DOCX with features picked by `seed`. */
export async function wordVariant(seed: number, opts: { fallback?: boolean } = {}): Promise<WordVariant> {
  const r = rng(seed);
  const rep = generateReport(seed, { template: seed % 2 ? '2021' : '2019', otherAggregated: false, blankZeros: 0.2 });
  const $ = load(renderHtml(rep, { verticalLabels: seed % 3 === 0 }));
  const children: (Paragraph | Table)[] = [];
  let tableNo = 0;
  $('body').children().each((_, el) => {
    const $el = $(el);
    if (el.name === 'h1') {
      const heading = seed % 3 === 0 ? { style: 'ReportTitle' } : { heading: HeadingLevel.HEADING_1 };
      children.push(new Paragraph({ ...heading, alignment: AlignmentType.CENTER, children: runs($el.text(), r) }));
      if (seed % 4 === 1) children.push(new Paragraph({ children: [new ImageRun({ type: 'png', data: PNG, transformation: { width: 20, height: 20 }, altText: { name: 'seal', description: seed % 8 === 1 ? '' : '公章', title: '印章' } })] }));
    } else if (el.name === 'p') {
      const text = $el.text();
      if (!text.trim()) children.push(new Paragraph(''));
      else if (opts.fallback && tableNo === 0 && children.length === 2) {
        children.push(new Paragraph({ children: [new TextRun(text), new FootnoteReferenceRun(1)] }));
      } else if (seed % 3 !== 2 && tableNo === 0 && children.length === 2) {
        // Numbered and bulleted items, nested three deep, then back out.
        for (const [i, level] of [0, 1, 2, 1, 0].entries()) {
          children.push(new Paragraph({ children: runs(`${text.slice(0, 6)}${i}`, r), numbering: { reference: i % 2 && seed % 2 ? 'bullets' : 'list', level } }));
        }
      } else children.push(new Paragraph({ heading: r() < 0.2 ? HeadingLevel.HEADING_2 : undefined, children: runs(text, r) }));
      if (r() < 0.15) children.push(new Paragraph({ children: [new PageBreak()] }));
    } else if (el.name === 'table') {
      tableNo++;
      const rows = $el.find('tr').toArray().map((tr, i) =>
        new TableRow({
          ...(i === 0 && seed % 2 === 0 ? { tableHeader: true } : {}),
          children: $(tr).children('td').toArray().map((td) => {
            const colspan = Math.floor(Number($(td).attr('colspan') ?? 1));
            const paras: (Paragraph | Table)[] = cellParagraphs(td, $, r);
            if (seed % 5 === 0 && i === 1 && tableNo === 1) {
              paras.push(new Table({ rows: [new TableRow({ children: [new TableCell({ children: [new Paragraph('注')] }), new TableCell({ children: [new Paragraph('内')] })] })] }), new Paragraph(''));
            }
            return new TableCell({ columnSpan: colspan, rowSpan: Number($(td).attr('rowspan') ?? 1), children: paras });
          }),
        }));
      children.push(new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } }));
    }
  });
  const doc = new Document({
    styles: { paragraphStyles: [{ id: 'ReportTitle', name: 'heading 1', basedOn: 'Normal', run: { size: 32 } }] },
    numbering: {
      config: [
        { reference: 'list', levels: [0, 1, 2].map((level) => ({ level, format: LevelFormat.DECIMAL, text: `%${level + 1}.`, alignment: AlignmentType.START })) },
        { reference: 'bullets', levels: [0, 1, 2].map((level) => ({ level, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.START })) },
      ],
    },
    ...(opts.fallback ? { footnotes: { 1: { children: [new Paragraph('数据来源：统计报表')] } } } : {}),
    sections: [{ children }],
  });
  return { name: `variant-${seed}${opts.fallback ? '-fallback' : ''}`, bytes: await Packer.toBuffer(doc), fallback: !!opts.fallback };
}
