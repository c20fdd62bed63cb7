/**
 * `npm run bench`: every benchmark, one after another, printed as a table and written to
 * bench/results.json. Benchmarks that need a tool or service that is missing say so and are skipped.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Bench = { name: string; run: () => Promise<unknown> };

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

async function optional(path: string, fn: string): Promise<(() => Promise<unknown>) | null> {
  try {
    const mod = (await import(path)) as Record<string, () => Promise<unknown>>;
    return mod[fn] ?? null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return null;
    throw err;
  }
}

const benches: Bench[] = [];
for (const [name, path, fn] of [
  ['formats', './formats.ts', 'benchFormats'],
  ['text', './text.ts', 'benchText'],
  ['text-distinct', './text.ts', 'benchTextDistinct'],
  ['pdf', './pdf.ts', 'benchPdf'],
  ['pdf-goal', './pdf-goal.ts', 'benchPdfGoal'],
  ['goal', './goal.ts', 'benchGoal'],
  ['ocr', './ocr.ts', 'benchOcr'],
  ['html-docx', './html-docx.ts', 'benchHtmlDocx'],
  ['crawl', './crawl.ts', 'benchCrawl'],
  ['pipeline', './pipeline.ts', 'benchPipeline'],
  ['farm', './farm.ts', 'benchFarm'],
  ['memory', './memory.ts', 'benchMemory'],
  ['run-memory', './run-memory.ts', 'benchRunMemory'],
  ['distributed', './distributed.ts', 'benchDistributed'],
  ['panel', './panel.ts', 'benchPanel'],
] as const) {
  if (only.length && !only.includes(name)) continue;
  const run = await optional(path, fn);
  if (run) benches.push({ name, run });
}

const results: Record<string, unknown> = {};
for (const b of benches) {
  process.stdout.write(`\n## ${b.name}\n`);
  const t0 = Date.now();
  try {
    results[b.name] = await b.run();
    console.log(JSON.stringify(results[b.name], null, 2));
  } catch (err) {
    results[b.name] = { error: err instanceof Error ? err.message : String(err) };
    console.log(`skipped: ${(results[b.name] as { error: string }).error}`);
  }
  console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
writeFileSync(join(here, 'results.json'), `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2)}\n`);
