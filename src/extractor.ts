/**
 * The extraction core's public entry: bytes in, one record out — always a record, never a throw.
 * A file that cannot be read becomes a `failed` record whose issue says why.
 */
import { createHash } from 'node:crypto';
import { type ExtractOptions, extractDocument } from './extract/index.js';
import { ExtractError } from './extract/errors.js';
import { sniffFormat } from './extract/sniff.js';
import type { SourceFormat } from './extract/grid.js';
import { type BuildHints, buildRecord, failedRecord } from './record/build.js';
import { issue } from './record/issues.js';
import type { NianbaoRecord, Source } from './validate/schema.js';

export interface ExtractRecordInput extends ExtractOptions {
  /** URL or path, recorded as given in source.uri. */
  uri: string;
  fetchedAt?: string;
  /** Agency and year from the listing the report was found on, used when the report lacks them. */
  hints?: BuildHints;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The format a source block names for these bytes (text when no reader knows them). */
export function formatForSource(bytes: Uint8Array): SourceFormat {
  const f = sniffFormat(bytes);
  return f === 'zip' || f === 'ole2' || f === 'unknown' || f === 'empty' ? 'text' : f;
}

export async function extractRecord(bytes: Uint8Array, input: ExtractRecordInput): Promise<NianbaoRecord> {
  const source: Source = { uri: input.uri, format: formatForSource(bytes), sha256: sha256(bytes) };
  if (input.fetchedAt) source.fetchedAt = input.fetchedAt;
  try {
    const doc = await extractDocument(bytes, input);
    source.format = doc.format;
    return buildRecord(doc, source, input.hints);
  } catch (err) {
    if (err instanceof ExtractError) return failedRecord(source, [issue(err.code, 'error', err.message)], input.hints);
    const message = err instanceof Error ? err.message : String(err);
    return failedRecord(source, [issue('corrupt', 'error', `Extraction failed: ${message}`)], input.hints);
  }
}
