/**
 * How many fields of the generated flattened dumps no extractor can give, whatever it does: a
 * lower bound on the fields another document renders to the same text and would store
 * differently. Two kinds are counted:
 *  - a blank cell next to zeros (only zeros or blanks between them): the blank can sit at any of
 *    those positions, the run of digits and every identity (blank counts 0) stay the same;
 *  - a proactive row (no identity touches it) whose digits split several valid ways into its
 *    cells (no leading zero, thousands groups of three, a sign only on 本年增/减, blanks allowed
 *    where a count may be blank): each cell the valid splits disagree on.
 * The share of the remaining fields is the best exact rate possible on this corpus.
 * Usage: npx tsx scripts/flat-ceiling.ts [N]
 */
import { flatCase } from '../test/fixtures/render-flat.js';
import { reportRows } from '../test/fixtures/report.js';

const N = Number(process.argv[2] ?? 300);
const half = (s: string) => s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
const COUNT = /^(?:0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)$/;

/** The readings of a row with no identity: every way its text splits into valid cells. */
function splits(text: string, kinds: ('count' | 'change' | 'money')[]): (string | null)[][] {
  const out: (string | null)[][] = [];
  const cell = (s: string, kind: string) => {
    if (kind === 'money') return /^(?:0|[1-9]\d*)(?:\.\d+)?(?:元|万元)?$/.test(s);
    if (kind === 'change') return COUNT.test(s) || /^-[1-9]\d*$/.test(s) || /^(?:增加|减少)[1-9]\d*$/.test(s);
    return COUNT.test(s);
  };
  const walk = (pos: number, i: number, acc: (string | null)[]) => {
    if (i === kinds.length) {
      if (pos === text.length) out.push(acc.slice());
      return;
    }
    // A blank count cell leaves nothing (changes and amounts are never blank here).
    if (kinds[i] === 'count') walk(pos, i + 1, [...acc, null]);
    for (let end = pos + 1; end <= text.length; end++) {
      const s = text.slice(pos, end);
      if (cell(s, kinds[i]!)) walk(end, i + 1, [...acc, s]);
    }
  };
  walk(0, 0, []);
  return out;
}
const value = (s: string | null) => (s === null ? 'B' : String(Number(s.replace(/,/g, '').replace(/元|万元/, '').replace('增加', '').replace('减少', '-'))) + (s.includes('万元') ? 'w' : ''));

let total = 0;
let inherent = 0;
const byKind = new Map<string, number>();
for (let s = 1; s <= N; s++) {
  const { rep } = flatCase(s);
  const w = (f: string) => half(rep.written[f] ?? '');
  total += Object.keys(rep.values).length;
  const bad = new Set<string>();
  const runs: string[][] = reportRows(rep).filter((r) => !r.code.startsWith('proactive')).map((r) => r.fields);
  runs.push(Object.keys(rep.values).filter((f) => f.startsWith('review.') || f.startsWith('litigation.')));
  for (const fields of runs) {
    // Maximal stretches of zero-or-blank cells holding both a blank and a zero.
    let i = 0;
    while (i < fields.length) {
      if (!(rep.values[fields[i]!] === 0 || rep.values[fields[i]!] === null)) { i++; continue; }
      let j = i;
      while (j < fields.length && (rep.values[fields[j]!] === 0 || rep.values[fields[j]!] === null)) j++;
      const stretch = fields.slice(i, j);
      if (stretch.some((f) => rep.values[f] === null) && stretch.some((f) => rep.values[f] === 0)) for (const f of stretch) bad.add(f);
      i = j;
    }
  }
  for (const r of reportRows(rep).filter((x) => x.code.startsWith('proactive'))) {
    const kinds = r.fields.map((f) => (f.endsWith('.change') ? 'change' : f.endsWith('Yuan') ? 'money' : 'count') as 'count' | 'change' | 'money');
    const rs = splits(r.fields.map(w).join(''), kinds);
    r.fields.forEach((f, c) => {
      if (new Set(rs.map((x) => value(x[c]!))).size > 1) bad.add(f);
    });
  }
  for (const f of bad) byKind.set(`${s % 3 === 0 ? 'blanks' : 'no-blanks'} ${f.split('.')[0]}`, (byKind.get(`${s % 3 === 0 ? 'blanks' : 'no-blanks'} ${f.split('.')[0]}`) ?? 0) + 1);
  inherent += bad.size;
}
console.log(`${N} flattened reports: ${total} fields, at least ${inherent} (${((100 * inherent) / total).toFixed(2)}%) undecidable from the text; best possible exact ${((100 * (total - inherent)) / total).toFixed(2)}%`);
for (const [k, n] of [...byKind].sort((a, b) => b[1] - a[1])) console.log(`  ${n}\t${k}`);
