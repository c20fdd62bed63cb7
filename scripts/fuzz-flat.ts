/**
 * Flattened-dump measurement: N generated reports (test/fixtures/render-flat.ts's flatCase),
 * fields exact, left out, wrong; the misses broken down by row group and by the issue that names
 * them; time per document. Usage: npx tsx scripts/fuzz-flat.ts [N] [from]
 */
import { extractRecord } from '../src/extractor.js';
import { flatCase, renderFlat, wrongValues } from '../test/fixtures/render-flat.js';

const N = Number(process.argv[2] ?? 100);
const from = Number(process.argv[3] ?? 1);
const verbose = process.env.VERBOSE === '1';
let fields = 0, exact = 0, ms = 0, cpu = 0;
const wrong: string[] = [];
const byGroup = new Map<string, number>();
const byCode = new Map<string, number>();
const byKind = new Map<string, number>();
const bySeed: [number, number][] = [];
const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
for (let s = from; s < from + N; s++) {
  const { rep, opts } = flatCase(s);
  const text = renderFlat(rep, opts);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const rec = await extractRecord(Buffer.from(text), { uri: 'x.txt' });
  ms += performance.now() - t0;
  const c = process.cpuUsage(c0);
  cpu += (c.user + c.system) / 1000;
  wrong.push(...wrongValues(rec, rep).map((w) => `seed ${s} ${w}`));
  let miss = 0;
  for (const [k, v] of Object.entries(rep.values)) {
    fields++;
    if (k in rec.values && rec.values[k] === v) { exact++; continue; }
    miss++;
    const g = k.split('.').slice(0, k.startsWith('applications') ? 3 : 2).join('.');
    inc(byGroup, `${rep.template} ${g}`);
    inc(byKind, `${s % 3 === 0 ? 'blanks' : 'no-blanks'} ${k.split('.')[0]}`);
    const codes = rec.issues.filter((i) => (i.fields ?? []).includes(k)).map((i) => i.code);
    inc(byCode, codes.join('+') || '(none)');
  }
  bySeed.push([s, miss]);
  if (verbose && miss) console.log(`seed ${s} ${rep.template} miss ${miss}: ${rec.issues.map((i) => `${i.code}[${(i.fields ?? []).length}]`).join(' ')}`);
}
console.log(`flattened ${N} (seeds ${from}..${from + N - 1}): ${fields} fields, ${(100 * exact / fields).toFixed(2)}% exact, ${wrong.length} wrong, ${(ms / N).toFixed(0)} ms/doc wall (${(1000 * N / ms).toFixed(1)} docs/s), ${(cpu / N).toFixed(0)} ms/doc cpu (${(1000 * N / cpu).toFixed(1)} docs/s)`);
for (const w of wrong.slice(0, 20)) console.log('  WRONG', w);
const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, n]) => `  ${n}\t${k}`).join('\n');
console.log('misses by row group:\n' + top(byGroup));
console.log('misses by issue:\n' + top(byCode));
console.log('misses by kind:\n' + top(byKind));
