/**
 * The OCR route's pure parts on synthetic pages (no Tesseract needed): digits undone from OCR's
 * letter confusions, Tesseract's TSV, skew found and undone, ruling lines found on an image that
 * is turned, speckled, broken and sealed in red; and the failure when Tesseract is missing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { estimateSkew, rotate } from '../../src/extract/ocr/deskew.js';
import { ocrNumber } from '../../src/extract/ocr/digits.js';
import { binarize, readPnm } from '../../src/extract/ocr/image.js';
import { imageRules } from '../../src/extract/ocr/rules.js';
import { parseTsv, parseTsvPages } from '../../src/extract/ocr/tsv.js';
import { findFrames } from '../../src/extract/pdf/frames.js';
import { type Raster, rotateRaster, speckle } from '../fixtures/scan.js';
import { SAMPLES_DIR } from '../helpers/samples.js';
import { confirmOcrMeta, ocrTitleMeta } from '../../src/record/ocr-guard.js';
import { nearRead } from '../../src/record/build.js';
import { despeckleDigits } from '../../src/extract/ocr/image.js';
import { titleRows } from '../../src/extract/ocr/title.js';

describe('ocrNumber', () => {
  it.each([
    ['1,234', '1234'],
    ['1，234', '1234'],
    ['O', '0'],
    ['l', '1'],
    ['1O8', '108'],
    ['2l5', '215'],
    ['28546.7153', '28546.7153'],
    ['-8', '-8'],
    ['', null],
    ['规章', null],
    ['.680', null],
    ['1.2.3', null],
    ['3 2', '32'],
  ])('%s → %s', (text, want) => expect(ocrNumber(text)).toBe(want));
});

describe('parseTsv', () => {
  it('reads word rows with box and confidence, skipping structure rows and empty words', () => {
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      '1\t1\t0\t0\t0\t0\t0\t0\t1656\t2342\t-1\t',
      '5\t1\t1\t1\t2\t1\t191\t221\t589\t61\t96.192719\t西安',
      '5\t1\t1\t1\t2\t2\t800\t221\t40\t30\t12.5\t ',
      '5\t1\t2\t1\t1\t1\t10\t20\t30\t40\t88\t1008',
    ].join('\n');
    expect(parseTsv(tsv)).toEqual([
      { text: '西安', left: 191, top: 221, width: 589, height: 61, conf: 96.192719, line: '1.1.1.2' },
      { text: '1008', left: 10, top: 20, width: 30, height: 40, conf: 88, line: '1.2.1.1' },
    ]);
  });

  it('parts the words of several images read in one call by page, each named as if read alone', () => {
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      '5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t90\t甲',
      '1\t2\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t',
      '5\t3\t2\t1\t3\t1\t5\t6\t7\t8\t70\t12',
    ].join('\n');
    expect(parseTsvPages(tsv, 3)).toEqual([
      [{ text: '甲', left: 10, top: 20, width: 30, height: 40, conf: 90, line: '1.1.1.1' }],
      [],
      [{ text: '12', left: 5, top: 6, width: 7, height: 8, conf: 70, line: '1.2.1.3' }],
    ]);
  });
});

/** A ruled table drawn on white paper at `dpi`: 5 columns, 8 rows, rules 1 pt thick. */
function tablePage(dpi: number, opts: { broken?: boolean; seal?: boolean } = {}): Raster {
  const px = dpi / 72;
  const width = Math.round(400 * px);
  const height = Math.round(300 * px);
  const data = new Uint8Array(width * height * 3).fill(255);
  const ink = (x: number, y: number, rgb: [number, number, number] = [20, 20, 20]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    data.set(rgb, (y * width + x) * 3);
  };
  const xs = [40, 160, 220, 280, 340, 380].map((v) => Math.round(v * px));
  const ys = [30, 60, 90, 120, 150, 180, 210, 240, 270].map((v) => Math.round(v * px));
  const t = Math.max(1, Math.round(px));
  for (const y of ys) for (let x = xs[0]!; x <= xs.at(-1)!; x++) for (let d = 0; d < t; d++) if (!(opts.broken && x % 37 === 0)) ink(x, y + d);
  for (const x of xs) for (let y = ys[0]!; y <= ys.at(-1)!; y++) for (let d = 0; d < t; d++) if (!(opts.broken && y % 29 === 0)) ink(x + d, y);
  if (opts.seal) {
    // A red ring (a seal) over the right half of the table: its arcs must not become rules.
    const cx = Math.round(300 * px);
    const cy = Math.round(150 * px);
    const r = Math.round(60 * px);
    for (let y = cy - r - 4; y <= cy + r + 4; y++) for (let x = cx - r - 4; x <= cx + r + 4; x++) {
      const d = Math.hypot(x - cx, y - cy);
      if (d > r - 2 * px && d < r + 2 * px) ink(x, y, [225, 30, 25]);
    }
  }
  return { width, height, channels: 3, data };
}

