/**
 * Regenerates samples/html, samples/docx, samples/doc and samples/wps: generated reports
 * (test/fixtures/report.ts, whose values are known) rendered as portal pages
 * (test/fixtures/render-html.ts) in the encodings and markups real portals use, then converted
 * to Word formats — by LibreOffice (DOCX, .doc) and, for one DOCX, by the `docx` package writing
 * real gridSpan/vMerge merges. Each document gets its expected record beside it.
 *
 *   npx tsx scripts/samples/html-docx.ts            # needs LibreOffice (soffice) for the Word samples
 *
 * WPS: LibreOffice cannot write WPS. Modern WPS Office .wps files are OLE2 Word binaries that
 * carry WPS's markers (the "WPS Office" application/author name, the KSOProductBuildVer custom
 * property); the .wps sample is a LibreOffice .doc carrying those markers, not a file saved by
 * WPS Office. A plain .doc renamed .wps is included too: format is decided by content.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { load } from 'cheerio';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import iconv from 'iconv-lite';
import { findSoffice } from '../../src/extract/docx/soffice.js';
import { type GenerateOptions, type GeneratedReport, generateReport } from '../../test/fixtures/report.js';
import { type HtmlOptions, renderHtml } from '../../test/fixtures/render-html.js';
import { type ExpectedSample, expectedFromGenerated } from '../../test/helpers/samples.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SAMPLES = join(ROOT, 'samples');
const SCRIPT = 'scripts/samples/html-docx.ts';

interface Spec {
  name: string;
  seed: number;
  generate: GenerateOptions;
  render: HtmlOptions;
}

function write(kind: string, file: string, bytes: Uint8Array | string, expected: ExpectedSample): void {
  const dir = join(SAMPLES, kind);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), bytes);
  const base = file.slice(0, file.lastIndexOf('.'));
  writeFileSync(join(dir, `${base}.expected.json`), `${JSON.stringify(expected, null, 2)}\n`);
  console.log(`samples/${kind}/${file}`);
}

function report(spec: Spec): GeneratedReport {
  return generateReport(spec.seed, spec.generate);
}

/** Encode for a GBK page; every character of a report must survive, or the sample would lie. */
function gbk(html: string): Buffer {
  const bytes = iconv.encode(html, 'gbk');
  if (iconv.decode(bytes, 'gb18030') !== html) throw new Error('the page has characters GBK cannot encode');
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Page variations beyond the renderer's options

/**
 * What Word's "save as web page" adds around a report's cells: hidden bookmark text
 * (display:none;mso-hide:all), a zero-width placeholder cell at the end of header rows, and the
 * borderless spacer row that fixes column widths.
 */
function wordExportQuirks(html: string): string {
  const $ = load(html);
  $('table').each((_, t) => {
    const rows = $(t).find('tr');
    rows.first().append('<td style="mso-cell-special:placeholder;border:none;padding:0cm 0cm 0cm 0cm" width="0"><p class="MsoNormal">&nbsp;</p></td>');
    const widths = Array.from({ length: 16 }, () => '<td width="48" style="border:none"></td>').join('');
    $(t).find('tbody').last().append(`<tr height="0">${widths}</tr>`);
  });
  // A bookmark and a hidden field result inside value cells: invisible, so never part of a number.
  $('td').each((i, td) => {
    if (i % 7 === 3) $(td).append('<span style="display:none;mso-hide:all"><a name="_Toc1">8</a></span>');
  });
  $('head').append('<style>.print-only{display:none}</style>');
  $('body').prepend('<div class="print-only">打印版 2099年 0 0 0</div>');
  return $.html();
}

/** Navigation and side panels laid out as tables, as older portal templates do. */
function tableChrome(html: string): string {
  const $ = load(html);
  const menu = `<table class="menu" width="100%"><tr>${['首页', '政务公开', '政务服务', '互动交流', '走进本区'].map((m, i) => `<td><a href="/c${i}/">${m}</a></td>`).join('')}</tr></table>`;
  const side = '<table class="side" width="200"><tr><td><a href="/ndbg/2019/">2019年年报</a></td></tr><tr><td><a href="/ndbg/2018/">2018年年报</a></td></tr><tr><td>访问量</td><td>128345</td></tr></table>';
  const share = '<div class="share"><table><tr><td><a href="#">微信</a></td><td><a href="#">微博</a></td><td>【打印本页】</td><td>【关闭窗口】</td></tr></table></div>';
  $('body').prepend(menu);
  $('.article').before(side).after(share);
  return $.html();
}

/**
 * The renderer writes a two-value row of the four-column proactive table as two cells of
 * colspan="1.5". Browsers read that as 1 (and leave the fourth slot empty, which the HTML
 * samples keep); a word processor pads the row with a real empty fourth cell. Word files made
 * from the official template have the last value cell spanning two columns instead: that is
 * the layout given to the Word samples.
 */
function wholeColspans(html: string): string {
  const $ = load(html);
  $('tr').each((_, tr) => {
    const halves = $(tr).children('td[colspan="1.5"]');
    if (!halves.length) return;
    halves.attr('colspan', '1');
    halves.last().attr('colspan', String(1 + halves.length * 0.5));
  });
  return $.html();
}

// ---------------------------------------------------------------------------------------------
// LibreOffice

function soffice(args: string[], profile: string): void {
  const bin = findSoffice();
  if (!bin) throw new Error('LibreOffice (soffice) is needed for the Word samples');
  execFileSync(bin, ['--headless', '--norestore', `-env:UserInstallation=${pathToFileURL(profile).href}`, ...args], { stdio: 'pipe', timeout: 180_000 });
}

function sofficeVersion(): string {
  const bin = findSoffice();
  return bin ? execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim() : 'none';
}

/** HTML file → DOCX bytes (LibreOffice's Word 2007 filter). */
function htmlToDocxWithLibreOffice(html: string, name: string, work: string, profile: string): Buffer {
  const input = join(work, `${name}.html`);
  writeFileSync(input, html);
  soffice(['--convert-to', 'docx:MS Word 2007 XML', '--outdir', work, input], profile);
  return readFileSync(join(work, `${name}.docx`));
}

/** DOCX bytes → Word 97 .doc bytes. */
function docxToDoc(docx: Buffer, name: string, work: string, profile: string): Buffer {
  const dir = mkdtempSync(join(work, 'doc-'));
  const input = join(dir, `${name}.docx`);
  writeFileSync(input, docx);
  soffice(['--convert-to', 'doc', '--outdir', dir, input], profile);
  return readFileSync(join(dir, `${name}.doc`));
}

// ---------------------------------------------------------------------------------------------
// DOCX written by the `docx` package

/**
 * The report page's tables rebuilt as Word tables: colspan → gridSpan, rowspan → vMerge
 * (restart + continue cells, placed by the package), the first row of each table marked as a
 * repeated header row — which mammoth puts in <thead> while its merges run on into the body.
 */
async function docxFromHtml(html: string): Promise<Buffer> {
  const $ = load(html);
  const children: (Paragraph | Table)[] = [];
  $('body').children().each((_, el) => {
    const $el = $(el);
    if (el.name === 'h1') {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun($el.text())] }));
    } else if (el.name === 'p') {
      if ($el.text().trim()) children.push(new Paragraph($el.text()));
    } else if (el.name === 'table') {
      const rows = $el.find('tr').toArray().map((tr, r) =>
        new TableRow({
          ...(r === 0 ? { tableHeader: true } : {}),
          children: $(tr).children('td').toArray().map((td) => {
            const lines = $(td).html()!.split(/<br\s*\/?>/i).map((l) => load(l).text());
            return new TableCell({
              columnSpan: Number($(td).attr('colspan') ?? 1),
              rowSpan: Number($(td).attr('rowspan') ?? 1),
              children: [new Paragraph({ children: lines.map((l, i) => new TextRun({ text: l, break: i ? 1 : 0 })) })],
            });
          }),
        }));
      children.push(new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } }));
    }
  });
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

