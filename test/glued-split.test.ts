/**
 * The glued-digit split search (match/candidates.ts) on flattened rows: long runs are searched to
 * the end within a bounded number of steps, and the readings are exactly those that keep the
 * row's identities.
 */
import { describe, expect, it } from 'vitest';
import { type LocalIdentity, rowReadings, slotNumber } from '../src/match/candidates.js';
import type { ValueCell } from '../src/match/units.js';
import { parseCell } from '../src/normalize/number.js';

const cell = (text: string): ValueCell => ({ cell: { text, row: 0, col: 0 }, parsed: parseCell(text), empty: false, table: 0 }) as unknown as ValueCell;
const numbers = (rd: ReturnType<typeof rowReadings>['readings'][number]) => rd.map((s) => (slotNumber(s) === null ? '_' : String(slotNumber(s)))).join(' ');
const ROW_TOTAL: LocalIdentity[] = [{ left: [0, 1, 2, 3, 4, 5], right: [6] }];
const REVIEW: LocalIdentity[] = [0, 5, 10].map((b) => ({ left: [b, b + 1, b + 2, b + 3], right: [b + 4] }));

/** Every reading by plain enumeration, for short runs: the reference the search must equal. */
function brute(digits: string, k: number, local: LocalIdentity[]): string[] {
  const out: string[] = [];
  const holds = (acc: (number | null)[]) => local.every((id) => Math.max(...id.left, ...id.right) >= acc.length || id.left.reduce((s, i) => s + (acc[i] ?? 0), 0) === id.right.reduce((s, i) => s + (acc[i] ?? 0), 0));
  const walk = (pos: number, acc: (number | null)[]) => {
    if (!holds(acc)) return;
    if (acc.length === k) {
      if (pos === digits.length) out.push(acc.map((v) => (v === null ? '_' : String(v))).join(' '));
      return;
    }
    if (acc.filter((v) => v === null).length < k - 1) walk(pos, [...acc, null]);
    for (let end = pos + 1; end <= digits.length; end++) {
      const part = digits.slice(pos, end);
      if (part.length > 1 && part.startsWith('0')) break;
      walk(end, [...acc, Number(part)]);
    }
  };
  walk(0, []);
  return out;
}

describe('splitting a flattened row', () => {
  it('finds the one reading of six 6-digit counts and their total glued together (42 digits), without giving up', () => {
    const vals = [172282, 295196, 153176, 127418, 904811, 93512];
    const text = [...vals, vals.reduce((a, b) => a + b, 0)].join('');
    const r = rowReadings([cell(text)], 7, { exact: false, blanksVanish: true, local: ROW_TOTAL });
    expect(r.truncated).toBe(false);
    expect(r.readings.map(numbers)).toEqual(['172282 295196 153176 127418 904811 93512 1746395']);
  });

  it('gives the same readings, in the same order, as plain enumeration (row totals and the review table)', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 40; n++) {
      let text = String(1 + Math.floor(rnd() * 9));
      const len = 3 + Math.floor(rnd() * 8);
      for (let j = 1; j < len; j++) text += String(Math.floor(rnd() * (rnd() < 0.6 ? 3 : 10)));
      for (const [k, local] of [[7, ROW_TOTAL], [15, REVIEW]] as const) {
        const r = rowReadings([cell(text)], k, { exact: false, blanksVanish: true, local: [...local] });
        expect(r.truncated).toBe(false);
        expect(r.readings.map(numbers), `${text} in ${k} cells`).toEqual(brute(text, k, [...local]));
      }
    }
  });

  it('in a dump that marks its blanks, places no blank elsewhere and reads a run of marks as one blank or more, one per character at most', () => {
    const marked = { exact: false, blanksVanish: true, blanksMarked: true, local: ROW_TOTAL };
    const marks = (n: number) => ({ ...cell('—'), parsed: { kind: 'blank', raw: '—'.repeat(n) }, run: n }) as ValueCell;
    const run = marks(3);
    // 0 23 ——— 0 23: three blanks there, none elsewhere (the total must be 23).
    expect(rowReadings([cell('023'), run, cell('023')], 7, marked).readings.map(numbers)).toEqual(['0 23 _ _ _ 0 23']);
    // Two marks before 5 zeros fill the row: exactly two blanks.
    expect(rowReadings([cell('00000'), marks(2)], 7, marked).readings.map(numbers)).toEqual(['0 0 0 0 0 _ _']);
  });
  it('in a flattened dump, splits a signed run with the sign on its first number, and puts no negative number outside a 增/减 column', () => {
    const opts = { exact: false, blanksVanish: true, local: [], flattened: { signed: [false, true, false] } };
    expect(rowReadings([cell('0'), cell('-916')], 3, opts).readings.map(numbers).sort()).toEqual(['0 -9 16', '0 -91 6', '0 -916 _']);
    expect(rowReadings([cell('37'), cell('减少80')], 3, opts).readings.map(numbers).sort()).toEqual(['37 -8 0', '37 -80 _']);
    // 增加9 is a change too: never the count after it, never the one before.
    expect(rowReadings([cell('112077'), cell('增加9')], 3, opts).readings.map(numbers)).toEqual(['112077 9 _']);
  });
  it('in a flattened dump, starts a number written with thousands separators 1 to 3 digits before its first separator, and no cell inside it', () => {
    const opts = { exact: false, blanksVanish: true, local: [], flattened: { signed: [false, false, false] } };
    // "7159,655" then "0": 7159655 is no number; 7 159655, 71 59655 or 715 9655, then 0.
    const grouped = { ...cell('7159655'), cell: { text: '7159655', row: 0, col: 0, grouped: 4 } } as unknown as ValueCell;
    expect(rowReadings([grouped, cell('0')], 3, opts).readings.map(numbers).sort()).toEqual(['7 159655 0', '71 59655 0', '715 9655 0']);
  });
});
