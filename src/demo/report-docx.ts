/**
 * A report as a Word (.docx) file, the way an agency attaches it: the heading, the prose and the
 * three official tables with Word's own merges (gridSpan across, vMerge down) — the same layout
 * as the HTML pages (report-html.ts), written by the `docx` package. Used only to build the
 * sample portal (a devDependency: `nianbao demo` serves the committed file).
 */
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { type LayoutCell, type ReportContent, TABLE_HEADINGS, isSectionHeading, reportTables } from './report-html.js';

function cell(c: LayoutCell): TableCell {
  const lines = c.text.split('\n');
  return new TableCell({
    ...(c.cs && c.cs > 1 ? { columnSpan: c.cs } : {}),
    ...(c.rs && c.rs > 1 ? { rowSpan: c.rs } : {}),
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: lines.map((l, i) => new TextRun({ text: l, break: i ? 1 : 0 })) })],
  });
}

function table(rows: LayoutCell[][]): Table {
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: rows.map((r) => new TableRow({ children: r.map(cell) })) });
}

function para(text: string, bold = false): Paragraph {
  return new Paragraph({ children: [new TextRun({ text, bold })] });
}

export async function renderReportDocx(r: ReportContent): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, children: r.heading.map((h, i) => new TextRun({ text: h, bold: true, size: 36, break: i ? 1 : 0 })) }),
    ...r.intro.map((p) => para(p, isSectionHeading(p))),
  ];
  reportTables(r).forEach((rows, i) => {
    children.push(para(TABLE_HEADINGS[i]!, true), table(rows));
  });
  children.push(...r.closing.map((p) => para(p, isSectionHeading(p))));
  return Packer.toBuffer(new Document({ creator: 'nianbao sample portal', sections: [{ children }] }));
}
