/**
 * Bytes → ExtractedDoc: sniff the format from the content and hand the bytes to its adapter.
 * Adapters are loaded on first use so that reading a text dump never loads pdf.js.
 */
import type { ExtractedDoc, SourceFormat } from './grid.js';
import { type Adapter, DEFAULT_LIMITS, type ExtractOptions } from './types.js';
import { ExtractError } from './errors.js';
import { decodeText } from './decode.js';
import { type Sniffed, sniffFormat } from './sniff.js';
import { textToDoc } from './text.js';
import { extractMarkdown, looksLikeMarkdown } from './markdown.js';

export { type Adapter, type AdapterContext, type ExtractLimits, type ExtractOptions, type LegacyConversion, DEFAULT_LIMITS } from './types.js';

const adapters: Record<Exclude<SourceFormat, 'text' | 'markdown'>, () => Promise<Adapter>> = {
  html: async () => (await import('./html.js')).extractHtml,
  docx: async () => (await import('./docx.js')).extractDocx,
  doc: async () => (await import('./docx.js')).extractLegacyWord,
  wps: async () => (await import('./docx.js')).extractLegacyWord,
  pdf: async () => (await import('./pdf.js')).extractPdf,
  image: async () => (await import('./picture.js')).extractPicture,
};

/** The format nianbao will treat the bytes as, or an ExtractError saying why it cannot. */
export function detectFormat(bytes: Uint8Array, f: Sniffed = sniffFormat(bytes)): SourceFormat {
  if (f === 'empty') throw new ExtractError('empty_file', 'The file is empty.');
  if (f === 'zip') throw new ExtractError('unsupported_format', 'A ZIP archive that is not a Word (.docx) document.');
  if (f === 'ole2') throw new ExtractError('unsupported_format', 'An OLE2 compound file that is neither Word (.doc) nor WPS (.wps) — perhaps Excel or PowerPoint.');
  if (f === 'unknown') throw new ExtractError('unsupported_format', 'Not a PDF, Word, WPS, HTML, text or picture (JPEG, PNG) document.');
  return f;
}

/** `sniffed`: sniffFormat(bytes), when the caller has it already (extractRecord does). */
export async function extractDocument(bytes: Uint8Array, opts: ExtractOptions = {}, sniffed?: Sniffed): Promise<ExtractedDoc> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  if (bytes.length > limits.maxBytes) {
    throw new ExtractError('too_large', `The file is ${bytes.length} bytes; the limit is ${limits.maxBytes}.`);
  }
  const format = detectFormat(bytes, sniffed);
  if (format === 'text') {
    // Markdown is text too; its pipe tables, not its file name, say so.
    const text = decodeText(bytes, opts.charset).text;
    return looksLikeMarkdown(text) ? extractMarkdown(text) : textToDoc(text);
  }
  if (format === 'markdown') return extractMarkdown(decodeText(bytes, opts.charset).text);
  const adapter = await adapters[format]();
  return adapter(bytes, { limits, charset: opts.charset ?? null, ...(opts.converted ? { converted: opts.converted } : {}) });
}
