/**
 * HTML, DOCX, .doc and .wps extraction throughput over the samples (samples/html, docx, doc,
 * wps; plus the real 2021 template when ../shared is present): documents per second and the
 * peak resident memory of this process while each format ran. .doc/.wps time includes the
 * LibreOffice conversion; LibreOffice's own memory is in its process, not in the peak shown.
 */
import { readFileSync } from 'node:fs';
import { extractRecord } from '../src/extractor.js';
import { findSoffice } from '../src/extract/docx/soffice.js';
import { listSamples } from '../test/helpers/samples.js';
import { SHARED_DIR, sharedPath } from '../test/helpers/shared.js';

export interface FormatBench {
  documents: number;
  rounds: number;
  seconds: number;
  documentsPerSecond: number;
  /** Records that matched their expected status. */
  asExpected: number;
  peakRssMb: number;
}

export interface HtmlDocxBench {
  byFormat: Record<string, FormatBench | { skipped: string }>;
}

interface Doc {
  bytes: Buffer;
  status: string | null;
}

function corpus(kind: string): Doc[] {
  const docs = listSamples(kind).map((s) => ({ bytes: readFileSync(s.file), status: s.expected.status as string | null }));
  if (kind === 'docx' && SHARED_DIR) docs.push({ bytes: readFileSync(sharedPath('real-fetched/T2021_template.docx')), status: 'flagged' });
  return docs;
}

/** Highest RSS seen while `fn` runs, sampled every 5 ms (a document's peak is brief). */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakRssMb: peak / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

async function benchFormat(kind: string, rounds: number): Promise<FormatBench> {
  const docs = corpus(kind);
  // Warm-up (module loading, JIT; the first LibreOffice profile), untimed.
  await extractRecord(docs[0]!.bytes, { uri: kind });
  const { result, peakRssMb } = await withPeakRss(async () => {
    let asExpected = 0;
    const t0 = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) {
      for (const d of docs) {
        const rec = await extractRecord(d.bytes, { uri: kind });
        if (r === 0 && rec.status === d.status) asExpected++;
      }
    }
    return { asExpected, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  });
  const n = docs.length * rounds;
  return { documents: docs.length, rounds, seconds: result.seconds, documentsPerSecond: n / result.seconds, asExpected: result.asExpected, peakRssMb };
}

export async function benchHtmlDocx(): Promise<HtmlDocxBench> {
  const byFormat: HtmlDocxBench['byFormat'] = {};
  const soffice = findSoffice();
  for (const [kind, rounds] of [['html', 20], ['docx', 5], ['doc', 1], ['wps', 1]] as const) {
    if (!listSamples(kind).length) {
      byFormat[kind] = { skipped: `no samples in samples/${kind}` };
    } else if ((kind === 'doc' || kind === 'wps') && !soffice) {
      byFormat[kind] = { skipped: 'LibreOffice (soffice) is not installed' };
    } else {
      byFormat[kind] = await benchFormat(kind, rounds);
    }
  }
  return { byFormat };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchHtmlDocx(), null, 2));
}
