/**
 * The OCR image side's pure parts added for seals, units and titles.
 * A red seal scanned in grey (ocr/seal.ts): a ring of flat mid-grey over a table's rules and its
 * digits, stamped as ink is (multiplied). It is whitened; the print under it stays dark. A page
 * without a seal, and a pale scan whose print is itself the flat grey, are left as they are.
 */
import { describe, expect, it } from 'vitest';
import type { Gray } from '../../src/extract/ocr/image.js';
import { readPnm, shrink } from '../../src/extract/ocr/image.js';
import { unitOf } from '../../src/extract/ocr/page.js';
import { titleShrink } from '../../src/extract/ocr/title.js';
import { dropGreySeals } from '../../src/extract/ocr/seal.js';
import { rotateRaster, speckle } from '../fixtures/scan.js';

const DPI = 200;
const PAPER = 236;

/** A grey page: a table (rules and digit blocks of `print` grey), optionally a seal of grey `seal` stamped over it. */
function page(o: { seal?: number; print?: number; title?: boolean }): Gray {
  const w = 1200;
  const h = 900;
  const data = new Uint8Array(w * h).fill(PAPER);
  const print = o.print ?? 20;
  const put = (x: number, y: number, v: number) => {
    // Ink over ink multiplies, as a stamp over print does.
    if (x >= 0 && y >= 0 && x < w && y < h) data[y * w + x] = Math.round((data[y * w + x]! * v) / 255);
  };
  const inkPrint = (x: number, y: number) => put(x, y, Math.round((print * 255) / PAPER));
  for (let y = 100; y <= 800; y += 70) for (let x = 100; x <= 1100; x++) for (let d = 0; d < 3; d++) inkPrint(x, y + d);
  for (let x = 100; x <= 1100; x += 125) for (let y = 100; y <= 800; y++) for (let d = 0; d < 3; d++) inkPrint(x + d, y);
  // Digit-sized blocks of print with strokes 5 px wide in every cell.
  for (let cy = 120; cy < 800; cy += 70) for (let cx = 130; cx < 1100; cx += 125) {
    for (let y = cy; y < cy + 30; y++) for (let x = cx; x < cx + 20; x++) if (x - cx < 5 || cx + 20 - x <= 5 || y - cy < 5 || cy + 30 - y <= 5) inkPrint(x, y);
  }
  if (o.title) for (let y = 20; y < 80; y++) for (let x = 300; x < 900; x++) if (x % 40 < 28) inkPrint(x, y);
  if (o.seal !== undefined) {
    const v = Math.round((o.seal * 255) / PAPER);
    const cx = 600;
    const cy = 450;
    const r = 170; // a 4.3 cm seal at 200 dpi
    for (let y = cy - r - 10; y <= cy + r + 10; y++) for (let x = cx - r - 10; x <= cx + r + 10; x++) {
      const d = Math.hypot(x - cx, y - cy);
      if ((d > r - 10 && d < r) || d < 40) put(x, y, v);
    }
  }
  // Scanned: turned a little (soft edges) and speckled.
  const scan = speckle(rotateRaster({ width: w, height: h, channels: 1, data }, 0.4), 3, 0.0003);
  return { width: w, height: h, data: scan.data };
}

const at = (g: Gray, x: number, y: number) => g.data[y * g.width + x]!;

describe('a seal on a grey scan', () => {
  it('is whitened: its ring and star go, the rules and digits under it stay dark', () => {
    const g = page({ seal: 114 });
    const before = page({});
    const boxes = dropGreySeals(g, DPI);
    expect(boxes.length).toBeGreaterThanOrEqual(1);
    // The scan lightens ink a little (speckle: v·0.82 + 30).
    expect(Math.abs(boxes[0]!.level - 123)).toBeLessThanOrEqual(6);
    // The ring's pixels, away from the print, are paper now.
    let ring = 0;
    let gone = 0;
    for (let a = 0; a < 2 * Math.PI; a += 0.01) {
      const x = Math.round(600 + 165 * Math.cos(a));
      const y = Math.round(450 + 165 * Math.sin(a));
      if (at(before, x, y) < 200) continue;
      ring++;
      gone += +(at(g, x, y) > 200);
    }
    expect(ring).toBeGreaterThan(300);
    expect(gone).toBe(ring);
    // Print under the seal (the star covers the digit block at 630,470) is as dark as before.
    let darkBefore = 0;
    let darkAfter = 0;
    for (let y = 380; y < 520; y++) for (let x = 520; x < 700; x++) (darkBefore += +(at(before, x, y) < 80)), (darkAfter += +(at(g, x, y) < 80));
    expect(darkBefore).toBeGreaterThan(500);
    expect(darkAfter).toBeGreaterThanOrEqual(darkBefore * 0.95);
  });

  it('a page without one is left as it is', () => {
    const g = page({ title: true });
    const copy = g.data.slice();
    expect(dropGreySeals(g, DPI)).toEqual([]);
    expect(Buffer.compare(Buffer.from(g.data), Buffer.from(copy))).toBe(0);
  });

  it('a pale scan whose print is a flat grey keeps its print', () => {
    const g = page({ print: 90, title: true });
    const copy = g.data.slice();
    expect(dropGreySeals(g, DPI)).toEqual([]);
    expect(Buffer.compare(Buffer.from(g.data), Buffer.from(copy))).toBe(0);
  });
});

