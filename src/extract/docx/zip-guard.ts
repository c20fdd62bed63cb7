/**
 * A DOCX is a ZIP of XML parts, and mammoth inflates the parts it reads without a limit. Before
 * it may, the archive is checked here: the sizes its central directory declares must fit the
 * limit, and every XML part is inflated once with a hard output cap (a part whose deflate
 * stream outgrows its declared size is a bomb, whatever the directory says) and must not carry
 * a DOCTYPE — Office Open XML forbids DTDs (ECMA-376 Part 2, §8.1.4), so a part declaring
 * entities is an attack on the XML parser, not a document.
 *
 * The central directory is read here rather than through JSZip: JSZip keeps declared sizes
 * private and inflates without a cap, and only these few fields are needed.
 */
import { inflateRawSync } from 'node:zlib';
import { ExtractError } from '../errors.js';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_EOCD_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;

const corrupt = (why: string) => new ExtractError('corrupt', `The Word (.docx) file is damaged: ${why}.`);

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function findEocd(b: Uint8Array, dv: DataView): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (dv.getUint32(i, true) === EOCD) return i;
  }
  throw corrupt('no ZIP end-of-central-directory record');
}

/** The entries of a ZIP's central directory (ZIP64 included). */
export function zipEntries(b: Uint8Array): ZipEntry[] {
  if (b.length < 22) throw corrupt('too short to be a ZIP archive');
  const dv = view(b);
  const eocd = findEocd(b, dv);
  let count = dv.getUint16(eocd + 10, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if (cdOffset === U32_MAX || count === 0xffff) {
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== ZIP64_EOCD_LOCATOR) throw corrupt('a ZIP64 archive without its locator');
    const rec = Number(dv.getBigUint64(loc + 8, true));
    if (rec + 56 > b.length || dv.getUint32(rec, true) !== ZIP64_EOCD) throw corrupt('a broken ZIP64 directory record');
    count = Number(dv.getBigUint64(rec + 32, true));
    cdOffset = Number(dv.getBigUint64(rec + 48, true));
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > b.length || dv.getUint32(p, true) !== CENTRAL) throw corrupt('a broken central directory');
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    const entry: ZipEntry = {
      name: Buffer.from(b.buffer, b.byteOffset + p + 46, nameLen).toString('utf8'),
      method: dv.getUint16(p + 10, true),
      compressedSize: dv.getUint32(p + 20, true),
      uncompressedSize: dv.getUint32(p + 24, true),
      localHeaderOffset: dv.getUint32(p + 42, true),
    };
    readZip64Extra(dv, p + 46 + nameLen, extraLen, entry);
    entries.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Sizes and offset that do not fit 32 bits live in the ZIP64 extra field, in this order. */
function readZip64Extra(dv: DataView, start: number, len: number, e: ZipEntry): void {
  for (let q = start; q + 4 <= start + len; ) {
    const id = dv.getUint16(q, true);
    const size = dv.getUint16(q + 2, true);
    if (id === 0x0001) {
      let r = q + 4;
      const next = () => {
        const v = Number(dv.getBigUint64(r, true));
        r += 8;
        return v;
      };
      if (e.uncompressedSize === U32_MAX) e.uncompressedSize = next();
      if (e.compressedSize === U32_MAX) e.compressedSize = next();
      if (e.localHeaderOffset === U32_MAX) e.localHeaderOffset = next();
      return;
    }
    q += 4 + size;
  }
}

/** The inflated bytes of one entry, refusing to produce more than `cap` bytes. */
export function inflateEntry(b: Uint8Array, e: ZipEntry, cap: number): Buffer {
  const dv = view(b);
  const h = e.localHeaderOffset;
  if (h + 30 > b.length || dv.getUint32(h, true) !== LOCAL) throw corrupt(`the local header of ${e.name} is missing`);
  const start = h + 30 + dv.getUint16(h + 26, true) + dv.getUint16(h + 28, true);
  if (start + e.compressedSize > b.length) throw corrupt(`${e.name} is cut short`);
  const data = Buffer.from(b.buffer, b.byteOffset + start, e.compressedSize);
  if (e.method === 0) {
    if (data.length > cap) throw bomb(e, cap);
    return data;
  }
  if (e.method !== 8) throw corrupt(`${e.name} uses compression method ${e.method}`);
  let out: Buffer;
  try {
    out = inflateRawSync(data, { maxOutputLength: Math.max(1, cap) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw bomb(e, cap);
    throw corrupt(`${e.name} does not inflate (${(err as Error).message})`);
  }
  if (out.length > cap) throw bomb(e, cap);
  return out;
}

function bomb(e: ZipEntry, cap: number): ExtractError {
  return new ExtractError('too_large', `The Word (.docx) part ${e.name} inflates to more than ${cap} bytes, beyond what its archive declares or the limit allows (a zip bomb); it was not unpacked.`);
}

/** XML parts: what mammoth parses. Media are never inflated by it (images are not read). */
function isXmlPart(name: string): boolean {
  return /\.(?:xml|rels)$/i.test(name);
}

const DTD_MARKERS = ['<!DOCTYPE', '<!ENTITY'].flatMap((m) => [Buffer.from(m, 'utf8'), Buffer.from(m, 'utf16le')]);

/**
 * Check a DOCX before it is parsed. Throws `too_large` for archives over `maxUnpackedBytes`
 * (declared or actual) and `corrupt` for a damaged archive or an XML part with a DOCTYPE.
 * Returns the XML parts it inflated, by name, so that they are not inflated twice.
 */
export interface DocxParts {
  /** Every entry name of the archive, in directory order (duplicates kept). */
  names: string[];
  /** The XML parts, inflated, by name. */
  xml: Map<string, Buffer>;
}

export function guardDocx(b: Uint8Array, maxUnpackedBytes: number): DocxParts {
  const entries = zipEntries(b);
  const declared = entries.reduce((n, e) => n + e.uncompressedSize, 0);
  if (declared > maxUnpackedBytes) {
    throw new ExtractError('too_large', `The Word (.docx) file unpacks to ${declared} bytes; the limit is ${maxUnpackedBytes} (a zip bomb, or a document far larger than a report).`);
  }
  let budget = maxUnpackedBytes;
  const xmlParts = new Map<string, Buffer>();
  for (const e of entries) {
    if (!isXmlPart(e.name)) continue;
    // Never more than declared: a part that inflates beyond its stated size is lying.
    const xml = inflateEntry(b, e, Math.min(e.uncompressedSize, budget));
    budget -= xml.length;
    if (DTD_MARKERS.some((m) => xml.indexOf(m) >= 0)) {
      throw new ExtractError('corrupt', `The Word (.docx) part ${e.name} declares a DOCTYPE or XML entities, which Office Open XML forbids (an entity-expansion attack, or not a genuine Word file); it was not parsed.`);
    }
    xmlParts.set(e.name, xml);
  }
  return { names: entries.map((e) => e.name), xml: xmlParts };
}