// ---------------------------------------------------------------------------------------------

const HTML_SAMPLES: (Spec & { encode?: 'gbk'; bom?: boolean; transform?: (h: string) => string; note: string })[] = [
  { name: 'utf8-2019-plain', seed: 101, generate: { template: '2019', money: 'yuan' }, render: {}, note: 'UTF-8 declared in <meta>, plain markup' },
  { name: 'utf8-2021-word-nbsp', seed: 102, generate: { template: '2021', otherAggregated: false, blankZeros: 0.3, fullWidth: true }, render: { word: true, nbspBlanks: true, verticalLabels: true }, note: 'Word-export markup, &nbsp; blanks, vertical labels, full-width digits' },
  { name: 'gbk-meta-2019-word', seed: 110, generate: { template: '2019', money: 'wan', changeWords: true }, render: { word: true, charset: 'gbk' }, encode: 'gbk', note: 'GBK, charset only in <meta http-equiv>' },
  { name: 'gbk-undeclared-2021', seed: 104, generate: { template: '2021', otherAggregated: false, blankZeros: 0.2 }, render: { charset: null }, encode: 'gbk', note: 'GBK with no charset declared anywhere' },
  { name: 'gb2312-chrome-2021-split', seed: 105, generate: { template: '2021', otherAggregated: false }, render: { chrome: true, splitAfter: 9, verticalLabels: true, charset: 'gb2312' }, encode: 'gbk', transform: tableChrome, note: 'portal chrome: menu, side and share tables, layout table, footer; applications table split in two' },
  { name: 'utf8-bom-2019-chrome', seed: 106, generate: { template: '2019', money: 'bare-wan' }, render: { chrome: true, charset: 'gbk' }, bom: true, note: 'UTF-8 with a BOM although the <meta> says GBK (the BOM wins)' },
  { name: 'blank-2019', seed: 107, generate: { template: '2019', activity: 0, blankZeros: 1 }, render: { word: true, nbspBlanks: true }, note: 'every zero count written as a blank cell' },
  { name: 'one-row-other-2021', seed: 108, generate: { template: '2021', otherAggregated: true }, render: { word: true }, note: '2021 format with （六）其他处理 printed as one row' },
  { name: 'word-export-quirks-2021', seed: 109, generate: { template: '2021', otherAggregated: false, blankZeros: 0.2 }, render: { word: true, nbspBlanks: true }, transform: wordExportQuirks, note: 'hidden bookmark text in cells, placeholder cells, spacer rows, a hidden print-only block' },
];

