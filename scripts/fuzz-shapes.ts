/**
 * Per-shape measurement of converter and crawler renderings that real archives hold: for each
 * Markdown shape (test/fixtures/render-markdown.ts) and flattened-dump variant
 * (test/fixtures/render-flat.ts), N generated reports: fields exact, wrong (must be 0), records
 * valid, agency and year right. Usage: npx tsx scripts/fuzz-shapes.ts [N] [shape-filter]
 */
import { extractRecord } from '../src/extractor.js';
import { generateReport } from '../test/fixtures/report.js';
import { type MarkdownOptions, renderMarkdown } from '../test/fixtures/render-markdown.js';
import { renderHtml } from '../test/fixtures/render-html.js';
import { flatCase, renderFlat, wrongValues } from '../test/fixtures/render-flat.js';
import { MD_SHAPES, FLAT_SHAPES, TEXT_CELLS } from '../test/fixtures/shapes.js';

const N = Number(process.argv[2] ?? 20);
const filter = process.argv[3] ?? '';

async function measure(name: string, render: (s: number) => { text: string; rep: ReturnType<typeof generateReport> }, uri = 'x.txt') {
  let fields = 0, exact = 0, valid = 0, agency = 0, year = 0;
  const wrong: string[] = [];
  for (let s = 1; s <= N; s++) {
    const { text, rep } = render(s);
    const rec = await extractRecord(Buffer.from(text), { uri });
    for (const [k, v] of Object.entries(rep.values)) {
      fields++;
      if (k in rec.values && rec.values[k] === v) exact++;
    }
    wrong.push(...wrongValues(rec, rep).map((w) => `seed ${s} ${w}`));
    if (rec.status === 'valid') valid++;
    if (rec.agency === rep.agency) agency++;
    if (rec.year === rep.year) year++;
  }
  console.log(`${name.padEnd(44)} ${(100 * exact / fields).toFixed(2).padStart(6)}% exact  ${String(wrong.length).padStart(3)} wrong  valid ${valid}/${N}  agency ${agency}/${N}  year ${year}/${N}`);
  for (const w of wrong.slice(0, 5)) console.log('    WRONG', w);
}

for (const [name, shape] of MD_SHAPES) {
  if (!`md: ${name}`.includes(filter)) continue;
  await measure(`md: ${name}`, (s) => {
    const rep = generateReport(7200 + s, { blankZeros: s % 3 === 0 ? 0.2 : 0, changeWords: s % 5 === 0, fullWidth: s % 4 === 0, money: 'random' });
    return { rep, text: renderMarkdown(rep, { ...(shape as MarkdownOptions), typoSeed: s % 6 === 0 ? s : undefined }) };
  });
}
for (const [name, shape] of FLAT_SHAPES) {
  if (!`flat: ${name}`.includes(filter)) continue;
  await measure(`flat: ${name}`, (s) => {
    const { rep, opts } = flatCase(s);
    return { rep, text: renderFlat(rep, { ...opts, ...shape }) };
  });
}
// Text in value cells of tables with real cell boundaries: such a cell is read as no number.
for (const text of TEXT_CELLS) {
  const opts = (s: number) => ({ blankZeros: s % 3 === 0 ? 0.2 : 0, money: 'random' as const, textCells: { text } });
  for (const [name, md] of [['pipe', {}], ['Docling spans', { spans: 'repeat', padded: true }], ['MinerU HTML', { tables: 'html-mineru' }]] as [string, MarkdownOptions][]) {
    if (!`text ${text}: md ${name}`.includes(filter)) continue;
    await measure(`text ${text}: md ${name}`, (s) => {
      const rep = generateReport(7200 + s, opts(s));
      return { rep, text: renderMarkdown(rep, md) };
    });
  }
  if (!`text ${text}: html`.includes(filter)) continue;
  await measure(`text ${text}: html`, (s) => {
    const rep = generateReport(7200 + s, opts(s));
    return { rep, text: renderHtml(rep, { nbspBlanks: s % 2 === 0 }) };
  }, 'x.html');
}
