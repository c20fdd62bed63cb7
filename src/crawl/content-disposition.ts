/**
 * The file name a download announces. Chinese servers send it every way: RFC 5987
 * (filename*=UTF-8''%E6%B7%AE…), percent-encoded UTF-8 or GBK in a plain filename, or raw
 * UTF-8/GBK bytes that arrive as Latin-1 characters.
 */
import { decodeText } from '../extract/decode.js';

function bytesToText(bytes: Uint8Array): string {
  return decodeText(bytes).text;
}

function percentDecode(s: string): string {
  if (!/%[0-9a-f]{2}/i.test(s)) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const m = s[i] === '%' ? /^[0-9a-f]{2}$/i.exec(s.slice(i + 1, i + 3)) : null;
    if (m) {
      bytes.push(parseInt(m[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i]!, 'utf8'));
  }
  return bytesToText(Uint8Array.from(bytes));
}

export function filenameFromContentDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star) return percentDecode(star[2]!.trim().replace(/^"|"$/g, ''));
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(header);
  const raw = (plain?.[1] ?? plain?.[2])?.trim();
  if (!raw) return null;
  // Characters 0x80–0xFF only: bytes of UTF-8 or GBK read as Latin-1 by the HTTP parser.
  if (/[\u0080-\u00ff]/.test(raw) && !/[\u0100-\uffff]/.test(raw)) return bytesToText(Buffer.from(raw, 'latin1'));
  return percentDecode(raw);
}