const DOCX_SAMPLES: (Spec & { note: string })[] = [
  { name: 'lo-2021-word', seed: 201, generate: { template: '2021', otherAggregated: false, blankZeros: 0.3 }, render: { word: true, nbspBlanks: true, verticalLabels: true }, note: 'LibreOffice from a Word-markup page' },
  { name: 'lo-2019-split', seed: 202, generate: { template: '2019', money: 'wan' }, render: { splitAfter: 7 }, note: 'LibreOffice; applications table split in two' },
  { name: 'lo-2021-one-row-other', seed: 203, generate: { template: '2021', otherAggregated: true }, render: {}, note: 'LibreOffice; （六） as one row' },
];

const DOCXJS_SAMPLES: (Spec & { note: string })[] = [
  { name: 'docxjs-2021-merges', seed: 301, generate: { template: '2021', otherAggregated: false, blankZeros: 0.2 }, render: { verticalLabels: true }, note: 'docx package: gridSpan/vMerge, first row a repeated header row' },
  { name: 'docxjs-2019-merges', seed: 302, generate: { template: '2019', money: 'yuan' }, render: {}, note: 'docx package: gridSpan/vMerge, first row a repeated header row' },
];

const DOC_SAMPLES: (Spec & { note: string })[] = [
  { name: 'lo-2019', seed: 401, generate: { template: '2019', money: 'wan' }, render: { word: true }, note: 'LibreOffice Word 97 binary via DOCX' },
  { name: 'lo-2021-blank', seed: 402, generate: { template: '2021', otherAggregated: false, activity: 0, blankZeros: 1 }, render: { word: true }, note: 'LibreOffice Word 97 binary; blank zero cells' },
];

