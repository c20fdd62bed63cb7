/**
 * Pictures (JPEG, PNG) as image-only PDFs (src/extract/image-pdf.ts): what a picture's header
 * says, the PDF the OCR route reads — pages the size asked for, the picture's bytes embedded
 * untouched, windows of a long picture drawn where they belong — and where a long picture is cut.
 * No OCR here (test/ocr/picture.slow.test.ts reads pictures of a scan).
 */
import { deflateSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { Document, ImageRun, Packer, Paragraph } from 'docx';
import jpegJs from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { MIN_PAGE_PICTURE_PIXELS, wordPictures } from '../../src/extract/docx/word-pictures.js';
import { guardDocx } from '../../src/extract/docx/zip-guard.js';
import { A4_RATIO, MAX_IMAGE_PIXELS, cutRows, imageInfo, imagesPdf } from '../../src/extract/image-pdf.js';
import { readPdf } from '../../src/extract/pdf/load.js';
import { sniffFormat } from '../../src/extract/sniff.js';
import { extractRecord } from '../../src/extractor.js';

const crc32 = (zlib as unknown as { crc32: (b: Uint8Array) => number }).crc32;

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG of `rows` (each a row of samples), colour type and depth as given, filter 0 on every row. */
function png(width: number, height: number, colour: number, pixel: (x: number, y: number) => number[], o: { interlace?: number; palette?: number[] } = {}): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colour;
  ihdr[12] = o.interlace ?? 0;
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) rows.push(...pixel(x, y));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(o.palette ? [chunk('PLTE', Buffer.from(o.palette))] : []),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function jpeg(width: number, height: number): Buffer {
  const data = new Uint8Array(width * height * 4).fill(255);
  for (let i = 0; i < width * 8 * 4; i++) data[i] = 0; // a dark band at the top
  return Buffer.from(jpegJs.encode({ data, width, height }, 80).data);
}

const read = (pdf: Uint8Array) => readPdf(pdf, { maxPages: 50, timeoutMs: 30_000 });

describe('pictures', () => {
  it('are sniffed from their signature, whatever their name', () => {
    expect(sniffFormat(jpeg(16, 16))).toBe('image');
    expect(sniffFormat(png(4, 4, 0, () => [255]))).toBe('image');
    expect(sniffFormat(Buffer.from('GIF89a'))).not.toBe('image');
  });

  it('give their size from the header: JPEG frame, PNG IHDR', () => {
    expect(imageInfo(jpeg(320, 200))).toEqual({ kind: 'jpeg', width: 320, height: 200 });
    expect(imageInfo(png(7, 5, 2, () => [1, 2, 3]))).toEqual({ kind: 'png', width: 7, height: 5 });
  });

  it('refuse what PDF cannot show from the bytes as they are, saying so', () => {
    expect(() => imageInfo(png(4, 4, 6, () => [0, 0, 0, 255]))).toThrow(/alpha channel/);
    expect(() => imageInfo(png(4, 4, 0, () => [0], { interlace: 1 }))).toThrow(/interlaced/);
    expect(() => imageInfo(jpeg(40, 40).subarray(0, 20))).toThrow(/cannot be read/);
    const huge = png(4, 4, 0, () => [0]);
    huge.writeUInt32BE(20_000, 16); // IHDR width and height: 20,000 × 20,000
    huge.writeUInt32BE(20_000, 20);
    expect(() => imageInfo(huge)).toThrow(new RegExp(`limit is ${MAX_IMAGE_PIXELS / 1e6} megapixels`));
  });

  it('become an image-only PDF page as wide as A4, the picture embedded byte for byte', async () => {
    const j = jpeg(1240, 1754);
    const pdf = imagesPdf([j]);
    expect(pdf.includes(j)).toBe(true);
    const { pages, numPages } = await read(pdf);
    expect(numPages).toBe(1);
    expect(pages[0]!.width).toBeCloseTo(595.28, 1);
    expect(pages[0]!.height).toBeCloseTo((1754 * 595.28) / 1240, 1);
    expect(pages[0]!.pieces).toEqual([]); // no text layer: the OCR route reads it
    // A landscape picture gets a landscape A4's width.
    const wide = await read(imagesPdf([jpeg(1754, 1240)]));
    expect(wide.pages[0]!.width).toBeCloseTo(841.89, 1);
  });

  it('PNGs of every colour type PDF shows as they are (grey, RGB, palette), one page each', async () => {
    const grey = png(30, 40, 0, (x) => [x * 8]);
    const rgb = png(30, 40, 2, (x, y) => [x, y, 200]);
    const pal = png(30, 40, 3, (x) => [x % 2], { palette: [0, 0, 0, 255, 0, 0] });
    const { pages } = await read(imagesPdf([grey, rgb, pal]));
    expect(pages.map((p) => Math.round(p.height))).toEqual([794, 794, 794]);
  });

  it('show a long picture as windows, each page the height of its rows', async () => {
    const j = jpeg(600, 3000);
    const pdf = imagesPdf([j], [{ image: 0, top: 0, bottom: 800 }, { image: 0, top: 800, bottom: 1700 }, { image: 0, top: 1700, bottom: 3000 }]);
    // Embedded once, shown three times.
    expect(pdf.toString('latin1').split('/Subtype /Image').length - 1).toBe(1);
    const { pages } = await read(pdf);
    const scale = 595.28 / 600;
    expect(pages.map((p) => p.height)).toEqual([800, 900, 1300].map((h) => expect.closeTo(h * scale, 1)));
  });

  it('a picture nianbao cannot read is a failed record with the reason, not a crash', async () => {
    const rec = await extractRecord(png(4, 4, 6, () => [0, 0, 0, 0]), { uri: 'x.png' });
    expect(rec.status).toBe('failed');
    expect(rec.source.format).toBe('image');
    expect(rec.issues.map((i) => i.code)).toEqual(['unsupported_format']);
    expect(rec.issues[0]!.message).toMatch(/alpha channel/);
  });
});

