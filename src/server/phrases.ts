/**
 * Issue codes with a short human phrase beside them, from the codes' own descriptions
 * (ISSUE_CODES in the record contract): the first clause of each. Pure.
 */
import { ISSUE_CODES } from '../validate/schema.js';

const short = new Map(
  Object.entries(ISSUE_CODES).map(([code, text]) => {
    const first = text.split(/[;:(]|\.\s|\.$/)[0]!.trim();
    return [code, first.length > 70 ? `${first.slice(0, 67)}…` : first];
  }),
);

/** "blank_cells" → "Cells left blank in the source". Unknown codes give the code. */
export function issueShort(code: string): string {
  return short.get(code) ?? code;
}

/** "blank_cells: Cells left blank in the source". */
export function issuePhrase(code: string): string {
  const s = short.get(code);
  return s ? `${code}: ${s}` : code;
}
