/**
 * Regenerate samples/pdf/: generated reports (test/fixtures/report.ts) rendered as HTML
 * (test/fixtures/render-html.ts) and printed to PDF the ways reports are made — Chromium's print
 * to PDF, LibreOffice from HTML via DOCX — plus the failures an extractor meets (an encrypted
 * PDF, a truncated one, one that is not a PDF inside, a scan without a text layer). Each PDF gets
 * its <name>.expected.json (test/helpers/samples.ts).
 *
 *   npx tsx scripts/samples/pdf.ts [name-filter]
 *
 * Needs /usr/bin/chromium, soffice (LibreOffice) and pdftocairo (poppler-utils). Output is not
 * byte-for-byte reproducible (producers stamp dates and IDs), the content is.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { type GenerateOptions, generateReport } from '../../test/fixtures/report.js';
import { type HtmlOptions, renderHtml } from '../../test/fixtures/render-html.js';
import { type ExpectedSample, SAMPLES_DIR, expectedFromGenerated } from '../../test/helpers/samples.js';

const OUT = join(SAMPLES_DIR, 'pdf');
const MAX_BYTES = 300 * 1024;

// Only Noto CJK is installed here; Sans keeps Chromium's Type 3 glyph outlines small.
const FONT_CSS = "*{font-family:'Noto Sans CJK SC',sans-serif !important} h1{font-weight:normal !important}";
const BIG_CSS = `${FONT_CSS} body{font-size:20px} td,td span,td p{font-size:15pt !important} td{padding:6pt !important}`;
const UNRULED_CSS = `${FONT_CSS} td{border:none !important; padding:2pt 8pt !important}`;

type Converter = 'chromium' | 'libreoffice-docx';

interface Spec {
  name: string;
  /** What the sample is for (stored in `made`). */
  purpose: string;
  seed: number;
  gen: GenerateOptions;
  html: HtmlOptions;
  converter: Converter;
  /** LibreOffice's PDF export filter with its options (encryption), when not the default. */
  pdfFilter?: () => string;
  /** Expected record when the generated one does not apply as is. */
  expect?: (e: ExpectedSample) => ExpectedSample;
}

const SPECS: Spec[] = [
  {
    name: 'chromium-2021-word-vertical',
    purpose: 'Word-export markup, 三、本年度办理结果 one character per line, the applications table across pages, CJK radicals from the font',
    seed: 3, gen: { template: '2021', activity: 0.6 }, html: { word: true, verticalLabels: true, css: FONT_CSS }, converter: 'chromium',
  },
  {
    name: 'chromium-2019-long',
    purpose: 'large type: every table runs over page breaks; 万元 amounts, 增加/减少 changes, thousands separators',
    seed: 21, gen: { template: '2019', activity: 0.8, money: 'wan', changeWords: true }, html: { verticalLabels: true, css: BIG_CSS }, converter: 'chromium',
  },
  {
    name: 'chromium-2021-blank',
    purpose: 'every count cell blank (&nbsp;, as Word writes an empty cell), the fee amount written',
    seed: 5, gen: { template: '2021', activity: 0, blankZeros: 1 }, html: { nbspBlanks: true, css: FONT_CSS }, converter: 'chromium',
  },
  {
    name: 'chromium-2021-split',
    purpose: 'applications table printed as two tables with the header repeated; blank cells as &nbsp;',
    seed: 14, gen: { template: '2021', activity: 0.5, blankZeros: 0.2 }, html: { splitAfter: 12, nbspBlanks: true, css: FONT_CSS }, converter: 'chromium',
  },
  {
    name: 'chromium-2021-aggregated',
    purpose: '（六）其他处理 as one row in a 2021 report, full-width digits',
    seed: 9, gen: { template: '2021', otherAggregated: true, activity: 0.7, fullWidth: true }, html: { word: true, css: FONT_CSS }, converter: 'chromium',
  },
  {
    name: 'chromium-2019-unruled',
    purpose: 'tables drawn without any rules: read by text alignment',
    seed: 17, gen: { template: '2019', activity: 0.7 }, html: { css: UNRULED_CSS }, converter: 'chromium',
  },
  {
    name: 'chromium-2021-unruled-blanks',
    purpose: 'tables without rules and with blank cells: blanks recovered from the column positions, or settled by the identities',
    seed: 23, gen: { template: '2021', activity: 0.6, blankZeros: 0.15 }, html: { css: UNRULED_CSS }, converter: 'chromium',
    // Some blanks leave no trace and several placements fit the identities: right or flagged,
    // and flagged it is (test/pdf/samples.test.ts re-derives the true values from `made`).
    expect: (e) => ({ ...e, status: 'flagged', values: undefined, issues: [...e.issues, 'ambiguous_cells'] }),
  },
  {
    name: 'libreoffice-2021-docx',
    purpose: 'LibreOffice via DOCX: rows cut by page breaks, numbers wrapped in narrow cells, Type 1 CJK fonts',
    seed: 3, gen: { template: '2021', activity: 0.6 }, html: { word: true, verticalLabels: true }, converter: 'libreoffice-docx',
  },
  {
    name: 'libreoffice-2019-docx-blanks',
    purpose: 'LibreOffice via DOCX: Word markup with &nbsp; blanks, a third of the zero counts blank, 元 amounts',
    seed: 12, gen: { template: '2019', activity: 0.5, blankZeros: 0.3, money: 'yuan' }, html: { word: true, nbspBlanks: true }, converter: 'libreoffice-docx',
  },
  {
    name: 'libreoffice-2021-permissions',
    purpose: 'encrypted with an owner password only (no printing, no copying): readable without a password',
    seed: 8, gen: { template: '2021', activity: 0.4 }, html: { word: true }, converter: 'libreoffice-docx', pdfFilter: () => PERMISSIONS_FILTER,
  },
];

