import { ExtractError } from './errors.js';
import type { AdapterContext } from './index.js';
import type { ExtractedDoc } from './grid.js';

export async function extractPdf(_bytes: Uint8Array, _ctx: AdapterContext): Promise<ExtractedDoc> {
  throw new ExtractError('unsupported_format', 'PDF extraction is not available in this build.');
}
