import { extractRecord } from '../src/extractor.js';
import { generateReport, type GenerateOptions } from '../test/fixtures/report.js';
import { renderCellPerLine, renderLayout, renderRaw, renderTabRows, type TextOptions } from '../test/fixtures/render-text.js';

const N = Number(process.argv[2] ?? 50);
const only = process.argv[3];
const styles: Record<string, (r: any, o: TextOptions) => string> = {
  tab: renderTabRows, cell: renderCellPerLine, layout: renderLayout, raw: renderRaw,
  glued: (r, o) => renderRaw(r, { ...o, glue: true }),
};
for (const [name, render] of Object.entries(styles)) {
  if (only && name !== only) continue;
  let exact = 0, valid = 0, silent = 0, failed = 0, right = 0, wrong = 0, out = 0, total = 0, unnamed = 0;
  const problems: string[] = [];
  for (let s = 1; s <= N; s++) {
    const g: GenerateOptions = { blankZeros: s % 3 === 0 ? 0.3 : 0, fullWidth: s % 7 === 0, changeWords: s % 5 === 0 };
    const rep = generateReport(s, g);
    const o: TextOptions = { pageBreakAfter: s % 2 ? 5 + (s % 15) : undefined, verticalGroup: s % 4 === 0, typoSeed: s % 6 === 0 ? s : undefined, valuesFirstSeed: s % 3 === 1 ? s : undefined };
    const text = render(rep, o);
    const rec = await extractRecord(Buffer.from(text), { uri: `gen-${name}-${s}` });
    const same = JSON.stringify(rec.values) === JSON.stringify(rep.values) && rec.agency === rep.agency && rec.year === rep.year && rec.template === rep.template;
    for (const [k, v] of Object.entries(rep.values)) {
      total++;
      if (!(k in rec.values)) out++;
      else if (rec.values[k] === v) right++;
      else {
        wrong++;
        if (!rec.issues.some((i) => i.severity === 'error' && (i.fields ?? []).includes(k))) {
          unnamed++;
          problems.push(`UNNAMED seed ${s}: ${k} got ${rec.values[k]} want ${v}`);
        }
      }
    }
    if (same) exact++;
    if (rec.status === 'valid') valid++;
    if (rec.status === 'failed') failed++;
    if (rec.status === 'valid' && !same) {
      silent++;
      const diff = Object.keys({ ...rep.values, ...rec.values }).filter((k) => rec.values[k] !== rep.values[k]).slice(0, 5).map((k) => `${k}: got ${rec.values[k]} want ${rep.values[k]}`);
      problems.push(`SILENT seed ${s}: ${rec.agency}/${rep.agency} ${rec.year}/${rep.year} ${rec.template}/${rep.template} ${diff.join('; ')}`);
    } else if (!same && problems.length < 6) {
      problems.push(`seed ${s} ${rec.status}: ${rec.issues.map((i) => i.code + ':' + i.message.slice(0, 140)).join(' | ')}`);
    }
  }
  console.log(`${name}: exact ${exact}/${N}, valid ${valid}, failed ${failed}, SILENT ${silent} | fields right ${(100*right/total).toFixed(2)}% left-out ${(100*out/total).toFixed(2)}% wrong ${(100*wrong/total).toFixed(3)}% (${wrong}, unnamed ${unnamed})`);
  for (const p of problems.slice(0, 8)) console.log('   ' + p);
}
