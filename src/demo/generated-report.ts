/**
 * The sample portal's reports are generated, not copied: test/fixtures/report.ts makes random
 * reports whose every identity holds and whose exact values are known, so each record the demo
 * stores can be checked value by value. This module loads that generator (for the build script
 * only), writes a report's prose around its tables, and states the record a correct extraction
 * must give.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReportContent } from './report-html.js';

/** The generator's options this build uses (test/fixtures/report.ts GenerateOptions). */
export interface GenerateOptions {
  template: '2019' | '2021';
  otherAggregated?: boolean;
  blankZeros?: number;
  activity?: number;
  fullWidth?: boolean;
  money?: 'yuan' | 'wan' | 'bare-wan';
  changeWords?: boolean;
}

/** What the generator returns (test/fixtures/report.ts GeneratedReport). */
export interface GeneratedReport {
  template: '2019' | '2021';
  agency: string;
  year: number;
  otherAggregated: boolean;
  values: Record<string, number | null>;
  written: Record<string, string>;
  expectedIssues: string[];
}

export type Generate = (seed: number, opts: GenerateOptions) => GeneratedReport;

/**
 * The generator, loaded by path: the published build compiles src/ alone (rootDir src), so a
 * static import of test code would break it. The build script runs with tsx, which loads .ts.
 */
export async function loadGenerator(root: string): Promise<Generate> {
  const mod = (await import(pathToFileURL(join(root, 'test/fixtures/report.ts')).href)) as { generateReport: Generate };
  return mod.generateReport;
}

/** The pre-2019 report generator (test/fixtures/render-pre2019.ts), the part this build uses. */
export interface OldGenerator {
  generateOldReport(seed: number, opts: { year?: number; agency?: string; table?: boolean }): unknown;
  renderOldBody(rep: unknown): string;
}

export async function loadOldGenerator(root: string): Promise<OldGenerator> {
  return (await import(pathToFileURL(join(root, 'test/fixtures/render-pre2019.ts')).href)) as OldGenerator;
}

/** The flattened-dump renderer (test/fixtures/render-flat.ts), the part this build uses. */
export interface RenderFlat {
  renderFlat(rep: GeneratedReport, opts: { chrome?: boolean }): string;
}

export async function loadFlatRenderer(root: string): Promise<RenderFlat> {
  return (await import(pathToFileURL(join(root, 'test/fixtures/render-flat.ts')).href)) as RenderFlat;
}

/** What a correct extraction of a sample portal report gives. `issues` are the exact issue codes. */
export interface ExpectedRecord {
  status: 'valid' | 'flagged' | 'failed';
  agency: string | null;
  year: number | null;
  template: '2019' | '2021' | null;
  values: Record<string, number | null>;
  issues: string[];
}

/** A generated report under the agency and year its listing gives it. */
export function generateFor(generate: Generate, seed: number, opts: GenerateOptions, agency: string, year: number): GeneratedReport {
  return { ...generate(seed, opts), agency, year };
}

export function expectedOf(rep: GeneratedReport): ExpectedRecord {
  const blank = Object.values(rep.values).includes(null);
  return {
    status: 'valid',
    agency: rep.agency,
    year: rep.year,
    template: rep.template,
    values: rep.values,
    issues: [...rep.expectedIssues, ...(blank ? ['blank_cells'] : [])].sort(),
  };
}

/** A failed record: no values, the listing's agency and year as hints, one reason. */
export function expectedFailure(code: string, agency: string, year: number): ExpectedRecord {
  return { status: 'failed', agency, year, template: null, values: {}, issues: [code] };
}

/** The report's text around its tables, as annual reports word it. */
export function reportContent(rep: GeneratedReport, title: string): ReportContent {
  return {
    template: rep.template,
    heading: [title],
    intro: [
      '一、总体情况',
      `${rep.year}年，${rep.agency}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，全年通过门户网站主动公开政府信息。`,
      '（一）主动公开。围绕重点领域信息公开，及时发布规范性文件、财政预决算和重大项目信息。',
      '（二）依申请公开。严格按照法定时限答复，规范答复文书。',
    ],
    closing: [
      '五、存在的主要问题及改进情况',
      '一是公开内容的及时性还需加强；二是政策解读形式还不够丰富。下一步将加强培训，提升公开质量。',
      '六、其他需要报告的事项',
      '本年度未收取信息处理费。',
    ],
    cells: rep.written,
  };
}
