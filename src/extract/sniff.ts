/**
 * Format from the bytes, never from the file name: portals serve PDFs as .doc, Word files as
 * .html, HTML error pages as .pdf.
 */
import type { SourceFormat } from './grid.js';

export type Sniffed = SourceFormat | 'zip' | 'ole2' | 'unknown' | 'empty';

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export type ImageKind = 'jpeg' | 'png';

/** A picture nianbao reads (with OCR, as a scanned page), by its signature. */
export function imageKind(b: Uint8Array): ImageKind | null {
  return startsWith(b, JPEG) ? 'jpeg' : startsWith(b, PNG) ? 'png' : null;
}

function startsWith(b: Uint8Array, sig: number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  return sig.every((v, i) => b[at + i] === v);
}

function indexOfBytes(b: Uint8Array, needle: Buffer, limit: number): number {
  const hay = Buffer.from(b.buffer, b.byteOffset, Math.min(b.length, limit));
  return hay.indexOf(needle);
}

const PDF_HEADER = Buffer.from('%PDF-', 'latin1');
const WORD_DIR = Buffer.from('word/', 'latin1');
const CONTENT_TYPES = Buffer.from('[Content_Types].xml', 'latin1');

const HTML_RE = /<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<meta[\s>]|<table[\s>]|<div[\s>]|<p[\s>]/;

/** Tags only a web page has: a converter's Markdown holds HTML tables, never these. */
const PAGE_TAG_RE = /<!doctype|<head[\s>]|<meta[\s>]|<title[\s>]|<script[\s>]|<style[\s>]|<link[\s>]|<div[\s>]|<p[\s>]/;
/** Markdown's own marks at a line start: a heading, a pipe row, front matter, a setext underline. */
const MD_MARK_RE = /^(?:#{1,6}[ \t]|\|.*\||---[ \t\r]*$|=+[ \t\r]*$)/m;

/**
 * Markdown from PDF converters and OCR/LLM pipelines (MinerU, marker, docling) writes complex
 * tables as HTML <table> blocks, some wrapped in <html><body>: it opens with a heading or front
 * matter, or has Markdown marks and none of a web page's tags.
 */
function isMarkdownWithHtml(head: string): boolean {
  const first = /^\s*(\S[^\n]*)/.exec(head.replace(/^\xef\xbb\xbf/, ''))?.[1] ?? '';
  if (/^(?:#{1,6}[ \t]|---[ \t\r]*$)/.test(first)) return true;
  return !PAGE_TAG_RE.test(head) && MD_MARK_RE.test(head);
}

/**
 * Whether sniffFormat calls the bytes a PDF, without the rest of its work: the parse pool asks it
 * of every document it hands a thread (to give PDFs PDFium's wasm).
 */
export function isPdf(b: Uint8Array): boolean {
  // A PDF may have junk (a BOM, an HTTP preamble) before its header; the spec allows 1024 bytes.
  return indexOfBytes(b, PDF_HEADER, 1024) >= 0;
}

/**
 * An OLE2 compound file that is not a PDF: the only bytes sniffFormat may call 'doc' or 'wps', so
 * a caller that only wants those (legacy-convert.ts) can skip the full sniff of every other file.
 */
export function mayBeLegacyWord(b: Uint8Array): boolean {
  return startsWith(b, OLE2) && !isPdf(b);
}

/** Detect the container format. OOXML and OLE2 are refined by looking inside. */
export function sniffFormat(b: Uint8Array): Sniffed {
  if (b.length === 0) return 'empty';
  if (isPdf(b)) return 'pdf';
  if (startsWith(b, OLE2)) return sniffOle2(b);
  if (imageKind(b)) return 'image';
  if (startsWith(b, ZIP)) {
    if (indexOfBytes(b, WORD_DIR, 64 * 1024) >= 0 || indexOfBytes(b, CONTENT_TYPES, 64 * 1024) >= 0) return 'docx';
    return 'zip';
  }
  // UTF-16 text or HTML announces itself with a BOM.
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
    const utf16 = new TextDecoder(b[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(b.subarray(2, Math.min(b.length, 8192)));
    return HTML_RE.test(utf16.toLowerCase()) ? 'html' : 'text';
  }
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.length, 4096)).toString('latin1').toLowerCase();
  if (HTML_RE.test(head)) return isMarkdownWithHtml(head) ? 'markdown' : 'html';
  if (head.startsWith('{\\rtf')) return 'unknown';
  return looksLikeText(b) ? 'text' : 'unknown';
}

/** Word 97-2003 (.doc) and WPS Office (.wps) are both OLE2 compound files. */
function sniffOle2(b: Uint8Array): Sniffed {
  const windows = ole2Windows(b);
  const has = (needle: Buffer) => windows.some((w) => w.indexOf(needle) >= 0);
  const utf16 = (s: string) => Buffer.from(s, 'utf16le');
  if (has(utf16('WordDocument'))) {
    // WPS writes a WordDocument stream too; its own markers tell it apart.
    const markers = ['WPS Office', 'Kingsoft', 'KSOProductBuildVer'];
    if (markers.some((m) => has(Buffer.from(m, 'latin1')) || has(utf16(m)))) return 'wps';
    return 'doc';
  }
  if (has(utf16('WpsContent')) || has(utf16('WPS'))) return 'wps';
  return 'ole2';
}

const OLE2_WINDOW = 512 * 1024;

/**
 * Where an OLE2 file's stream names and property sets are: its first 512 KB, its directory's first
 * sector (the header says where) and its last 512 KB. A writer may put the directory after the
 * streams: a .doc of pasted scans has it a megabyte in.
 */
function ole2Windows(b: Uint8Array): Buffer[] {
  const all = Buffer.from(b.buffer, b.byteOffset, b.length);
  const windows = [all.subarray(0, OLE2_WINDOW)];
  if (b.length <= OLE2_WINDOW) return windows;
  const shift = all.readUInt16LE(0x1e);
  const dir = all.readUInt32LE(0x30);
  if (shift >= 9 && shift <= 12 && dir < 0xfffffffa) {
    const at = (dir + 1) * 2 ** shift;
    if (at < b.length) windows.push(all.subarray(at, at + 64 * 1024));
  }
  windows.push(all.subarray(Math.max(OLE2_WINDOW, b.length - OLE2_WINDOW)));
  return windows;
}

/** Text if it decodes without control bytes other than tab/CR/LF/FF. */
function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 8192);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0) return false;
    if (c < 0x09 || (c > 0x0d && c < 0x20 && c !== 0x1b)) bad++;
  }
  return bad / n < 0.01;
}
