/**
 * Text-dump extraction throughput on a fixed corpus: the seeds and real pdftotext dumps (when
 * ../shared is present) plus generated reports in every dump style, always the same seeds.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { extractRecord } from '../src/extractor.js';
import { generateReport } from '../test/fixtures/report.js';
import { renderCellPerLine, renderLayout, renderRaw, renderTabRows } from '../test/fixtures/render-text.js';
import { SHARED_DIR } from '../test/helpers/shared.js';
import { flatCase, renderFlat } from '../test/fixtures/render-flat.js';
import { renderMarkdown } from '../test/fixtures/render-markdown.js';

export interface TextBench {
  documents: number;
  seconds: number;
  recordsPerSecond: number;
  byStyle: Record<string, { documents: number; recordsPerSecond: number; valid: number }>;
  peakRssMb: number;
}

function corpus(): Record<string, Buffer[]> {
  const out: Record<string, Buffer[]> = { tab: [], cell: [], layout: [], raw: [], markdown: [], flattened: [], real: [] };
  for (let s = 1; s <= 50; s++) {
    const rep = generateReport(1000 + s, { blankZeros: s % 4 === 0 ? 0.1 : 0 });
    out.tab!.push(Buffer.from(renderTabRows(rep, { pageBreakAfter: 8 })));
    out.cell!.push(Buffer.from(renderCellPerLine(rep)));
    out.layout!.push(Buffer.from(renderLayout(rep)));
    out.raw!.push(Buffer.from(renderRaw(rep, { valuesFirstSeed: s })));
    out.markdown!.push(Buffer.from(renderMarkdown(rep, { split: s % 2 === 0 })));
  }
  // Flattened dumps: the first 50 of the 300 that test/flattened.slow.test.ts measures.
  for (let s = 1; s <= 50; s++) {
    const { rep, opts } = flatCase(s);
    out.flattened!.push(Buffer.from(renderFlat(rep, opts)));
  }
  if (SHARED_DIR) {
    for (const f of readdirSync(join(SHARED_DIR, 'seeds'))) out.real!.push(readFileSync(join(SHARED_DIR, 'seeds', f)));
    for (const f of ['009', '010', '011']) out.real!.push(readFileSync(join(SHARED_DIR, 'real-fetched', `${f}.pdftext.txt`)));
    for (const f of ['pingtan-2019', 'pingtan-2023']) out.flattened!.push(readFileSync(join(SHARED_DIR, 'real-flattened', `${f}.txt`)));
  }
  return out;
}

export async function benchText(rounds = 3): Promise<TextBench> {
  const docs = corpus();
  let peak = process.memoryUsage().rss;
  const byStyle: TextBench['byStyle'] = {};
  let total = 0;
  let seconds = 0;
  for (const [style, files] of Object.entries(docs)) {
    if (!files.length) continue;
    // Warm-up round (JIT), then timed rounds.
    for (const b of files) await extractRecord(b, { uri: style });
    let valid = 0;
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) {
      for (const b of files) {
        const rec = await extractRecord(b, { uri: style });
        if (r === 0 && rec.status === 'valid') valid++;
      }
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    byStyle[style] = { documents: files.length, recordsPerSecond: (files.length * rounds) / s, valid };
    total += files.length * rounds;
    seconds += s;
  }
  return { documents: total, seconds, recordsPerSecond: total / seconds, byStyle, peakRssMb: peak / 2 ** 20 };
}
