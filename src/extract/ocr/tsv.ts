/** Tesseract's TSV output → words with their boxes (pixels) and confidence (0–100). Pure. */

export interface OcrWord {
  text: string;
  /** Pixels, origin top-left. */
  left: number;
  top: number;
  width: number;
  height: number;
  conf: number;
  /** Block, paragraph and line numbers: words of one line share them. */
  line: string;
}

export function parseTsv(tsv: string): OcrWord[] {
  return parseTsvPages(tsv, 1)[0]!;
}

/**
 * The words of each of `pages` images read in one call (TSV's page_num counts them from 1). A
 * word's line is named as in a read of its image alone (page 1), so that both read the same.
 */
export function parseTsvPages(tsv: string, pages: number): OcrWord[][] {
  const out: OcrWord[][] = Array.from({ length: pages }, () => []);
  for (const row of tsv.split('\n')) {
    const f = row.split('\t');
    if (f.length < 12 || f[0] !== '5') continue;
    const text = f.slice(11).join('\t').trim();
    const conf = Number(f[10]);
    const page = out[Number(f[1]) - 1];
    if (!text || !(conf >= 0) || !page) continue;
    page.push({ text, left: Number(f[6]), top: Number(f[7]), width: Number(f[8]), height: Number(f[9]), conf, line: `1.${f[2]}.${f[3]}.${f[4]}` });
  }
  return out;
}
