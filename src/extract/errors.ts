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
