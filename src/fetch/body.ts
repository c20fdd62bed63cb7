/**
 * Read a response body under two ceilings: bytes on the wire (`maxBytes`) and bytes after
 * Content-Encoding is undone (`maxDecompressedBytes`). The second is what stops a gzip bomb —
 * 10 KB that inflates to gigabytes passes any wire limit.
 */
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { FetchError } from './reasons.js';

export interface BodyLimits {
  maxBytes: number;
  maxDecompressedBytes: number;
}

function fmt(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

/** `deflate` is meant to be zlib-wrapped but some servers send raw deflate; the first byte tells. */
function inflaterFor(first: number | undefined): Transform {
  return first !== undefined && (first & 0x0f) === 8 ? createInflate() : createInflateRaw();
}

export function parseContentEncoding(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s && s !== 'identity');
}

const SUPPORTED = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

export async function readBody(body: Readable, contentEncoding: string | null | undefined, limits: BodyLimits): Promise<{ bytes: Buffer; wireBytes: number }> {
  const encodings = parseContentEncoding(contentEncoding);
  const unsupported = encodings.find((e) => !SUPPORTED.has(e));
  if (unsupported) {
    body.destroy();
    throw new FetchError('bad_encoding', `unsupported Content-Encoding: ${unsupported}`);
  }
  let wire = 0;
  let out = 0;
  const chunks: Buffer[] = [];
  const wireCounter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      wire += chunk.length;
      if (wire > limits.maxBytes) cb(new FetchError('too_large', `body exceeds ${fmt(limits.maxBytes)}`));
      else cb(null, chunk);
    },
  });
  const decompressing = encodings.length > 0;
  const cap = decompressing ? limits.maxDecompressedBytes : limits.maxBytes;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out += chunk.length;
      if (out > cap) {
        cb(
          decompressing
            ? new FetchError('decompression_bomb', `body inflates past ${fmt(cap)} (${encodings.join(', ')}; ${fmt(wire)} on the wire so far): refusing a likely decompression bomb`)
            : new FetchError('too_large', `body exceeds ${fmt(cap)}`),
        );
      } else {
        chunks.push(chunk);
        cb();
      }
    },
  });
  // Decoders are created lazily for `deflate`, whose variant depends on the first byte.
  const decoders: Transform[] = [];
  for (const e of [...encodings].reverse()) {
    if (e === 'gzip' || e === 'x-gzip') decoders.push(createGunzip());
    else if (e === 'br') decoders.push(createBrotliDecompress());
    else decoders.push(lazyInflate());
  }
  await pipeline([body, wireCounter, ...decoders, sink]);
  return { bytes: Buffer.concat(chunks), wireBytes: wire };
}

function lazyInflate(): Transform {
  let inner: Transform | null = null;
  const outer = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (!inner) {
        inner = inflaterFor(chunk[0]);
        inner.on('data', (d: Buffer) => outer.push(d));
        inner.on('error', (e) => outer.destroy(e));
      }
      if (!inner.write(chunk)) inner.once('drain', () => cb());
      else cb();
    },
    flush(cb) {
      if (!inner) return cb();
      inner.once('end', () => cb());
      inner.end();
    },
  });
  return outer;
}
