/**
 * PDF test helpers: running code under one PDF engine (or other env settings), and writing small
 * PDFs whose cross-reference offsets are right, so that every engine opens them without repair.
 */

/**
 * Run `run` with these environment variables set (undefined: unset), and put them back after,
 * whatever happens. A parse pool reads the engine when it is created and its threads copy the
 * environment when they start: create and use the pool inside.
 */
export async function withEnv<T>(vars: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  set(vars);
  try {
    return await run();
  } finally {
    set(before);
  }
}

/** Run `run` with NIANBAO_PDF_ENGINE set to `engine`. */
export function withEngine<T>(engine: 'pdfjs' | 'pdfium' | 'mupdf' | 'auto', run: () => Promise<T>): Promise<T> {
  return withEnv({ NIANBAO_PDF_ENGINE: engine }, run);
}

/** A one-page PDF: its media box, /Rotate, and content stream (Helvetica as /F1). */
export function onePagePdf({ box = [0, 0, 595, 842], rotate = 0, content = '' }: { box?: readonly number[]; rotate?: number; content?: string } = {}): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [${box.join(' ')}] /Rotate ${rotate} /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

/**
 * A page of `n` small filled rectangles under a line of text: every engine keeps each as an
 * object, so the engine's memory and time grow with n (PDFium: ~110 MB of wasm memory at 300,000).
 */
export function manyRectsPdf(n: number): Uint8Array {
  const rects = Array.from({ length: n }, (_, i) => `${i % 500} ${i % 700} 1 1 re f`).join('\n');
  return onePagePdf({ content: `BT /F1 12 Tf 72 720 Td (Hello 1 2 3) Tj ET\n${rects}` });
}
