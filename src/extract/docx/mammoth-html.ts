/**
 * DOCX bytes → HTML with mammoth: paragraphs, headings and tables with Word's merges as
 * colspan (gridSpan) and rowspan (vMerge). Images are not read (a report's numbers are never in
 * them, and decoding them is most of the memory a large document costs); linked external files
 * are never fetched.
 */
import mammoth from 'mammoth';
import { ExtractError } from '../errors.js';

const skipImages = mammoth.images.imgElement(async () => ({ src: '' }));

export async function docxToHtml(bytes: Uint8Array): Promise<string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const result = await mammoth.convertToHtml({ buffer }, { convertImage: skipImages, externalFileAccess: false });
    return result.value;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new ExtractError('corrupt', `The Word (.docx) file could not be read: ${message.split('\n')[0]}`, { cause: err });
  }
}
