/**
 * Reports whose exact record is known, to put on a faulty portal beside the faults: the run must
 * store each of them exactly right whatever fails next to it. Generated HTML pages
 * (test/fixtures) and the committed PDF/DOCX samples with their expected records.
 */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { expect } from 'vitest';
import type { StoredRecord } from '../../src/store/index.js';
import { type GenerateOptions, generateReport } from '../fixtures/report.js';
import { renderHtml } from '../fixtures/render-html.js';
import { listSamples } from '../helpers/samples.js';

export interface KnownReport {
  agency: string;
  year: number;
  format: 'html' | 'pdf' | 'docx';
  bytes: Buffer;
  /** The Content-Type a well-behaved server sends for it. */
  type: string;
  expected: { status: 'valid' | 'flagged'; template: '2019' | '2021'; values: Record<string, number | null> };
}

/** A generated report as a portal article page (Word markup, portal chrome). `gbk`: GBK bytes, no charset anywhere. */
export function htmlReport(seed: number, agency: string, year: number, opts: { generate?: GenerateOptions; gbk?: boolean } = {}): KnownReport {
  const rep = { ...generateReport(seed, { template: year >= 2021 ? '2021' : '2019', otherAggregated: false, ...opts.generate }), agency, year };
  const html = renderHtml(rep, { word: true, chrome: true, charset: opts.gbk ? null : 'utf-8' });
  const bytes = opts.gbk ? iconv.encode(html, 'gbk') : Buffer.from(html, 'utf8');
  return { agency, year, format: 'html', bytes, type: 'text/html', expected: { status: 'valid', template: rep.template, values: rep.values } };
}

const TYPES = { pdf: 'application/pdf', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' } as const;

/** A committed sample (samples/pdf, samples/docx) with the record its .expected.json states. */
export function sampleReport(kind: 'pdf' | 'docx', name: string): KnownReport {
  const s = listSamples(kind).find((x) => x.name === name);
  if (!s) throw new Error(`no sample ${kind}/${name}`);
  const e = s.expected;
  if (e.status === 'failed' || !e.values || !e.template || !e.agency || !e.year) throw new Error(`${kind}/${name} is not a readable report`);
  return { agency: e.agency, year: e.year, format: kind, bytes: readFileSync(s.file), type: TYPES[kind], expected: { status: e.status, template: e.template, values: e.values } };
}

/** A file of the committed samples, as bytes (the failed PDFs, a DOCX to repack…). */
export function sampleBytes(kind: 'pdf' | 'docx', name: string): Buffer {
  const s = listSamples(kind).find((x) => x.name === name);
  if (!s) throw new Error(`no sample ${kind}/${name}`);
  return readFileSync(s.file);
}

/** The stored record is exactly the known report's. */
export function expectKnown(stored: StoredRecord | null, known: KnownReport, url: string): void {
  expect(stored, `no record for ${url}`).not.toBeNull();
  const r = stored!.record;
  expect({ status: r.status, agency: r.agency, year: r.year, template: r.template }, url).toEqual({ status: known.expected.status, agency: known.agency, year: known.year, template: known.expected.template });
  expect(r.values, url).toEqual(known.expected.values);
}
