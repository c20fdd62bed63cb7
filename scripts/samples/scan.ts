/**
 * Scanned reports with known values: a generated report (test/fixtures/report.ts) rendered as
 * HTML, printed by Chromium, rasterised by pdftoppm (150 or 200 dpi, grey or colour), turned by up
 * to 1°, speckled, optionally with a red seal over the applications table and the signature,
 * and wrapped as an image-only PDF (test/fixtures/scan.ts). `samples/scan/` holds a few with their
 * expected records; bench/ocr.ts makes more in a temporary folder.
 *
 *   npx tsx scripts/samples/scan.ts [name-filter]
 *
 * Needs /usr/bin/chromium and pdftoppm (poppler-utils).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { type GenerateOptions, type GeneratedReport, generateReport } from '../../test/fixtures/report.js';
import { renderHtml } from '../../test/fixtures/render-html.js';
import { type Raster, fromPnm, imagePdf, rotateRaster, speckle } from '../../test/fixtures/scan.js';
import { type ScanConditions, onGlass, onPaper, printCss, signatureScribble } from '../../test/fixtures/scan-conditions.js';
import { SAMPLES_DIR, expectedFromGenerated } from '../../test/helpers/samples.js';

const FONT_CSS = "*{font-family:'Noto Sans CJK SC',sans-serif !important} h1{font-weight:normal !important}";

export interface ScanSpec {
  name: string;
  seed: number;
  gen: GenerateOptions;
  dpi: 150 | 200 | 300;
  gray: boolean;
  /** Degrees the pages are turned (alternating sign from page to page). */
  skew: number;
  stamp: boolean;
  /** What a real scanner or copier adds (test/fixtures/scan-conditions.ts); none when absent. */
  conditions?: ScanConditions;
}

export const SCAN_SPECS: ScanSpec[] = [
  { name: 'scan-2021-200dpi-grey', seed: 31, gen: { template: '2021', activity: 0.6 }, dpi: 200, gray: true, skew: 0.7, stamp: false },
  { name: 'scan-2019-150dpi-stamped', seed: 32, gen: { template: '2019', activity: 0.6, money: 'wan' }, dpi: 150, gray: false, skew: 0.4, stamp: true },
];

/** A red seal (SVG) of the agency, drawn over whatever is below it as ink would be. */
function seal(agency: string, left: number, top: number): string {
  return `<div style="position:relative;height:0"><svg width="170" height="170" viewBox="0 0 170 170" style="position:absolute;left:${left}px;top:${top}px;mix-blend-mode:multiply;opacity:0.85">
<defs><path id="arc" d="M 25 85 A 60 60 0 1 1 145 85"/></defs>
<circle cx="85" cy="85" r="78" fill="none" stroke="#e0201a" stroke-width="5"/>
<text font-size="17" fill="#e0201a" font-family="Noto Sans CJK SC"><textPath href="#arc" startOffset="50%" text-anchor="middle">${agency}</textPath></text>
<polygon points="85,62 91,79 109,79 95,90 100,107 85,97 70,107 75,90 61,79 79,79" fill="#e0201a"/>
<text x="85" y="135" font-size="14" fill="#e0201a" text-anchor="middle" font-family="Noto Sans CJK SC">公章</text></svg></div>`;
}

/** The report's HTML, with seals over the applications table and the signature when asked. */
export function scanHtml(rep: GeneratedReport, stamp: boolean, conditions: ScanConditions = {}): string {
  let html = renderHtml(rep, { css: FONT_CSS + printCss(conditions) });
  const signature = `${conditions.signature ? signatureScribble(rep.year) : ''}<p style="text-align:right;margin-top:24px">${rep.agency}<br>${rep.year + 1}年1月20日</p>`;
  if (stamp) {
    html = html.replace('三、收到和处理政府信息公开申请情况', (m) => `${m}${seal(rep.agency, 380, 140)}`);
    html = html.replace('</body>', `${seal(rep.agency, 470, -10)}${signature}</body>`);
  } else html = html.replace('</body>', `${signature}</body>`);
  return html;
}

export async function printPdf(browser: BrowserContext, html: string): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, tagged: false, margin: { top: '20mm', bottom: '20mm', left: '18mm', right: '18mm' } });
  } finally {
    await page.close();
  }
}

/**
 * A printed PDF → its scan: every page rasterised, turned, speckled, with the spec's conditions
 * (the back page's print showing through is the next page's, mirrored), as an image-only PDF.
 */
export function scanPdf(pdf: Buffer, spec: Pick<ScanSpec, 'dpi' | 'gray' | 'skew' | 'seed' | 'conditions'>, tmp: string): Buffer {
  const file = join(tmp, `print-${spec.seed}.pdf`);
  writeFileSync(file, pdf);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  const c = spec.conditions ?? {};
  const printed: Raster[] = [];
  for (let i = 1; i <= pages; i++) printed.push(fromPnm(execFileSync('pdftoppm', ['-r', String(spec.dpi), ...(spec.gray ? ['-gray'] : []), '-f', String(i), '-l', String(i), file], { maxBuffer: 1 << 28 })));
  const images = printed.map((img, k) => {
    const i = k + 1;
    const back = pages > 1 ? printed[k + 1 < pages ? k + 1 : k - 1]! : null;
    return onGlass(speckle(rotateRaster(onPaper(img, back, c), spec.skew * (i % 2 ? 1 : -1)), spec.seed * 100 + i), spec.dpi, spec.seed * 100 + i, c);
  });
  return imagePdf(images, spec.dpi, c.jpeg);
}

export function launch(tmp: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(join(tmp, 'chromium-profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const out = join(SAMPLES_DIR, 'scan');
  mkdirSync(out, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'nianbao-scan-samples-'));
  const browser = await launch(tmp);
  try {
    for (const spec of SCAN_SPECS) {
      if (only && !spec.name.includes(only)) continue;
      const rep = generateReport(spec.seed, spec.gen);
      const pdf = scanPdf(await printPdf(browser, scanHtml(rep, spec.stamp)), spec, tmp);
      const { name, ...how } = spec;
      const expected = expectedFromGenerated(rep, { purpose: `generated report printed by Chromium, scanned at ${spec.dpi} dpi ${spec.gray ? 'grey' : 'colour'}, turned ±${spec.skew}°, speckled${spec.stamp ? ', red seals over the applications table and the signature' : ''}`, ...how });
      writeFileSync(join(out, `${name}.pdf`), pdf);
      writeFileSync(join(out, `${name}.expected.json`), `${JSON.stringify(expected, null, 2)}\n`);
      console.log(`${name}.pdf  ${(pdf.length / 1024).toFixed(0)} KB`);
    }
  } finally {
    await browser.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
