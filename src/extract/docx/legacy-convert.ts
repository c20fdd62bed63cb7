/**
 * Word 97–2003 (.doc) and WPS (.wps) → DOCX, the way the extractor converts them, either in
 * place or beforehand: the parse pool converts in its calling thread, where conversions asked for
 * together share one LibreOffice run (soffice.ts batches only within one thread), and hands the
 * outcome to the thread as data. Either way the thread meets the same DOCX bytes or the same
 * error, so the record is the same.
 */
import { ExtractError } from '../errors.js';
import { mayBeLegacyWord, sniffFormat } from '../sniff.js';
import { DEFAULT_LIMITS, type ExtractLimits, type ExtractOptions, type LegacyConversion } from '../types.js';
import { convertToDocx } from './soffice.js';

/** Convert as the adapter does: both are OLE2 Word binaries, read by LibreOffice's Word filter when saved as .doc (as .wps it would try Microsoft Works). */
export function convertLegacyWord(bytes: Uint8Array, limits: ExtractLimits): Promise<Buffer> {
  return convertToDocx(bytes, { inputExt: 'doc', timeoutMs: limits.convertTimeoutMs });
}

/**
 * The conversion of `bytes` when extracting them would convert them (a .doc/.wps within the size
 * limit), as data; null for every other file. Never throws: a failure is an outcome.
 */
export async function convertBeforehand(bytes: Uint8Array, opts: ExtractOptions = {}): Promise<LegacyConversion | null> {
  // The pool asks this of every document: most are neither, and a full sniff of each would cost
  // its calling thread, which shares the cores with the parse threads.
  if (!mayBeLegacyWord(bytes)) return null;
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  // The checks extractDocument makes before choosing the adapter: a file it refuses is not converted.
  if (bytes.length > limits.maxBytes) return null;
  const format = sniffFormat(bytes);
  if (format !== 'doc' && format !== 'wps') return null;
  try {
    return { docx: await convertLegacyWord(bytes, limits) };
  } catch (err) {
    if (err instanceof ExtractError) return { error: { code: err.code, message: err.message } };
    return { error: { code: null, message: err instanceof Error ? err.message : String(err) } };
  }
}

/** The DOCX of a conversion done beforehand, or the error converting in place would have thrown. */
export function convertedDocx(c: LegacyConversion): Uint8Array {
  if ('docx' in c) return c.docx;
  throw c.error.code ? new ExtractError(c.error.code, c.error.message) : new Error(c.error.message);
}
