/**
 * A minimal ZIP writer for building hostile DOCX files in tests: entries may declare sizes that
 * differ from their real content, which no well-behaved zip library would write.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { inflateEntry, zipEntries } from '../../src/extract/docx/zip-guard.js';

export interface ZipPart {
  name: string;
  data: Buffer;
  /** Store (0) or deflate (8); default deflate. */
  method?: 0 | 8;
  /** Uncompressed size to declare instead of the real one. */
  declaredSize?: number;
}

export function writeZip(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const method = p.method ?? 8;
    const body = method === 8 ? deflateRawSync(p.data) : p.data;
    const name = Buffer.from(p.name, 'utf8');
    const crc = crc32(p.data);
    const size = p.declaredSize ?? p.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The parts of an existing ZIP, to rebuild it with changes. */
export function readZip(b: Uint8Array): ZipPart[] {
  return zipEntries(b).map((e) => ({ name: e.name, data: inflateEntry(b, e, e.uncompressedSize) }));
}

/** Rebuild a DOCX with some parts replaced or added. */
export function repack(docx: Uint8Array, change: Record<string, Buffer | ((old: string) => string)>, extra: ZipPart[] = []): Buffer {
  const parts = readZip(docx).map((p) => {
    const c = change[p.name];
    if (!c) return p;
    return { ...p, data: Buffer.isBuffer(c) ? c : Buffer.from(c(p.data.toString('utf8')), 'utf8') };
  });
  return writeZip([...parts, ...extra]);
}