const WPS_SAMPLES: (Spec & { markers: boolean; note: string })[] = [
  { name: 'wps-markers-2021', seed: 501, generate: { template: '2021', otherAggregated: false, blankZeros: 0.2 }, render: { word: true }, markers: true, note: 'OLE2 Word binary written by LibreOffice with the markers WPS Office writes (author "WPS Office", KSOProductBuildVer); not saved by WPS Office itself' },
  { name: 'doc-renamed-2019', seed: 502, generate: { template: '2019', money: 'random' }, render: {}, markers: false, note: 'a LibreOffice .doc renamed .wps: read by content as a .doc' },
];

/** Meta tags LibreOffice keeps as document properties, the way WPS Office labels its files. */
function withWpsMarkers(html: string): string {
  return html.replace('<head>', '<head><meta name="author" content="WPS Office"><meta name="KSOProductBuildVer" content="2052-11.1.0.14309">');
}

function clean(kind: string): void {
  const dir = join(SAMPLES, kind);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) rmSync(join(dir, f));
}

async function main(): Promise<void> {
  for (const kind of ['html', 'docx', 'doc', 'wps']) clean(kind);

  for (const s of HTML_SAMPLES) {
    const rep = report(s);
    let html = renderHtml(rep, s.render);
    if (s.transform) html = s.transform(html);
    const bytes = s.encode === 'gbk' ? gbk(html) : Buffer.concat([s.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(html, 'utf8')]);
    const made = { script: SCRIPT, seed: s.seed, generate: s.generate, render: s.render, encoding: s.encode ?? 'utf-8', bom: s.bom ?? false, transform: s.transform?.name ?? null, note: s.note, format: 'html' };
    write('html', `${s.name}.html`, bytes, expectedFromGenerated(rep, made));
  }

  const version = sofficeVersion();
  const work = mkdtempSync(join(tmpdir(), 'nianbao-samples-'));
  const profile = join(work, 'profile');
  try {
    for (const s of DOCX_SAMPLES) {
      const rep = report(s);
      const docx = htmlToDocxWithLibreOffice(wholeColspans(renderHtml(rep, s.render)), s.name, work, profile);
      write('docx', `${s.name}.docx`, docx, expectedFromGenerated(rep, { script: SCRIPT, seed: s.seed, generate: s.generate, render: s.render, transform: 'wholeColspans', converter: `${version}: html → docx (MS Word 2007 XML)`, note: s.note, format: 'docx' }));
    }
    for (const s of DOCXJS_SAMPLES) {
      const rep = report(s);
      const docx = await docxFromHtml(wholeColspans(renderHtml(rep, s.render)));
      write('docx', `${s.name}.docx`, docx, expectedFromGenerated(rep, { script: SCRIPT, seed: s.seed, generate: s.generate, render: s.render, transform: 'wholeColspans', converter: 'docx (npm) Packer, tables rebuilt from the rendered page', note: s.note, format: 'docx' }));
    }
    for (const s of DOC_SAMPLES) {
      const rep = report(s);
      const docx = htmlToDocxWithLibreOffice(wholeColspans(renderHtml(rep, s.render)), s.name, work, profile);
      const doc = docxToDoc(docx, s.name, work, profile);
      write('doc', `${s.name}.doc`, doc, expectedFromGenerated(rep, { script: SCRIPT, seed: s.seed, generate: s.generate, render: s.render, transform: 'wholeColspans', converter: `${version}: html → docx → doc (MS Word 97)`, note: s.note, format: 'doc' }));
    }
    for (const s of WPS_SAMPLES) {
      const rep = report(s);
      let html = wholeColspans(renderHtml(rep, s.render));
      if (s.markers) html = withWpsMarkers(html);
      const docx = htmlToDocxWithLibreOffice(html, s.name, work, profile);
      const doc = docxToDoc(docx, s.name, work, profile);
      write('wps', `${s.name}.wps`, doc, expectedFromGenerated(rep, { script: SCRIPT, seed: s.seed, generate: s.generate, render: s.render, transform: 'wholeColspans', converter: `${version}: html → docx → doc (MS Word 97), saved as .wps`, note: s.note, format: s.markers ? 'wps' : 'doc' }));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
