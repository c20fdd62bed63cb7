import { describe, expect, it } from 'vitest';
import { visibleLength } from '../../src/extract/html/chrome.js';

describe('visibleLength', () => {
  it('counts what stripping \\s leaves, for every BMP code unit', () => {
    const mismatches: number[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const s = `甲${String.fromCharCode(c)}1 ${String.fromCharCode(c)}`;
      if (visibleLength(s) !== s.replace(/\s+/g, '').length) mismatches.push(c);
    }
    expect(mismatches).toEqual([]);
  });

  it('counts a report line without its spaces, nbsp and ideographic spaces', () => {
    expect(visibleLength('\u3000\u3000（一）主动公开\u00a0 12\n')).toBe(9);
    expect(visibleLength('')).toBe(0);
  });
});
