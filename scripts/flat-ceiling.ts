/**
 * The best exact rate possible on the generated flattened corpus: the share of fields that
 * test/fixtures/undecidable.ts does not show undecidable from the text.
 * Usage: npx tsx scripts/flat-ceiling.ts [N]
 */
import { flatCase } from '../test/fixtures/render-flat.js';
import { undecidable } from '../test/fixtures/undecidable.js';

const N = Number(process.argv[2] ?? 300);
let total = 0;
let inherent = 0;
const byKind = new Map<string, number>();
for (let s = 1; s <= N; s++) {
  const { rep, opts } = flatCase(s);
  total += Object.keys(rep.values).length;
  const bad = undecidable(rep, opts.blankMark);
  for (const f of bad) {
    const k = `${s % 3 === 0 ? 'blanks' : 'no-blanks'} ${f.split('.')[0]}`;
    byKind.set(k, (byKind.get(k) ?? 0) + 1);
  }
  inherent += bad.size;
}
console.log(`${N} flattened reports: ${total} fields, at least ${inherent} (${((100 * inherent) / total).toFixed(2)}%) undecidable from the text; best possible exact ${((100 * (total - inherent)) / total).toFixed(2)}%`);
for (const [k, n] of [...byKind].sort((a, b) => b[1] - a[1])) console.log(`  ${n}\t${k}`);
