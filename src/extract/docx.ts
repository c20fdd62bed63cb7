import { ExtractError } from './errors.js';
import type { AdapterContext } from './index.js';
import type { ExtractedDoc } from './grid.js';

export async function extractDocx(_bytes: Uint8Array, _ctx: AdapterContext): Promise<ExtractedDoc> {
  throw new ExtractError('unsupported_format', 'DOCX extraction is not available in this build.');
}

export async function extractLegacyWord(_bytes: Uint8Array, _ctx: AdapterContext): Promise<ExtractedDoc> {
  throw new ExtractError('converter_missing', 'Legacy Word/WPS extraction is not available in this build.');
}