describe('an HTML page that shows its report as pictures', () => {
  it('says how many pictures it shows in its no_tables issue, leaving out icons, QR codes, hidden images and GIFs', async () => {
    const html = `<html><head><title>某县民政局2023年政府信息公开工作年度报告</title></head><body>
      <div class="header"><img src="/logo.png" width="120" height="40"></div>
      <div class="article"><h1>某县民政局2023年政府信息公开工作年度报告</h1>
        <p><img src="/upload/2024/p1.jpg" width="800"></p><p><img src="/upload/2024/p2.JPG?v=2"></p>
        <p><img src="/upload/2024/p3.png" style="display:none"></p><p><img src="/upload/2024/anim.gif"></p>
        <p><img src="/images/qr.png" alt="扫一扫在手机打开当前页"></p>
      </div></body></html>`;
    const rec = await extractRecord(Buffer.from(html), { uri: 'page.html' });
    expect(rec.status).toBe('failed');
    expect(rec.issues.map((i) => i.code)).toEqual(['no_tables']);
    expect(rec.issues[0]!.message).toMatch(/The page shows 2 pictures \(JPEG, PNG\) and no table/);
    // A page with no picture says nothing of pictures.
    const bare = await extractRecord(Buffer.from(html.replace(/<img[^>]*>/g, '')), { uri: 'page.html' });
    expect(bare.issues[0]!.message).not.toMatch(/picture/);
  });
});

describe('the pictures of a Word document', () => {
  it('are the page-sized JPEGs and PNGs its body shows, in its order, each once; logos, seals and banners are not pages', async () => {
    const page1 = png(1000, 800, 0, (x) => [x % 256]);
    const page2 = jpeg(900, 1200);
    const logo = png(60, 60, 2, () => [200, 0, 0]);
    const banner = png(2400, 300, 0, () => [128]); // 0.72 megapixels, but a letterhead's shape
    const run = (data: Buffer, type: 'png' | 'jpg') => new Paragraph({ children: [new ImageRun({ type, data, transformation: { width: 300, height: 400 } })] });
    const bytes = await Packer.toBuffer(new Document({ sections: [{ children: [run(banner, 'png'), run(logo, 'png'), run(page2, 'jpg'), run(page1, 'png'), run(page2, 'jpg')] }] }));
    const got = wordPictures(bytes, guardDocx(bytes, 50 << 20), 50 << 20);
    expect(got.map((b) => imageInfo(b))).toEqual([
      { kind: 'jpeg', width: 900, height: 1200 },
      { kind: 'png', width: 1000, height: 800 },
    ]);
    expect(60 * 60).toBeLessThan(MIN_PAGE_PICTURE_PIXELS);
  });

  it('are none for a document without pictures, and a limit on their bytes holds', async () => {
    const bytes = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('无图')] }] }));
    expect(wordPictures(bytes, guardDocx(bytes, 1 << 20), 1 << 20)).toEqual([]);
    const big = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph({ children: [new ImageRun({ type: 'png', data: png(1000, 800, 0, (x, y) => [(x * y) % 251]), transformation: { width: 300, height: 240 } })] })] }] }));
    expect(() => wordPictures(big, guardDocx(big, 50 << 20), 1000)).toThrow(/more than 1000 bytes/);
  });
});

describe('cutRows', () => {
  /** Ink per row of a page of text: lines of 6 rows every 10, in tables a rule's trace between. */
  const page = (rows: number, gap: (r: number) => number) => Array.from({ length: rows }, (_, r) => (r % 10 < 6 ? 0.3 : gap(r)));

  it('cuts in the gaps between lines, never through one, each part 70–100 % of a page', () => {
    const ink = page(1000, () => 0);
    const cuts = cutRows(ink, 283);
    expect(cuts.length).toBe(3);
    let start = 0;
    for (const c of cuts) {
      expect(ink[c]).toBe(0);
      expect(c - start).toBeGreaterThanOrEqual(283 * 0.7);
      expect(c - start).toBeLessThanOrEqual(283);
      start = c;
    }
    expect(1000 - start).toBeLessThanOrEqual(283 * 1.15);
  });

  it('prefers a blank row outside a table to a cell padding inside one', () => {
    // Rows 0–399 a table (its paddings carry the vertical rules' ink), but for one blank gap at 237.
    const ink = page(600, (r) => (r === 237 ? 0 : r < 400 ? 0.02 : 0));
    expect(cutRows(ink, 283)[0]).toBe(237);
  });

  it('leaves a picture up to 115 % of a page whole', () => {
    expect(cutRows(page(320, () => 0), 283)).toEqual([]);
    expect(A4_RATIO).toBeCloseTo(1.414, 3);
  });
});
