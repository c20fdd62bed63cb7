/**
 * Bytes → string for text dumps and HTML. A BOM wins; then a declared charset (HTTP header);
 * then a <meta> charset found by the WHATWG-style prescan of the first 1024 bytes; then strict
 * UTF-8; then GB18030, the superset of GBK and GB2312 that Chinese government sites use without
 * saying so.
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
  return strictUtf8(b) !== null;
}

/** The text of strict UTF-8 bytes, or null: the check and the decoding are one pass. */
function strictUtf8(b: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return null;
  }
}

function hasNonAscii(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return true;
  return false;
}

export interface Decoded {
  text: string;
  charset: Charset;
  /** How the charset was decided. */
  via: 'bom' | 'declared' | 'meta' | 'utf-8' | 'fallback';
}

/** Only the first 1024 bytes are examined, as browsers do; a later <meta> is too late to count. */
const PRESCAN_BYTES = 1024;

/**
 * The charset a <meta> tag declares within the first 1024 bytes: `<meta charset=…>` or
 * `<meta http-equiv="Content-Type" content="…; charset=…">`. Comments are skipped so a
 * commented-out template tag does not win. Returns the raw label, or null.
 */
export function prescanMetaCharset(b: Uint8Array): string | null {
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.length, PRESCAN_BYTES)).toString('latin1');
  const text = head.replace(/<!--[\s\S]*?(-->|$)/g, ' ');
  for (const m of text.matchAll(/<meta(?=[\s/])([^>]*)>?/gi)) {
    const attrs = parseAttributes(m[1] ?? '');
    const charset = attrs.get('charset');
    if (charset) return charset;
    const equiv = attrs.get('http-equiv');
    const content = attrs.get('content');
    if (equiv?.toLowerCase() === 'content-type' && content) {
      const c = charsetFromContentType(content);
      if (c) return c;
    }
  }
  return null;
}

/** The charset parameter of a Content-Type value (`text/html; charset=GBK` → `GBK`). */
export function charsetFromContentType(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = /charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;,]+))/i.exec(value);
  const label = m?.[1] ?? m?.[2] ?? m?.[3];
  return label ? label.trim() : null;
}

function parseAttributes(s: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of s.matchAll(/([^\s=/"'<>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    const name = m[1]!.toLowerCase();
    if (!out.has(name)) out.set(name, m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

/** WHATWG: a page cannot meaningfully declare UTF-16 in an ASCII-compatible <meta>; it means UTF-8. */
function metaCharset(b: Uint8Array): Charset | null {
  const c = normalizeCharset(prescanMetaCharset(b));
  return c === 'utf-16le' || c === 'utf-16be' ? 'utf-8' : c;
}

/**
 * Decode text whose charset may be declared (HTTP Content-Type charset, or in a <meta> tag) or
 * not at all. `declared` may be a bare label or a whole Content-Type value.
 */
export function decodeText(b: Uint8Array, declared?: string | null): Decoded {
  const bom = bomCharset(b);
  if (bom) return { text: decodeWith(b.subarray(bom.skip), bom.charset), charset: bom.charset, via: 'bom' };
  const d = normalizeCharset(declared && declared.includes('=') ? charsetFromContentType(declared) : declared);
  const strict = strictUtf8(b);
  const utf8 = strict !== null;
  // Declarations lie both ways on old portals: a page declared UTF-8 that is not valid UTF-8, and a
  // UTF-8 page behind a server configured for GBK. Non-ASCII text that decodes as strict UTF-8 is
  // UTF-8 (GBK text of any length almost never does), so the bytes win over either declaration.
  const contradicted = (c: Charset) => (c === 'utf-8' ? !utf8 : utf8 && hasNonAscii(b));
  // Valid UTF-8 decodes to the same text strictly or not: the strict pass's text is reused.
  const decode = (c: Charset) => (c === 'utf-8' && strict !== null ? strict : decodeWith(b, c));
  if (d && !contradicted(d)) return { text: decode(d), charset: d, via: 'declared' };
  const m = metaCharset(b);
  if (m && !contradicted(m)) return { text: decode(m), charset: m, via: 'meta' };
  if (strict !== null) return { text: strict, charset: 'utf-8', via: 'utf-8' };
  return { text: decodeWith(b, 'gb18030'), charset: 'gb18030', via: 'fallback' };
}
