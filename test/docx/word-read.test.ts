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

describe('what the direct reader leaves to mammoth', () => {
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