describe('a red seal on a colour scan', () => {
  it('is paper, and print it hides in part still shows as ink', () => {
    // Paper, a black bar (print), a red ring stamped over both at 85 % (as a printed seal over a digit).
    const w = 400;
    const h = 300;
    const rgb = new Uint8Array(w * h * 3).fill(238);
    const set = (x: number, y: number, c: readonly number[]) => rgb.set(c, (y * w + x) * 3);
    for (let y = 30; y < 270; y++) for (let x = 190; x < 200; x++) set(x, y, [17, 17, 17]);
    const seal = [224, 32, 26];
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const d = Math.hypot(x - 200, y - 150);
      if (d < 100 || d > 112) continue;
      const i = (y * w + x) * 3;
      set(x, y, [0, 1, 2].map((c) => Math.round(0.85 * seal[c]! + 0.15 * rgb[i + c]!)));
    }
    const gray = readPnm(Buffer.concat([Buffer.from(`P6\n${w} ${h}\n255\n`), Buffer.from(rgb)]));
    const at = (x: number, y: number) => gray.data[y * w + x]!;
    expect(at(300, 150)).toBe(255); // the ring on paper
    expect(at(195, 255)).toBeLessThan(80); // the bar where the ring crosses it
    expect(at(195, 150)).toBeLessThan(40); // the bar inside the ring
  });
});

describe('a value cell read by OCR', () => {
  const piece = (text: string, x0: number, x1: number) => ({ text, x0, x1, y0: 10, y1: 20, size: 10, vertical: false, conf: 90 });
  const cell = (...pieces: ReturnType<typeof piece>[]) => ({ box: { x0: 0, y0: 8, x1: 100, y1: 22 }, pieces });
  it('a money unit after the number is told apart, as a word of its own or run into the digits', () => {
    const own = cell(piece('1902549', 5, 40), piece('元', 42, 50));
    expect(unitOf(own)).toEqual({ text: '元', piece: own.pieces[1], pieces: [own.pieces[1]], before: '' });
    const apart = cell(piece('28546.7153', 5, 40), piece('万', 42, 50), piece('元', 51, 59));
    expect(unitOf(apart)).toMatchObject({ text: '万元', piece: apart.pieces[1], pieces: [apart.pieces[1], apart.pieces[2]] });
    expect(unitOf(cell(piece('730.5615万元', 5, 60)))).toEqual({ text: '万元', piece: null, before: '730.5615' });
    expect(unitOf(cell(piece('1902549', 5, 40)))).toBeNull();
    expect(unitOf(cell(piece('元', 5, 15)))).toBeNull(); // a unit alone is no number's unit
  });
});

describe('the title block', () => {
  const page = (w: number, h: number) => ({ width: w, height: h, data: new Uint8Array(w * h).fill(255) });
  const fill = (g: Gray, x0: number, y0: number, x1: number, y1: number) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) g.data[y * g.width + x] = 0;
  };
  it('is shrunk for reading when its lines are about twice the height Tesseract reads best', () => {
    const g = page(400, 300);
    fill(g, 50, 20, 350, 90); // a title line 70 px high
    fill(g, 80, 100, 320, 170);
    expect(titleShrink(g, 128, { y0: 20, y1: 170 }, 1)).toBe(2);
    const small = page(400, 300);
    fill(small, 50, 20, 350, 50); // 30 px
    expect(titleShrink(small, 128, { y0: 20, y1: 50 }, 1)).toBe(1);
  });
  it('shrinking averages each block of pixels', () => {
    const g = { width: 4, height: 2, data: Uint8Array.from([0, 255, 255, 255, 255, 255, 255, 255]) };
    expect([...shrink(g, 2).data]).toEqual([191, 255]);
  });
});
