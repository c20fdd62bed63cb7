/** Why a document could not be read. Codes are issue codes, so a failure becomes a failed record. */
import type { IssueCode } from '../validate/schema.js';

export class ExtractError extends Error {
  override readonly name = 'ExtractError';
  constructor(
    readonly code: IssueCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The parsing limits a document can pass: HTML's structure (html/bounds.ts), text's size (text.ts), the pool's time and memory. */
export type ParseLimit = 'maxDepth' | 'maxAttributes' | 'maxElements' | 'maxLineChars' | 'maxLines' | 'timeMs' | 'memoryMb';

/** Thrown when a document is beyond a parsing limit; the issue code is `too_complex`. */
export class TooComplexError extends ExtractError {
  constructor(
    readonly limit: ParseLimit,
    readonly value: number,
    message: string,
  ) {
    super('too_complex', message);
  }
}
