/**
 * Who published a report, and where: generated reports of agencies of every level (central,
 * province, prefecture, county, township, and names without a place), each naming its agency in
 * the title, in an opening sentence, only in its signature, only in the listing, or nowhere —
 * rendered as text dumps. The agency must come back exactly as printed wherever the report prints
 * it, null and flagged where nothing does; the region codes must be right wherever the name or
 * the portal determines them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../src/extractor.js';
import type { BuildHints } from '../src/record/build.js';
import { RecordSchema, type NianbaoRecord } from '../src/validate/schema.js';
import { AGENCIES, type AgencyCase, type ExpectedRegion, PLACEMENTS, type Placement } from './fixtures/agencies.js';
import { generateReport } from './fixtures/report.js';
import { sharedAvailable, sharedPath } from './helpers/shared.js';
import { type TextOptions, renderCellPerLine, renderRaw, renderTabRows } from './fixtures/render-text.js';

const RENDERERS: [string, (rep: ReturnType<typeof generateReport>, o: TextOptions) => string][] = [
  ['tab rows', renderTabRows],
  ['one cell per line', renderCellPerLine],
  ['pdftotext -raw', renderRaw],
];

function regionOf(r: NianbaoRecord): ExpectedRegion | null {
  const g = r.region;
  if (!g) return null;
  return {
    code: g.code,
    level: g.level,
    province: g.province?.code ?? null,
    prefecture: g.prefecture?.code ?? null,
    county: g.county?.code ?? null,
    ...(g.township ? { township: g.township.name } : {}),
  };
}

/** Each case is extracted once; the tests below read the same records. */
const extracted = new Map<number, Promise<{ rec: NianbaoRecord; year: number }>>();

function extractCase(c: AgencyCase, p: Placement, k: number): Promise<{ rec: NianbaoRecord; year: number }> {
  if (!extracted.has(k)) extracted.set(k, extractFresh(c, p, k));
  return extracted.get(k)!;
}

async function extractFresh(c: AgencyCase, p: Placement, k: number): Promise<{ rec: NianbaoRecord; year: number }> {
  const rep = generateReport(500 + k, { template: k % 2 ? '2021' : '2019' });
  const [, render] = RENDERERS[k % RENDERERS.length]!;
  const text = render(rep, p.text(c.agency, rep.year));
  const hints: BuildHints = {};
  if (p.listed) hints.agency = c.agency;
  if (c.portal) hints.portal = { id: 'p', region: c.portal };
  const rec = await extractRecord(Buffer.from(text, 'utf8'), { uri: `https://example.gov.cn/${k}.txt`, hints });
  RecordSchema.parse(rec);
  return { rec, year: rep.year };
}

const cases = AGENCIES.flatMap((c, i) => PLACEMENTS.map((p, j) => ({ c, p, k: i * PLACEMENTS.length + j, label: `${c.agency} — ${p.name}` })));

