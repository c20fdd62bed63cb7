/**
 * The intermediate form every format adapter produces: tables as grids of cells, plus the
 * document's reading-order text. The template matcher only ever sees this.
 */

export type SourceFormat = 'html' | 'pdf' | 'docx' | 'doc' | 'wps' | 'text' | 'markdown' | 'image';

export interface Cell {
  /** Text as found (may hold line breaks); blank cells have '' or only blank characters. */
  text: string;
  /** Position of the cell's top-left slot in the grid, 0-based. */
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  /** PDFs: 1-based page number and [x0, y0, x1, y1] in PDF points, origin bottom-left. */
  page?: number;
  bbox?: [number, number, number, number];
  /** A blank cell not present in the source text, placed by column alignment (pdftotext -layout). */
  inferred?: boolean;
  /**
   * Flattened dumps: the cell's digits from this index on were written with thousands separators
   * (GROUP_TAG), so the number they end starts 1 to 3 digits before it and no cell starts inside.
   */
  grouped?: number;
  /** Read by OCR: the lowest confidence (0–100) of its words; 0 when the reads of its number disagree. */
  confidence?: number;
}

export interface Table {
  /** Rows of cells in reading order. Each cell appears once, in the row where it starts. */
  rows: Cell[][];
  /**
   * True when cell boundaries and columns are real (HTML, DOCX, a ruled PDF table): a blank cell
   * is a cell, and the last N cells of a row are its N value cells. False for text dumps.
   */
  exact: boolean;
  /**
   * True when the text was split on white space (pdftotext output), so a blank cell left no
   * trace at all and its position must be recovered from the identities.
   */
  blanksVanish: boolean;
  /**
   * A flattened dump: a label's values are exactly the digits that follow it. The matcher then
   * reads each row from its own label only, never from the label text around it.
   */
  flattened?: boolean;
  /**
   * A flattened dump that writes its blank cells with a mark ("—", "-", "/"): no blank vanished,
   * and a run of marks ("———") is one blank cell or more, up to one per character.
   */
  blanksMarked?: boolean;
  /** First page the table is on (PDF). */
  page?: number;
}

export interface ExtractedDoc {
  format: SourceFormat;
  /** Reading-order text of the whole document (title, prose, tables). */
  text: string;
  tables: Table[];
  pages?: number;
  /** Which route produced the grid ("text:tab-rows", "pdf:ruled", …), for diagnostics. */
  method: string;
  /** Parts of the document left unread (page limit, damaged pages), said on the record. */
  unread?: string[];
  /** What the document says about itself (an HTML page's <meta> tags or 发布日期 line): YYYY-MM-DD. */
  published?: string | null;
  /** Its title as its metadata gives it (<meta name="ArticleTitle">). */
  title?: string | null;
  /** An HTML page without a report table: the content pictures (JPEG, PNG) it shows. */
  pictures?: number;
  /**
   * The document read again from the page pictures it holds (a Word file of pasted scans), or null
   * when it holds none: asked only when its own text and tables hold no official table.
   */
  pagesAsPictures?: () => Promise<ExtractedDoc | null>;
  /** Pages read by OCR (a scan), with the mean confidence of their words. */
  ocr?: { pages: number[]; meanConfidence: number };
}

export function cell(text: string, row: number, col: number, extra: Partial<Cell> = {}): Cell {
  return { text, row, col, rowSpan: 1, colSpan: 1, ...extra };
}
