/** Reading export files back as a researcher's tool would: an RFC 4180 CSV parser, written independently of the writer. */
import { readFileSync } from 'node:fs';

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      // CRLF ends the record; the LF is consumed next.
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface CsvFile {
  bom: boolean;
  header: string[];
  rows: Record<string, string>[];
  text: string;
}

export function readCsv(path: string): CsvFile {
  const raw = readFileSync(path, 'utf8');
  const bom = raw.startsWith('\uFEFF');
  const [header, ...body] = parseCsv(bom ? raw.slice(1) : raw);
  if (!header) throw new Error(`${path} is empty`);
  for (const r of body) if (r.length !== header.length) throw new Error(`${path}: a row has ${r.length} fields, the header ${header.length}`);
  return { bom, header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!]))), text: raw };
}