describe('agency, region and type over generated reports', () => {
  it.each(cases)('$label', async ({ c, p, k }) => {
    const { rec, year } = await extractCase(c, p, k);
    expect(rec.year).toBe(year);
    // Numbers are unaffected by where the agency is named.
    expect(rec.template).not.toBeNull();
    if (p.source === null) {
      expect(rec.agency).toBeNull();
      expect(rec.status).toBe('flagged');
      expect(rec.issues.find((i) => i.code === 'agency_missing')?.severity).toBe('error');
      expect(rec.agencyKey).toBeNull();
      // The portal still says where the report is from.
      expect(regionOf(rec)).toEqual(c.portal ? c.region : null);
      return;
    }
    expect(rec.agency).toBe(c.agency);
    expect(rec.metaSources?.agency).toBe(p.source);
    expect(rec.status).toBe('valid');
    expect(regionOf(rec)).toEqual(c.region);
    expect(rec.region?.source).toBe(c.portal ? 'portal' : 'agency');
    expect(rec.agencyType).toBe(c.type);
  });

  it('gives one body one key, however the report names it', async () => {
    for (const [i, c] of AGENCIES.entries()) {
      const keys = new Set<string | null>();
      for (const [j, p] of PLACEMENTS.entries()) {
        if (p.source === null) continue;
        keys.add((await extractCase(c, p, i * PLACEMENTS.length + j)).rec.agencyKey ?? null);
      }
      expect([...keys], c.agency).toHaveLength(1);
      const [key] = keys;
      expect(key, c.agency).toMatch(c.region.level === 'national' ? /^000000:/ : new RegExp(`^${c.region.code}:`));
    }
  });

  it('counts: every placement that prints the agency gives it back exactly', async () => {
    let printed = 0;
    let exact = 0;
    let nulls = 0;
    for (const { c, p, k } of cases) {
      const { rec } = await extractCase(c, p, k);
      if (p.source === null) {
        if (rec.agency === null && rec.status === 'flagged') nulls++;
        continue;
      }
      printed++;
      if (rec.agency === c.agency) exact++;
    }
    expect(exact).toBe(printed);
    expect(nulls).toBe(AGENCIES.length);
  });
});

describe.skipIf(!sharedAvailable())('real reports', () => {
  const read = (rel: string) => readFileSync(sharedPath(rel), 'utf8');

  it.each([
    ['seeds/000_fe63b0f92ece0c02.txt', '广州市黄埔区商务局 开发区商务局', { code: '440112', level: 'county', province: '440000', prefecture: '440100', county: '440112' }],
    ['seeds/001_bb53b48cecce1603.txt', '湛江奋勇高新区招商服务局', { code: '440800', level: 'prefecture', province: '440000', prefecture: '440800', county: null }],
    ['seeds/002_c8ae97ba96c85194.txt', '南通市海门区商务局', { code: '320614', level: 'county', province: '320000', prefecture: '320600', county: '320614' }],
    ['seeds/003_d14d7889243b97c8.txt', '雷州市科工贸和信息化局', { code: '440882', level: 'county', province: '440000', prefecture: '440800', county: '440882' }],
    ['seeds/004_646b8e8d4d5b8db8.txt', '经济技术开发区管理办公室', null],
    ['real-fetched/009.pdftext.txt', '淮安市人民政府', { code: '320800', level: 'prefecture', province: '320000', prefecture: '320800', county: null }],
    ['real-fetched/010.pdftext.txt', '洪泽区人民政府', { code: '320813', level: 'county', province: '320000', prefecture: '320800', county: '320813' }],
    ['real-fetched/011.pdftext.txt', '淮安市洪泽区人民政府', { code: '320813', level: 'county', province: '320000', prefecture: '320800', county: '320813' }],
  ])('%s: %s, region from its name', async (rel, agency, expected) => {
    const rec = await extractRecord(Buffer.from(read(rel), 'utf8'), { uri: rel });
    expect(rec.agency).toBe(agency);
    expect(rec.region ? regionOf(rec) : null).toEqual(expected);
  });

  it.each(['009', '010', '011'])('%s without its title: the agency from the opening sentences, not the office that compiled the report', async (f) => {
    const lines = read(`real-fetched/${f}.pdftext.txt`).split('\n');
    // "=== PAGE 1", then the two title lines.
    const untitled = [lines[0], ...lines.slice(3)].join('\n');
    const withTitle = await extractRecord(Buffer.from(lines.join('\n'), 'utf8'), { uri: `${f}.txt` });
    const rec = await extractRecord(Buffer.from(untitled, 'utf8'), { uri: `${f}-untitled.txt` });
    expect(rec.agency).toBe(withTitle.agency);
    expect(rec.metaSources?.agency).toBe('first_sentence');
    expect(rec.year).toBe(withTitle.year);
    expect(rec.agencyKey).toBe(withTitle.agencyKey);
    expect(rec.values).toEqual(withTitle.values);
  });
});