interface Tools {
  browser(): Promise<BrowserContext>;
  soffice(args: string[], cwd: string): void;
  tmp: string;
  close(): Promise<void>;
}

function tools(): Tools {
  const tmp = mkdtempSync(join(tmpdir(), 'nianbao-pdf-samples-'));
  let ctx: Promise<BrowserContext> | null = null;
  const profile = join(tmp, 'lo-profile');
  return {
    tmp,
    browser: () =>
      (ctx ??= chromium.launchPersistentContext(join(tmp, 'chromium-profile'), {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      })),
    soffice: (args, cwd) => {
      execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
    },
    close: async () => {
      if (ctx) await (await ctx).close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

async function printChromium(t: Tools, html: string): Promise<Buffer> {
  const page = await (await t.browser()).newPage();
  try {
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, tagged: false, margin: { top: '20mm', bottom: '20mm', left: '18mm', right: '18mm' } });
  } finally {
    await page.close();
  }
}

/** HTML → DOCX → PDF, as an office would: LibreOffice's Writer, not its web view. */
function printLibreOffice(t: Tools, name: string, html: string, pdfFilter = 'pdf'): Buffer {
  const dir = mkdtempSync(join(t.tmp, `${name}-`));
  writeFileSync(join(dir, `${name}.html`), html);
  t.soffice(['--infilter=HTML (StarWriter)', '--convert-to', 'docx:MS Word 2007 XML', '--outdir', dir, `${name}.html`], dir);
  t.soffice(['--convert-to', pdfFilter, '--outdir', join(dir, 'pdf'), `${name}.docx`], dir);
  return readFileSync(join(dir, 'pdf', `${name}.pdf`));
}

function versions(): Record<string, string> {
  const v = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0]!;
    } catch {
      return 'unknown';
    }
  };
  return { chromium: v('/usr/bin/chromium', ['--version']), libreoffice: v('soffice', ['--version']) };
}

function write(name: string, pdf: Buffer, expected: ExpectedSample): void {
  writeFileSync(join(OUT, `${name}.pdf`), pdf);
  writeFileSync(join(OUT, `${name}.expected.json`), `${JSON.stringify(expected, null, 2)}\n`);
  const size = pdf.length;
  console.log(`${name}.pdf  ${(size / 1024).toFixed(0)} KB${size > MAX_BYTES ? '  (over the 300 KB budget!)' : ''}`);
}

async function generated(t: Tools, spec: Spec, tv: Record<string, string>): Promise<Buffer> {
  const rep = generateReport(spec.seed, spec.gen);
  const html = renderHtml(rep, spec.html);
  const pdf = spec.converter === 'chromium'
    ? await printChromium(t, html)
    : printLibreOffice(t, spec.name, html, spec.pdfFilter?.() ?? 'pdf');
  const made = { purpose: spec.purpose, seed: spec.seed, generate: spec.gen, html: spec.html, converter: spec.converter, tool: spec.converter === 'chromium' ? tv.chromium : tv.libreoffice };
  let expected = expectedFromGenerated(rep, made);
  if (spec.expect) expected = spec.expect(expected);
  write(spec.name, pdf, expected);
  return pdf;
}

