/**
 * The `DecompressionStream` pdf.js sees: zlib's native inflate, run synchronously.
 *
 * pdf.js inflates a Flate stream (content streams, embedded fonts, CMaps) through the global
 * `DecompressionStream` when it can, and with its own JavaScript decoder when that fails. On
 * Node the real global is a web stream over asynchronous zlib, whose per-stream round trips cost
 * more than pdf.js's own decoder (hence the global used to be removed); but pdf.js's decoder
 * (`FlateStream.readBlock` and its Huffman tables) and the `ReferenceError` raised at each
 * stream for the missing global were still ~8% of a warm PDF's CPU. This stand-in inflates with
 * `zlib.inflateSync` in one call, and gives pdf.js exactly the surface its `FlateStream` uses:
 * `writable.getWriter()` (`ready`, `write`, `close`) and an async-iterable `readable`.
 *
 * Same bytes as pdf.js's own decoder: a well-formed zlib stream inflates to one output whichever
 * decoder reads it. Anything zlib does not accept whole — a truncated stream, a bad checksum, a
 * format other than `deflate` (pdf.js also asks for `brotli`), an output past OUTPUT_LIMIT —
 * makes the read throw, and pdf.js then decodes that stream with its own decoder, exactly as
 * it did without the global. Nothing else in nianbao uses `DecompressionStream` (HTTP bodies are
 * decompressed with node:zlib, src/fetch/body.ts), so the stand-in replaces the global for the
 * process once pdf.js is loaded (load.ts).
 */
import { inflateSync } from 'node:zlib';

/** Larger outputs are left to pdf.js's own decoder (as before): zlib's is one allocation. */
const OUTPUT_LIMIT = 256 * 1024 * 1024;

export class SyncInflateStream {
  readonly writable: { getWriter(): { ready: Promise<void>; write(chunk: Uint8Array): Promise<void>; close(): Promise<void> } };
  readonly readable: AsyncIterable<Uint8Array>;

  constructor(format: string) {
    if (format !== 'deflate') throw new TypeError(`SyncInflateStream: unsupported format "${format}"`);
    const chunks: Uint8Array[] = [];
    const ready = Promise.resolve();
    this.writable = {
      getWriter: () => ({
        ready,
        write: (chunk) => {
          chunks.push(chunk);
          return ready;
        },
        close: () => ready,
      }),
    };
    this.readable = {
      async *[Symbol.asyncIterator]() {
        const input = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        yield inflateSync(input, { maxOutputLength: OUTPUT_LIMIT });
      },
    };
  }
}

/** Make pdf.js inflate through zlib (see above). pdf.js reads the global at each stream. */
export function installSyncInflate(): void {
  (globalThis as { DecompressionStream?: unknown }).DecompressionStream = SyncInflateStream;
}
