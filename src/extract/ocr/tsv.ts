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
  const words: OcrWord[] = [];
  for (const row of tsv.split('\n')) {
    const f = row.split('\t');
    if (f.length < 12 || f[0] !== '5') continue;
    const text = f.slice(11).join('\t').trim();
    const conf = Number(f[10]);
    if (!text || !(conf >= 0)) continue;
    words.push({ text, left: Number(f[6]), top: Number(f[7]), width: Number(f[8]), height: Number(f[9]), conf, line: `${f[1]}.${f[2]}.${f[3]}.${f[4]}` });
  }
  return words;
}