const filterJson = (o: Record<string, [string, string | boolean | number]>) =>
  `pdf:writer_pdf_Export:${JSON.stringify(Object.fromEntries(Object.entries(o).map(([k, [type, value]]) => [k, { type, value: String(value) }])))}`;
const PERMISSIONS_FILTER = filterJson({ RestrictPermissions: ['boolean', true], PermissionPassword: ['string', 'owner'], Printing: ['long', 0], EnableCopyingOfContent: ['boolean', false] });
const OPEN_PASSWORD_FILTER = filterJson({ EncryptFile: ['boolean', true], DocumentOpenPassword: ['string', 'nianbao'] });

function failure(made: Record<string, unknown>, code: string): ExpectedSample {
  return { made, agency: null, year: null, template: null, status: 'failed', issues: [code], exactIssues: true };
}

async function failures(t: Tools, base: Buffer, tv: Record<string, string>): Promise<void> {
  // Encrypted with an open password.
  {
    const rep = generateReport(8, { template: '2021', activity: 0.4 });
    const pdf = printLibreOffice(t, 'encrypted', renderHtml(rep, { word: true }), OPEN_PASSWORD_FILTER);
    write('failed-encrypted', pdf, failure({ purpose: 'open password "nianbao" (LibreOffice export option)', seed: 8, tool: tv.libreoffice }, 'encrypted'));
  }
  // The first 40 % of a PDF: no cross-reference table, no trailer, most objects missing.
  {
    const cut = base.subarray(0, Math.floor(base.length * 0.4));
    write('failed-truncated', Buffer.from(cut), failure({ purpose: 'chromium-2021-word-vertical.pdf cut at 40 % of its bytes (an interrupted download)' }, 'corrupt'));
  }
  // A PDF header over bytes that are not a PDF.
  {
    const junk = Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251))]);
    write('failed-garbage', junk, failure({ purpose: 'a %PDF header followed by bytes that are no PDF objects' }, 'corrupt'));
  }
  // A scan: each page an image, no text layer; and the same with the portal's stamp as text.
  {
    const dir = mkdtempSync(join(t.tmp, 'scan-'));
    writeFileSync(join(dir, 'src.pdf'), base);
    execFileSync('pdftocairo', ['-png', '-gray', '-r', '40', '-f', '1', '-l', '2', join(dir, 'src.pdf'), join(dir, 'page')]);
    const imgs = readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
    const pageHtml = (stamp: boolean) => `<!DOCTYPE html><html><body style="margin:0">${imgs
      .map((f) => `<div style="position:relative;break-after:page">${stamp ? '<div style="position:absolute;top:4mm;left:10mm;font:8pt sans-serif">某某市人民政府门户网站 www.example.gov.cn</div>' : ''}<img style="width:100%;display:block" src="data:image/png;base64,${readFileSync(join(dir, f)).toString('base64')}"></div>`)
      .join('')}</body></html>`;
    for (const [name, stamp] of [['failed-scanned', false], ['failed-scanned-stamped', true]] as const) {
      const page = await (await t.browser()).newPage();
      await page.setContent(pageHtml(stamp), { waitUntil: 'load' });
      const pdf = await page.pdf({ format: 'A4', margin: { top: '0', bottom: '0', left: '0', right: '0' } });
      await page.close();
      const purpose = `two pages of chromium-2021-word-vertical.pdf as 40 dpi images, printed by Chromium: no text layer${stamp ? ', only a site stamp as text on each page' : ''}`;
      write(name, pdf, failure({ purpose, tool: tv.chromium }, 'no_text_layer'));
    }
  }
}

async function main(): Promise<void> {
  const only = process.argv[2];
  mkdirSync(OUT, { recursive: true });
  const t = tools();
  const tv = versions();
  try {
    let base: Buffer | null = null;
    for (const spec of SPECS) {
      if (only && !spec.name.includes(only)) continue;
      const pdf = await generated(t, spec, tv);
      if (spec.name === 'chromium-2021-word-vertical') base = pdf;
    }
    if (!only || only.startsWith('failed')) {
      base ??= readFileSync(join(OUT, 'chromium-2021-word-vertical.pdf'));
      await failures(t, base, tv);
    }
  } finally {
    await t.close();
  }
  for (const f of readdirSync(OUT).filter((n) => n.endsWith('.pdf'))) {
    if (statSync(join(OUT, f)).size > MAX_BYTES) console.warn(`warning: ${f} is over 300 KB`);
  }
}

await main();
