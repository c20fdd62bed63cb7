/**
 * A record's source block from the bytes alone: the hash and the sniffed format. Kept apart from
 * extractor.ts so that the CLI and the parse pool, which make source blocks for files they never
 * parse themselves, do not load the extraction core (its parsers, matcher and tables).
 */
import { createHash } from 'node:crypto';
import type { SourceFormat } from './extract/grid.js';
import { type Sniffed, sniffFormat } from './extract/sniff.js';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The format a source block names for these bytes (text when no reader knows them). */
export function formatForSource(bytes: Uint8Array, f: Sniffed = sniffFormat(bytes)): SourceFormat {
  return f === 'zip' || f === 'ole2' || f === 'unknown' || f === 'empty' ? 'text' : f;
}
