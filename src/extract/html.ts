/**
 * HTML → ExtractedDoc. Bytes are decoded (BOM, HTTP charset, <meta> prescan, UTF-8, GB18030),
 * parsed by cheerio (parse5, as browsers parse, so unclosed cells and stray rows land where a
 * browser puts them), and each data table becomes an exact grid with its spans laid out.
 * DOCX reaches this adapter too, as mammoth's HTML.
 */
import { type CheerioAPI, load } from 'cheerio/slim';
import { parse } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';
import type { ExtractedDoc, SourceFormat, Table } from './grid.js';
import type { AdapterContext } from './types.js';
import { decodeText } from './decode.js';
import { articleRoot, pickTitle, readableText, titleCandidates } from './html/article.js';
import { type ChromeTest, chromeTest, inChrome, measureText } from './html/chrome.js';
import { boundsMeter } from './html/bounds.js';
import { type AnyNode, type Element, pageElements, unlinkTree } from './html/dom.js';
import { type HiddenTest, hiddenTest } from './html/hidden.js';
import { pickTables } from './html/pick-tables.js';
import { strictDom } from './html/strict-dom.js';
import { publishedInHtml, titleInHtml } from './html/published.js';
import { tableToGrid } from './html/table-grid.js';

/** The smallest official table (review) has 4 rows. */
const MIN_REPORT_TABLE_ROWS = 4;

export interface HtmlToDocOptions {
  format?: SourceFormat;
  /** Route name for diagnostics ("html:cheerio", "docx:mammoth"). */
  method?: string;
  /** The HTML is mammoth's: its rowspans are Word merges and may cross <thead> into <tbody>. */
  fromWord?: boolean;
}

/** Parse an HTML string into tables and readable text. Pure. */
export function htmlToDoc(html: string, opts: HtmlToDocOptions = {}): ExtractedDoc {
  // One htmlparser2 pass measures the page against the bounds (throwing TooComplexError before
  // parse5 meets a hostile page) and, for a page written plainly, builds parse5's tree itself.
  // Else parse5 into cheerio's tree, as cheerio's own load does; cheerio's main entry would also
  // load its URL and stream loaders (undici), a third of a one-file extract's start-up.
  const plain = strictDom(html, boundsMeter());
  const $ = load(plain ?? parse(html, { treeAdapter: adapter, scriptingEnabled: true }));
  const root = $.root()[0]!;
  try {
    return readPage($, root, opts);
  } finally {
    unlinkTree(root);
  }
}

function readPage($: CheerioAPI, root: AnyNode, opts: HtmlToDocOptions): ExtractedDoc {
  // parse5 always makes a <body>, except for frameset pages, which hold no report.
  const page = pageElements(root);
  const body = page.body;
  const format = opts.format ?? 'html';
  const method = opts.method ?? 'html:cheerio';
  if (!body) return { format, text: '', tables: [], method };
  const hidden = hiddenTest($, page);
  const stats = measureText(body, hidden);
  const ctx = { hidden, stats, chrome: chromeTest(stats) };
  // Loops: a closure made per call is compiled again and again.
  const gridOpts = { hidden, spansCrossRowGroups: opts.fromWord ?? false };
  const picked = pickTables(body, ctx);
  const tables: Table[] = [];
  // The article is where the report's big tables are: a small table in a side panel must not
  // widen it to the whole page.
  const big: Element[] = [];
  for (const el of picked) {
    const table = tableToGrid(el, gridOpts);
    if (table.rows.length > 0) tables.push(table);
    if (table.rows.length >= MIN_REPORT_TABLE_ROWS) big.push(el);
  }
  const article = articleRoot(body, big.length ? big : picked, ctx);
  const text = readableText(pickTitle(titleCandidates($, ctx, page)), article, ctx);
  const doc: ExtractedDoc = { format, text, tables, method, published: publishedInHtml($, page), title: titleInHtml($, page) };
  // Only a page without a report table is searched for pictures: its record then says what it shows.
  if (!big.length) {
    const pictures = pagePictures($, article, ctx);
    if (pictures) doc.pictures = pictures;
  }
  return doc;
}

/** Content pictures (JPEG, PNG) of the article: a report posted as photographs of its pages. */
const PICTURE_SRC = /\.(?:jpe?g|png)(?:[?#]|$)/i;
/** Smaller than this (by its width or height attribute) is an icon, a logo or a QR code. */
const MIN_PICTURE_PX = 300;
/** Site furniture by its name, source or alt text: a QR code to open the page on a phone, logos, banners. */
const FURNITURE = /qr|ewm|erweima|logo|icon|banner|二维码|扫一扫|扫码|微信|微博|分享|打印|关闭/i;

function pagePictures($: CheerioAPI, article: Element, ctx: { hidden: HiddenTest; chrome: ChromeTest }): number {
  let n = 0;
  $(article).find('img').each((_, el) => {
    const src = el.attribs.src ?? el.attribs['data-src'] ?? '';
    const size = [el.attribs.width, el.attribs.height].map((v) => Number.parseInt(v ?? '', 10)).filter((v) => v > 0);
    const names = `${src} ${el.attribs.alt ?? ''} ${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`;
    if (!PICTURE_SRC.test(src) || size.some((v) => v < MIN_PICTURE_PX) || FURNITURE.test(names)) return;
    if (!ctx.hidden.hides(el) && !inChrome(el, ctx.chrome)) n++;
  });
  return n;
}

export async function extractHtml(bytes: Uint8Array, ctx: AdapterContext): Promise<ExtractedDoc> {
  const decoded = decodeText(bytes, ctx.charset);
  return htmlToDoc(decoded.text, { method: `html:cheerio(${decoded.charset} by ${decoded.via})` });
}
