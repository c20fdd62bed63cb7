/**
 * The measurement behind the README's flattened-dump figures: 300 generated reports (both
 * templates, a third with blank cells, page chrome, spaces and typos in labels), flattened. No
 * value shown may differ from the truth; the share of fields given exactly is printed and held
 * at the level measured when this was written.
 */
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../src/extractor.js';
import { textToDoc } from '../src/extract/text.js';
import { flatCase, renderFlat, wrongValues } from './fixtures/render-flat.js';
import { FLAT_SHAPES } from './fixtures/shapes.js';
import { undecidable } from './fixtures/undecidable.js';

describe('300 flattened dumps', () => {
  it('no wrong value; fields given exactly', async () => {
    let fields = 0;
    let exact = 0;
    let undecided = 0;
    const wrong: string[] = [];
    for (let s = 1; s <= 300; s++) {
      const { rep, opts } = flatCase(s);
      const rec = await extractRecord(Buffer.from(renderFlat(rep, opts)), { uri: 'x.txt' });
      wrong.push(...wrongValues(rec, rep).map((w) => `seed ${s} ${w}`));
      undecided += undecidable(rep, opts.blankMark).size;
      for (const [k, v] of Object.entries(rep.values)) {
        fields++;
        if (rec.values[k] === v && k in rec.values) exact++;
      }
    }
    console.log(`flattened: ${fields} fields, ${((100 * exact) / fields).toFixed(2)}% exact (at most ${((100 * (fields - undecided)) / fields).toFixed(2)}% decidable), ${wrong.length} wrong`);
    expect(wrong).toEqual([]);
    // Measured 87.01% (scripts/fuzz-flat.ts 300). No extractor can pass 88.18%: the fields
    // test/fixtures/undecidable.ts shows undecidable from the text (a blank among zeros, proactive
    // rows and the review run that split several valid ways) are 11.82%, and vanished blanks make
    // more undecidable (scripts/flat-gap.ts lists the rest).
    expect(exact / fields).toBeGreaterThanOrEqual(0.870);
    expect(exact).toBeLessThanOrEqual(fields - undecided);
  }, 1_800_000);

  it.each(FLAT_SHAPES.slice(1))('crawler variant "%s": read as flattened, no wrong value', async (_, shape) => {
    let fields = 0;
    let exact = 0;
    for (let s = 1; s <= 6; s++) {
      const { rep, opts } = flatCase(s);
      const text = renderFlat(rep, { ...opts, ...shape });
      expect(textToDoc(text).method, `seed ${s}`).toBe('text:flattened');
      const rec = await extractRecord(Buffer.from(text), { uri: 'x.txt' });
      expect(wrongValues(rec, rep), `seed ${s}`).toEqual([]);
      expect([rec.agency, rec.year]).toEqual([rep.agency, rep.year]);
      for (const [k, v] of Object.entries(rep.values)) {
        fields++;
        if (k in rec.values && rec.values[k] === v) exact++;
      }
    }
    // Measured 85.96–93.07 % over these six (scripts/fuzz-shapes.ts 6 flat:); a line per row gave 76 % over 20 before it was seen as flattened.
    expect(exact / fields).toBeGreaterThan(0.85);
  }, 60_000);
});
