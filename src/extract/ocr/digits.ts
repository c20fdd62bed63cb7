/**
 * What OCR makes of digits, put right: the letters Tesseract confuses with digits in a cell that
 * holds a number (O → 0, l/I/| → 1, S → 5 …), full-width forms and Chinese commas. Only a cell
 * that is otherwise digits is read this way; a label is never touched. Pure.
 */

const CONFUSIONS: Record<string, string> = {
  O: '0', o: '0', D: '0', Q: '0', '〇': '0', '○': '0',
  l: '1', I: '1', '|': '1', i: '1', '!': '1', ']': '1', '[': '1',
  Z: '2', z: '2',
  S: '5', s: '5',
  B: '8',
  g: '9', q: '9',
  '，': ',', '、': ',', '．': '.', '。': '.',
};

/** A number's characters only (digits, one decimal point, thousands commas, a leading minus). */
const NUMBER = /^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

/**
 * The number a cell's OCR text spells, as plain digits ("1,234" → "1234"), or null when the text
 * is not one number once the usual confusions are undone.
 */
export function ocrNumber(text: string): string | null {
  let s = text.normalize('NFKC').replace(/\s+/g, '');
  if (!s) return null;
  // Only a token that is already mostly digits is a number misread; a word stays a word.
  const digits = [...s].filter((c) => c >= '0' && c <= '9').length;
  const mapped = [...s].map((c) => CONFUSIONS[c] ?? c).join('');
  // "O" or "l" alone in a value cell is a 0 or a 1 read as a letter.
  const short = s.length <= 2 && /^\d+$/.test(mapped);
  if (!short && (digits === 0 || digits < s.length / 2)) return null;
  s = mapped;
  if (!NUMBER.test(s)) return null;
  return s.replace(/,/g, '');
}
