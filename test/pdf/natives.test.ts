/**
 * Loading pdf.js's legacy build must not leave the process with its core-js stand-ins for
 * working built-ins (Array.prototype.push, JSON.parse, JSON.stringify are 3× slower as
 * JavaScript), while the methods it adds for pdf.js stay.
 */
import { describe, expect, it } from 'vitest';
import { keepingNatives } from '../../src/extract/pdf/natives.js';

describe('built-ins after loading pdf.js', () => {
  it('keeps the native push and JSON, and pdf.js works', async () => {
    const push = Array.prototype.push;
    const parse = JSON.parse;
    const stringify = JSON.stringify;
    const { pdfjs } = await import('../../src/extract/pdf/load.js');
    const lib = await pdfjs();
    expect(Array.prototype.push).toBe(push);
    expect(JSON.parse).toBe(parse);
    expect(JSON.stringify).toBe(stringify);
    expect(typeof (Promise as unknown as { withResolvers: unknown }).withResolvers).toBe('function');
    expect(typeof lib.getDocument).toBe('function');
  });

  it('puts back a replaced built-in and leaves an added one', async () => {
    const native = Array.prototype.includes;
    const { restored } = await keepingNatives(async () => {
      Object.defineProperty(Array.prototype, 'includes', { value: () => false, configurable: true, writable: true });
      Object.defineProperty(Array.prototype, 'nianbaoTest', { value: () => 1, configurable: true, writable: true });
    });
    try {
      expect(Array.prototype.includes).toBe(native);
      expect(restored).toEqual(['includes']);
      expect(typeof (Array.prototype as unknown as { nianbaoTest: unknown }).nianbaoTest).toBe('function');
    } finally {
      delete (Array.prototype as unknown as { nianbaoTest?: unknown }).nianbaoTest;
    }
  });
});
