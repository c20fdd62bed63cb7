/**
 * Word documents → ExtractedDoc. DOCX: checked for zip and entity bombs, turned into HTML, then
 * read by the HTML adapter, so Word's merged cells become the same grid spans as a web page's.
 * The HTML is mammoth's: written straight from `word/document.xml` when the document holds
 * only what that reader knows (word-read.ts), else by mammoth itself. Word 97–2003 (.doc) and
 * WPS (.wps): converted to DOCX by LibreOffice first.
 */
import type { ExtractedDoc } from './grid.js';
import type { AdapterContext } from './types.js';
import { htmlToDoc } from './html.js';
import { sniffFormat } from './sniff.js';
import { type DocxParts, guardDocx } from './docx/zip-guard.js';
import { readWordBody } from './docx/word-read.js';
import { wordPictures } from './docx/word-pictures.js';
import { wordToHtml } from './docx/word-html.js';
import { convertLegacyWord, convertedDocx } from './docx/legacy-convert.js';

/** mammoth's HTML written by the direct reader, or null when the document is left to mammoth. */
function directHtml(parts: DocxParts): string | null {
  try {
    const body = readWordBody(parts);
    return body && wordToHtml(body);
  } catch (err) {
    // Nesting deep enough to exhaust the stack: mammoth meets the same document and says what it is.
    if (err instanceof RangeError) return null;
    throw err;
  }
}

export async function extractDocx(bytes: Uint8Array, ctx: AdapterContext): Promise<ExtractedDoc> {
  const parts = guardDocx(bytes, ctx.limits.maxUnpackedBytes);
  const html = directHtml(parts);
  const doc = html !== null ? htmlToDoc(html, { format: 'docx', method: 'docx:xml', fromWord: true }) : await extractWithMammoth(bytes);
  doc.pagesAsPictures = () => pagesAsPictures(bytes, parts, doc, ctx);
  return doc;
}

/**
 * The document read again from the page-sized pictures its body shows — scanned pages pasted into
 * Word — with OCR (picture.ts), as its pages; its own text (a title, a covering note) is kept
 * before theirs for the agency and year. Null when it shows none.
 */
async function pagesAsPictures(bytes: Uint8Array, parts: DocxParts, doc: ExtractedDoc, ctx: AdapterContext): Promise<ExtractedDoc | null> {
  const pictures = wordPictures(bytes, parts, ctx.limits.maxUnpackedBytes);
  if (!pictures.length) return null;
  const { readPictures } = await import('./picture.js');
  const read = await readPictures(pictures, ctx);
  return { ...read, format: 'docx', text: `${doc.text}\n${read.text}`, method: `${doc.method}; ${pictures.length} page picture${pictures.length > 1 ? 's' : ''}; ${read.method}`, title: doc.title ?? null, published: doc.published ?? null };
}

async function extractWithMammoth(bytes: Uint8Array): Promise<ExtractedDoc> {
  // Loaded only when a document needs it: mammoth and its XML stack are most of a DOCX's start-up.
  const { docxToHtml } = await import('./docx/mammoth-html.js');
  const html = await docxToHtml(bytes);
  return htmlToDoc(html, { format: 'docx', method: 'docx:mammoth', fromWord: true });
}

export async function extractLegacyWord(bytes: Uint8Array, ctx: AdapterContext): Promise<ExtractedDoc> {
  const format = sniffFormat(bytes) === 'wps' ? 'wps' : 'doc';
  const docx = ctx.converted ? convertedDocx(ctx.converted) : await convertLegacyWord(bytes, ctx.limits);
  const doc = await extractDocx(docx, ctx);
  return { ...doc, format, method: `${format}:libreoffice+${doc.method.replace(/^docx:/, '')}` };
}
