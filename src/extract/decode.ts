/**
 * Bytes → string for text dumps and HTML. A BOM wins; then a declared charset (HTTP header or
 * <meta>); then strict UTF-8; then GB18030, the superset of GBK and GB2312 that Chinese
 * government sites use without saying so.
 */

export type Charset = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5' | 'windows-1252';

/** Map a declared label to the decoder we trust for it. Every GB* label decodes as GB18030. */
export function normalizeCharset(label: string | null | undefined): Charset | null {
  if (!label) return null;
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (/^(utf-?8|unicode-1-1-utf-8)$/.test(l)) return 'utf-8';
  if (/^(gb2312|gbk|gb18030|gb_2312-80|x-gbk|cp936|windows-936|euc-cn|csgb2312|chinese|iso-ir-58)$/.test(l)) return 'gb18030';
  if (/^(big5|big5-hkscs|cp950|x-x-big5)$/.test(l)) return 'big5';
  if (/^(utf-?16le|utf-?16)$/.test(l)) return 'utf-16le';
  if (/^utf-?16be$/.test(l)) return 'utf-16be';
  if (/^(iso-8859-1|latin1|us-ascii|ascii|windows-1252)$/.test(l)) return 'windows-1252';
  return null;
}

export function bomCharset(b: Uint8Array): { charset: Charset; skip: number } | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { charset: 'utf-8', skip: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { charset: 'utf-16le', skip: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { charset: 'utf-16be', skip: 2 };
  return null;
}

export function decodeWith(b: Uint8Array, charset: Charset): string {
  return new TextDecoder(charset).decode(b);
}

export function isValidUtf8(b: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

export interface Decoded {
  text: string;
  charset: Charset;
  /** How the charset was decided. */
  via: 'bom' | 'declared' | 'utf-8' | 'fallback';
}

/** Decode text whose charset may be declared (HTTP Content-Type, <meta>) or not at all. */
export function decodeText(b: Uint8Array, declared?: string | null): Decoded {
  const bom = bomCharset(b);
  if (bom) return { text: decodeWith(b.subarray(bom.skip), bom.charset), charset: bom.charset, via: 'bom' };
  const d = normalizeCharset(declared);
  // A page declared UTF-8 that is not valid UTF-8 is common on old portals: trust the bytes.
  if (d && !(d === 'utf-8' && !isValidUtf8(b))) return { text: decodeWith(b, d), charset: d, via: 'declared' };
  if (isValidUtf8(b)) return { text: decodeWith(b, 'utf-8'), charset: 'utf-8', via: 'utf-8' };
  return { text: decodeWith(b, 'gb18030'), charset: 'gb18030', via: 'fallback' };
}
