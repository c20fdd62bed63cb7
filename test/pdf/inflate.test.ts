/**
 * The DecompressionStream stand-in pdf.js inflates through (inflate.ts), driven the way pdf.js's
 * FlateStream drives it: whole streams come back inflated; anything zlib does not accept whole
 * makes the read fail, so that pdf.js decodes that stream with its own decoder as before.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SyncInflateStream } from '../../src/extract/pdf/inflate.js';

/** pdf.js's asyncGetBytesFromDecompressionStream, minus its catch. */
async function asPdfjsReads(bytes: Uint8Array, format = 'deflate'): Promise<Uint8Array> {
  const { readable, writable } = new SyncInflateStream(format);
  const writer = writable.getWriter();
  await writer.ready;
  void writer.write(bytes).then(() => writer.close());
  const chunks: Uint8Array[] = [];
  for await (const chunk of readable) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

const content = new TextEncoder().encode('BT /F1 12 Tf 72 712 Td (政府信息公开) Tj ET\n'.repeat(200));

describe('SyncInflateStream', () => {
  it('inflates a whole zlib stream to its bytes', async () => {
    expect(await asPdfjsReads(deflateSync(content))).toEqual(content);
  });

  it('fails on a truncated stream, a bad checksum and another format (pdf.js then inflates it itself)', async () => {
    const z = deflateSync(content);
    await expect(asPdfjsReads(z.subarray(0, z.length - 20))).rejects.toThrow();
    const badSum = Uint8Array.from(z);
    badSum[badSum.length - 1] = badSum[badSum.length - 1]! ^ 0xff;
    await expect(asPdfjsReads(badSum)).rejects.toThrow();
    await expect(asPdfjsReads(z, 'brotli')).rejects.toThrow(TypeError);
  });
});
