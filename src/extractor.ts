/**
 * The extraction core's public entry: bytes in, one record out — always a record, never a throw.
 * A file that cannot be read becomes a `failed` record whose issue says why.
 */
import { type ExtractOptions, extractDocument } from './extract/index.js';
import { ExtractError } from './extract/errors.js';
import { type BuildHints, buildRecord, failedRecord } from './record/build.js';
import { issue } from './record/issues.js';
import { formatForSource, sha256 } from './source.js';
import { sniffFormat } from './extract/sniff.js';
import type { NianbaoRecord, Source } from './validate/schema.js';

export { formatForSource, sha256 } from './source.js';

export interface ExtractRecordInput extends ExtractOptions {
  /** URL or path, recorded as given in source.uri. */
  uri: string;
  fetchedAt?: string;
  /** Agency and year from the listing the report was found on, used when the report lacks them. */
  hints?: BuildHints;
}

export async function extractRecord(bytes: Uint8Array, input: ExtractRecordInput): Promise<NianbaoRecord> {
  // Sniffed once: the source block and the reader both need the format.
  const sniffed = sniffFormat(bytes);
  const source: Source = { uri: input.uri, format: formatForSource(bytes, sniffed), sha256: sha256(bytes) };
  if (input.fetchedAt) source.fetchedAt = input.fetchedAt;
  try {
    const doc = await extractDocument(bytes, input, sniffed);
    source.format = doc.format;
    const record = buildRecord(doc, source, input.hints);
    // Its text and tables hold no report: its pictures may (pasted scans), read only now.
    if (record.status !== 'failed' || record.issues[0]?.code !== 'no_tables' || !doc.pagesAsPictures) return record;
    const pages = await doc.pagesAsPictures();
    return pages ? buildRecord(pages, source, input.hints) : record;
  } catch (err) {
    if (err instanceof ExtractError) return failedRecord(source, [issue(err.code, 'error', err.message)], input.hints);
    const message = err instanceof Error ? err.message : String(err);
    return failedRecord(source, [issue('corrupt', 'error', `Extraction failed: ${message}`)], input.hints);
  }
}
