/**
 * recordLine (src/pool/tasks.ts) encodes a record's JSON text itself rather than with TextEncoder:
 * its bytes must be TextEncoder's, whatever the text holds.
 */
import { describe, expect, it } from 'vitest';
import { recordLine } from '../../src/pool/tasks.js';
import type { NianbaoRecord } from '../../src/validate/schema.js';

const asRecord = (agency: unknown) => ({ status: 'valid', agency, values: { 'a.b': 1 } }) as unknown as NianbaoRecord;
const textEncoder = (r: NianbaoRecord) => new TextEncoder().encode(`${JSON.stringify(r)}\n`);

describe('recordLine', () => {
  it('makes the bytes TextEncoder makes of the JSON text and a newline', () => {
    const texts = [
      '',
      'plain ASCII',
      '雷州市科工贸和信息化局'.repeat(2_000),
      'Latin-1: café ÿ and NUL \u0000, DEL \u007f, NBSP \u00a0',
      'astral: 𠀀𪚥😀 and U+2028 \u2028 U+FEFF \ufeff U+FFFF \uffff',
      'lone surrogates: \ud800 x \udfff y \udc00\ud800',
      'quotes " and backslash \\ and control \n\t\u001f',
    ];
    for (const t of texts) {
      const r = asRecord(t);
      const { status, line } = recordLine(r);
      expect(status).toBe('valid');
      expect(Buffer.from(line).equals(Buffer.from(textEncoder(r)))).toBe(true);
      expect(JSON.parse(new TextDecoder().decode(line))).toEqual(JSON.parse(JSON.stringify(r)));
    }
  });
});
