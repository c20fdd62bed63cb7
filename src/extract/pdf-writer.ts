/**
 * A PDF written object by object — numbered objects, then the cross-reference table and the
 * trailer — for the image-only PDFs nianbao makes of pictures (image-pdf.ts) and the scans the
 * test fixtures make. Objects are written in the order given; their numbers are the caller's.
 */
export class PdfWriter {
  private readonly parts: Buffer[] = [];
  private readonly offsets: number[] = [];
  private length = 0;

  constructor() {
    this.push('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n');
  }

  private push(b: Uint8Array | string): void {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    this.parts.push(buf);
    this.length += buf.length;
  }

  /** Object `n`: its body's parts, strings as Latin-1 (a stream's bytes as they are). */
  obj(n: number, ...body: (Uint8Array | string)[]): void {
    this.offsets[n] = this.length;
    this.push(`${n} 0 obj\n`);
    for (const b of body) this.push(b);
    this.push('\nendobj\n');
  }

  /** The file: objects 1 to `size - 1` must all have been written; object 1 is the catalog. */
  finish(size: number): Buffer {
    const xref = this.length;
    this.push(`xref\n0 ${size}\n0000000000 65535 f \n`);
    for (let i = 1; i < size; i++) this.push(`${String(this.offsets[i]).padStart(10, '0')} 00000 n \n`);
    this.push(`trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
    return Buffer.concat(this.parts);
  }
}
