/**
 * Every Word sample in samples/docx, samples/doc and samples/wps through the whole pipeline.
 * .doc and .wps need LibreOffice; without it those tests skip and say why.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { extractDocument } from '../../src/extract/index.js';
import { findSoffice } from '../../src/extract/docx/soffice.js';
import { RecordSchema } from '../../src/validate/schema.js';
import { assertSample, listSamples } from '../helpers/samples.js';

const SOFFICE = findSoffice();
if (!SOFFICE) console.warn('[nianbao] skipping .doc/.wps samples: LibreOffice (soffice) is not installed; set NIANBAO_SOFFICE to its path to run them');

/** LibreOffice needs seconds per file, more on a loaded machine. */
const CONVERT_TIMEOUT = 120_000;

function run(kind: string, timeout?: number) {
  const samples = listSamples(kind);
  it('are present', () => {
    expect(samples.length).toBeGreaterThanOrEqual(2);
  });
  it.each(samples.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const rec = await extractRecord(readFileSync(s.file), { uri: s.file });
    RecordSchema.parse(rec);
    // Format comes from the content: a .doc renamed .wps is still a .doc.
    expect(rec.source.format).toBe(s.expected.made.format);
    assertSample(rec, s.expected);
    for (const f of Object.keys(rec.values)) expect(rec.provenance?.[f], f).toBeDefined();
  }, timeout);
}

describe('DOCX samples', () => run('docx'));
describe.skipIf(!SOFFICE)('.doc samples (LibreOffice)', () => run('doc', CONVERT_TIMEOUT));
describe.skipIf(!SOFFICE)('.wps samples (LibreOffice)', () => run('wps', CONVERT_TIMEOUT));

describe('merged cells survive the Word route', () => {
  it.each(['lo-2021-word', 'docxjs-2021-merges'])('%s: the applications table keeps its vertical and horizontal merges', async (name) => {
    const s = listSamples('docx').find((x) => x.name === name)!;
    const doc = await extractDocument(readFileSync(s.file));
    expect(doc.method).toBe('docx:xml');
    const apps = doc.tables.find((t) => t.rows.some((r) => r.some((c) => c.text.includes('勾稽关系'))))!;
    const find = (text: string) => apps.rows.flat().find((c) => c.text.replace(/\s/g, '').startsWith(text))!;
    expect(find('（本列数据的勾稽关系')).toMatchObject({ row: 0, col: 0, rowSpan: 3, colSpan: 3 });
    expect(find('自然人')).toMatchObject({ row: 1, col: 3, rowSpan: 2 });
    expect(find('（三）不予公开')).toMatchObject({ col: 1, rowSpan: 8 });
    // A row under two merged group labels: its label at column 2, its 7 values after it.
    const row = apps.rows.find((r) => r[0]!.text.includes('2.其他法律行政法规禁止公开'))!;
    expect(row.map((c) => c.col)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
