/**
 * The sample portal's PDF attachments: generated reports (never the shared real PDFs, which stay
 * in ../shared) printed by Chromium. Run: npx tsx scripts/samples/portal-pdfs.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { generateReport } from '../../test/fixtures/report.js';
import { renderHtml } from '../../test/fixtures/render-html.js';
import { expectedFromGenerated } from '../../test/helpers/samples.js';

const SITE = join(import.meta.dirname, '../../samples/portal/site');
const targets = [
  { file: 'zwgk/ndbg/202501/P020250116598231.pdf', seed: 901, agency: '淮安市人民政府', year: 2024, otherAggregated: false },
  { file: 'files/88412.pdf', seed: 902, agency: '洪泽区人民政府', year: 2023, otherAggregated: true },
];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
const pdfs: Buffer[] = [];
for (const t of targets) {
  const rep = generateReport(t.seed, { template: '2021', otherAggregated: t.otherAggregated, activity: 0.5 });
  rep.agency = t.agency;
  rep.year = t.year;
  await page.setContent(renderHtml(rep, { word: true, nbspBlanks: true, css: 'body{font-family:"Noto Serif CJK SC",serif;font-size:11pt} table{margin:8pt 0}' }));
  const pdf = await page.pdf({ format: 'A4', margin: { top: '20mm', bottom: '20mm', left: '18mm', right: '18mm' } });
  writeFileSync(join(SITE, t.file), pdf);
  pdfs.push(pdf);
  console.log(t.file, pdf.length, JSON.stringify(expectedFromGenerated(rep, { seed: t.seed }).values).length);
}
// The corrupt attachment: a PDF cut off after 4 KiB.
writeFileSync(join(SITE, 'bmxxgk/ndbg/202203/P020220301384512.pdf'), pdfs[0]!.subarray(0, 4096));
await browser.close();