const toPpm = (r: Raster) => Buffer.concat([Buffer.from(`P6\n${r.width} ${r.height}\n255\n`), Buffer.from(r.data)]);

describe('deskew and ruling lines', () => {
  it.each([
    [150, 0.8],
    [200, -1],
    [200, 0.3],
  ])('at %i dpi, turned %f°: the skew is found, and after it the grid is whole', (dpi, degrees) => {
    const page = speckle(rotateRaster(tablePage(dpi, { broken: true, seal: true }), degrees), 7);
    const gray = readPnm(toPpm(page));
    const skew = estimateSkew(binarize(gray), gray.width, gray.height, dpi);
    expect(Math.abs(Math.abs(skew) - Math.abs(degrees))).toBeLessThan(0.15);
    const straight = rotate(gray, skew);
    const frames = findFrames(imageRules(binarize(straight), straight.width, straight.height, { dpi }));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.xs).toHaveLength(6);
    expect(frames[0]!.ys).toHaveLength(9);
    // Positions in points, within a point or two of where they were drawn (the page was turned about its centre).
    expect(frames[0]!.xs[1]!).toBeGreaterThan(157);
    expect(frames[0]!.xs[1]!).toBeLessThan(164);
  });

  it("a photocopy's grey paper is made white, a scan's light paper is left as it is", () => {
    const page = (paper: number) => {
      const r = tablePage(100);
      return { ...r, data: r.data.map((v) => Math.round(75 + (v * (paper - 75)) / 255)) };
    };
    const max = (d: Uint8Array) => d.reduce((m, v) => Math.max(m, v), 0);
    const grey = readPnm(toPpm(page(200)));
    expect(max(grey.data)).toBe(255);
    expect(grey.data.filter((v) => v === 255).length).toBeGreaterThan(grey.data.length * 0.9);
    expect(max(readPnm(toPpm(page(236))).data)).toBe(236);
  });

  it('a red seal is dropped by its colour, print under it is kept', () => {
    const gray = readPnm(toPpm(tablePage(100, { seal: true })));
    const frames = findFrames(imageRules(binarize(gray), gray.width, gray.height, { dpi: 100 }));
    expect(frames[0]!.xs).toHaveLength(6);
    expect(frames[0]!.ys).toHaveLength(9);
  });
});

describe('a scan without Tesseract', () => {
  it('is a failed record with converter_missing, not a crash', async () => {
    const file = join(SAMPLES_DIR, 'scan', 'scan-2019-150dpi-stamped.pdf');
    const before = process.env.NIANBAO_TESSERACT;
    process.env.NIANBAO_TESSERACT = '';
    try {
      const rec = await extractRecord(readFileSync(file), { uri: file });
      expect(rec.status).toBe('failed');
      expect(rec.issues.map((i) => i.code)).toEqual(['converter_missing']);
      expect(rec.issues[0]!.message).toContain('tesseract-ocr-chi-sim');
    } finally {
      if (before === undefined) delete process.env.NIANBAO_TESSERACT;
      else process.env.NIANBAO_TESSERACT = before;
    }
  });
});

