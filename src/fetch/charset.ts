/**
 * A fetched page's text. BOM → HTTP charset → <meta> prescan → strict UTF-8 → GB18030, the order
 * browsers use, with every GB* label read as GB18030 (see extract/decode.ts).
 */
import { type Decoded, charsetFromContentType, decodeText } from '../extract/decode.js';

export function decodeResponse(body: Uint8Array, contentType: string | null | undefined): Decoded {
  return decodeText(body, charsetFromContentType(contentType));
}
