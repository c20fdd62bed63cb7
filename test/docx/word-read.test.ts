/**
 * The direct DOCX reader (src/extract/docx/word-read.ts, word-html.ts) must write exactly the
 * HTML mammoth writes, so that records do not depend on which of the two read a document:
 * checked against mammoth itself on every DOCX sample, the real template, and generated
 * reports carrying the Word features reports use. What it leaves to mammoth must go there.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { docxToHtml } from '../../src/extract/docx/mammoth-html.js';
import { guardDocx } from '../../src/extract/docx/zip-guard.js';
import { readWordBody } from '../../src/extract/docx/word-read.js';
import { wordToHtml } from '../../src/extract/docx/word-html.js';
import { extractDocument } from '../../src/extract/index.js';
import { listSamples } from '../helpers/samples.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { wordVariant } from './word-variants.js';

const direct = (bytes: Uint8Array) => {
  const body = readWordBody(guardDocx(bytes, 1 << 30));
  return body && wordToHtml(body);
};

describe('the direct DOCX reader writes mammoth’s HTML', () => {
  const files = [...listSamples('docx').map((s) => s.file), ...(sharedAvailable() ? [sharedPath('real-fetched/T2021_template.docx')] : [])];
  it.each(files)('%s', async (file) => {
    const bytes = readFileSync(file);
    expect(direct(bytes)).toBe(await docxToHtml(bytes));
  });

  it.each([1, 2, 3, 4, 5, 6])('generated report %i (formatting, links, bookmarks, images, lists, merges, nested tables)', async (seed) => {
    const { bytes } = await wordVariant(seed);
    expect(direct(bytes)).toBe(await docxToHtml(bytes));
  });
});

/** A variant with `insert` put before the first paragraph's first run. */
async function withMarkup(insert: string): Promise<Buffer> {
  const { writeZip } = await import('./zip.js');
  const { bytes } = await wordVariant(4);
  const parts = [...guardDocx(bytes, 1 << 30).xml].map(([name, data]) => {
    if (name !== 'word/document.xml') return { name, data };
    const xml = data.toString('utf8').replace(/<w:p>(.*?)<w:r>/, (_m, pPr: string) => `<w:p>${pPr}${insert}<w:r>`);
    return { name, data: Buffer.from(xml, 'utf8') };
  });
  return writeZip(parts);
}

const MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"';

describe('markup read as mammoth reads it', () => {
  it('mc:AlternateContent: its fallback, in content and in properties (but not nested in a fallback)', async () => {
    const alt = (choice: string, fallback: string) => `<mc:AlternateContent ${MC}><mc:Choice Requires="w14">${choice}</mc:Choice><mc:Fallback>${fallback}</mc:Fallback></mc:AlternateContent>`;
    const bytes = await withMarkup(
      alt('<w:r><w:t>甲</w:t></w:r>', `<w:r><w:rPr>${alt('<w:i/>', '<w:b/>')}</w:rPr><w:t>乙</w:t></w:r>${alt('', '<w:r><w:t>丙</w:t></w:r>')}`) +
        `<w:r><w:rPr>${alt('<w:i/>', '<w:b/>')}</w:rPr><w:t>丁</w:t></w:r>`,
    );
    const html = direct(bytes);
    expect(html).toMatch(/乙丙<strong>丁/);
    expect(html).toBe(await docxToHtml(bytes));
  });

  it('a complex field: its result is text, its code is not', async () => {
    const bytes = await withMarkup('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>');
    expect(direct(bytes)).toBe(await docxToHtml(bytes));
  });
});

describe('what the direct reader leaves to mammoth', () => {
  it.each([
    ['a VML text box', `<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>`],
    ['a field hyperlink', '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://example.gov.cn/" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>链接</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'],
  ])('%s', async (_what, insert) => {
    const bytes = await withMarkup(insert);
    expect(direct(bytes)).toBeNull();
    expect((await extractDocument(bytes)).method).toBe('docx:mammoth');
  });

  it('a document with a footnote is read by mammoth', async () => {
    const { bytes } = await wordVariant(3, { fallback: true });
    expect(direct(bytes)).toBeNull();
    const doc = await extractDocument(bytes);
    expect(doc.method).toBe('docx:mammoth');
    expect(doc.tables.length).toBeGreaterThan(0);
  });

  it('a document.xml that is not well-formed goes to mammoth, which decides it is damaged', async () => {
    const { writeZip } = await import('./zip.js');
    const { bytes } = await wordVariant(2);
    const parts = [...guardDocx(bytes, 1 << 30).xml].map(([name, data]) => ({ name, data: name === 'word/document.xml' ? data.subarray(0, data.length - 40) : data }));
    const broken = writeZip(parts);
    expect(direct(broken)).toBeNull();
    await expect(extractDocument(broken)).rejects.toMatchObject({ code: 'corrupt' });
  });
});