describe('labels read by OCR', () => {
  const none = { agency: null, year: null, title: null };
  it('an agency is kept when the scan prints it twice as a whole name, spaces or not, without the spaces OCR put in it', () => {
    const text = '杭州 市西湖区财政局2021年政府\n信息公开工作年度报告\n一、总体情况\n2021年，本机关…\n杭州市西湖区 财政局\n2022年1月20日';
    const m = confirmOcrMeta({ agency: '杭州 市西湖区财政局', year: 2021, title: null, agencySource: 'title', yearSource: 'title' }, text, none);
    expect(m.agency).toBe('杭州市西湖区财政局');
    expect(m.year).toBe(2021);
  });
  it('a name cut short is not confirmed by the whole name it sits in', () => {
    const text = '南通 市海门区商务局2019年政府信息公开工作年度报告\n…\n南通市海门区商务局\n2020年1月20日';
    const m = confirmOcrMeta({ agency: '市海门区商务局', year: 2019, title: null, agencySource: 'title', yearSource: 'title' }, text, none);
    expect(m.agency).toBeNull();
  });
});

describe('the digit strip and the title block', () => {
  const page = (w: number, h: number) => ({ width: w, height: h, data: new Uint8Array(w * h).fill(255) });
  const fill = (g: { width: number; data: Uint8Array }, x0: number, y0: number, x1: number, y1: number) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) g.data[y * g.width + x] = 0;
  };
  it('a speck goes, a point low between two digits stays', () => {
    const g = page(120, 40);
    fill(g, 10, 10, 20, 30); // a digit
    fill(g, 22, 27, 25, 30); // a point on the baseline, between digits
    fill(g, 27, 10, 37, 30); // a digit
    fill(g, 60, 5, 62, 7); // a speck above, far from digits
    fill(g, 39, 12, 41, 14); // a speck beside a digit, high up
    despeckleDigits(g, 128, 9, 3);
    expect(g.data[28 * 120 + 23]).toBe(0);
    expect(g.data[6 * 120 + 61]).toBe(255);
    expect(g.data[13 * 120 + 40]).toBe(255);
  });
  it('the title is the run of lines at the top taller than the body', () => {
    const g = page(400, 400);
    fill(g, 50, 20, 350, 60); // title line 1 (40 px)
    fill(g, 80, 70, 320, 110); // title line 2
    for (let y = 140; y < 380; y += 30) fill(g, 20, y, 380, y + 18); // body lines (18 px)
    expect(titleRows(g, 128, 400, 1)).toEqual({ y0: 20, y1: 110 });
    const body = page(400, 400);
    for (let y = 20; y < 380; y += 30) fill(body, 20, y, 380, y + 18);
    expect(titleRows(body, 128, 400, 1)).toBeNull();
  });
});

describe('a doubted OCR cell repaired by the identities', () => {
  it('only when their value is one misread from what was read', () => {
    expect(nearRead('18', 13)).toBe(true); // one digit misread
    expect(nearRead('8', 18)).toBe(true); // one digit dropped
    expect(nearRead('1 24', 12)).toBe(true); // one digit too many
    expect(nearRead('?', 240)).toBe(true); // nothing read: no evidence against
    expect(nearRead('00', 88)).toBe(false); // another cell of the identities is misread too
    expect(nearRead('124', 1)).toBe(false);
  });
});

describe('a scanned title with a misread word', () => {
  it('still gives the year and the agency, which must then be said twice', () => {
    const text = '西安市雁塔区住房和城乡建设局2019年政府\n言息公开工作年度报告\n一、总体情况\n2019年，本机关认真贯彻落实…\n西安市雁塔区住房和城乡建设局\n2020年1月20日';
    const none = { agency: null, year: null, title: null };
    const m = ocrTitleMeta(none, text);
    expect(m.year).toBe(2019);
    expect(m.agency).toBe('西安市雁塔区住房和城乡建设局');
    expect(confirmOcrMeta(m, text, none)).toMatchObject({ year: 2019, agency: '西安市雁塔区住房和城乡建设局' });
    // Said once only (no signature): left out.
    const once = text.replace(/\n西安市雁塔区住房和城乡建设局\n/, '\n');
    expect(confirmOcrMeta(ocrTitleMeta(none, once), once, none).agency).toBeNull();
  });
});
