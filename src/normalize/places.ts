/**
 * The places an agency's name begins with: "淮安市洪泽区高良涧街道办事处" → 淮安市 (prefecture)
 * → 洪泽区 (county) → 高良涧街道 (township), body "办事处". Names are matched in full, plus the
 * short forms agencies write: a province or prefecture without its suffix at the start
 * (江苏…, 淮安经济技术开发区), an autonomous prefecture or county as 延边州 / 长阳县. Each step
 * must lie inside the one before. Pure; data from divisions.ts.
 */
import NAMES from './agency-names.json' with { type: 'json' };
import { type Division, type Township, allDivisions, distance, snapshotIndex, townshipsOf } from './divisions.js';
import { mapPacked } from './arrays.js';

type AliasKind = 'full' | 'stem' | 'short';

interface Alias {
  division: Division;
  kind: AliasKind;
}

export interface PlaceMatch {
  /** A central body (中华人民共和国…, 国家…, …部) with no local place. */
  national: boolean;
  province: Division | null;
  prefecture: Division | null;
  county: Division | null;
  township: Township | null;
  /** The deepest division matched (townships aside). */
  deepest: Division | null;
  /** Index in the name after the places (township included) and any 中共 / 国家… prefix before them. */
  end: number;
  /**
   * Index where the body begins: after the divisions, before a township — 高沟镇人民政府 is a
   * body of its own, not 涟水县's 人民政府.
   */
  bodyStart: number;
  /** The name's first place fits several divisions and nothing decides between them. */
  ambiguous: Division[];
}

export interface PlaceOptions {
  /** The report's year: names in force then win over older or newer ones. */
  year?: number | null;
  /** A division code the agency is expected to lie in (the portal's), to choose between namesakes. */
  within?: string | null;
}

const ETHNIC = new RegExp(`(?:${[...NAMES.ethnicGroups].sort((a, b) => b.length - a.length).join('|')})+`);
const PROVINCE_TAIL = new RegExp(`^(.{2,}?)(?:${ETHNIC.source})?(?:特别行政区|自治区|省|市)$`);
const PREFECTURE_TAIL = new RegExp(`^(.{2,}?)(?:(?:${ETHNIC.source})?自治州|地区|盟|市)$`);
const AUTONOMOUS_COUNTY = new RegExp(`^(.{2,}?)(?:${ETHNIC.source})自治(县|旗)$`);
const AUTONOMOUS_PREFECTURE = new RegExp(`^(.{2,}?)(?:${ETHNIC.source})自治州$`);

let index: Map<string, Alias[]> | null = null;
let maxKey = 0;

function addAlias(key: string, a: Alias): void {
  if (key.length < 2) return;
  const list = index!.get(key) ?? [];
  if (!list.some((x) => x.division === a.division && x.kind === a.kind)) list.push(a);
  index!.set(key, list);
  maxKey = Math.max(maxKey, key.length);
}

function aliasIndex(): Map<string, Alias[]> {
  if (index) return index;
  index = new Map();
  for (const d of allDivisions()) {
    addAlias(d.name, { division: d, kind: 'full' });
    if (d.level === 'province') {
      const m = PROVINCE_TAIL.exec(d.name);
      if (m) addAlias(m[1]!, { division: d, kind: 'stem' });
    } else if (d.level === 'prefecture') {
      const m = PREFECTURE_TAIL.exec(d.name);
      if (m) addAlias(m[1]!, { division: d, kind: 'stem' });
      const auto = AUTONOMOUS_PREFECTURE.exec(d.name);
      if (auto) addAlias(`${auto[1]}州`, { division: d, kind: 'short' });
    } else {
      const auto = AUTONOMOUS_COUNTY.exec(d.name);
      if (auto) addAlias(`${auto[1]}${auto[2]}`, { division: d, kind: 'short' });
    }
  }
  return index;
}

const DEPTH: Record<Division['level'], number> = { province: 0, prefecture: 1, county: 2 };

/** Inside `outer` (or `outer` itself). */
export function codeWithin(code: string, outer: string): boolean {
  if (outer.endsWith('0000')) return code.startsWith(outer.slice(0, 2));
  if (outer.endsWith('00')) return code.startsWith(outer.slice(0, 4));
  return code === outer;
}

function fits(d: Division, deepest: Division | null): boolean {
  if (!deepest) return true;
  return DEPTH[d.level] > DEPTH[deepest.level] && codeWithin(d.code, deepest.code);
}

/** Highest level first; among one level, the name in force in the year's snapshot first. */
function rank(cands: Alias[], snapshot: number): Alias[] {
  return [...cands].sort((a, b) => distance(a.division, snapshot) - distance(b.division, snapshot) || DEPTH[a.division.level] - DEPTH[b.division.level]);
}

/** Pick one division among candidates of one key, or report them as ambiguous. */
function choose(cands: Alias[], snapshot: number, within: string | null): { pick: Division | null; ambiguous: Division[] } {
  const ranked = rank(cands, snapshot);
  const best = distance(ranked[0]!.division, snapshot);
  let pool = mapPacked(ranked.filter((a) => distance(a.division, snapshot) === best), (a) => a.division);
  // Namesakes in force together: those in or around the expected region, if that decides.
  const codes = new Set(mapPacked(pool, (d) => d.code));
  if (codes.size > 1 && within) {
    const near = pool.filter((d) => codeWithin(d.code, within) || codeWithin(within, d.code));
    if (near.length) pool = near;
  }
  // A stem of a province and of a prefecture inside it (吉林): the province, then the prefecture may follow.
  const top = Math.min(...pool.map((d) => DEPTH[d.level]));
  const sameLevel = pool.filter((d) => DEPTH[d.level] === top);
  const distinct = [...new Map(mapPacked(sameLevel, (d) => [d.code, d])).values()];
  if (distinct.length === 1) return { pick: distinct[0]!, ambiguous: [] };
  const byProvinceFirst = distinct.every((d) => d.level === 'province') ? [] : distinct;
  return { pick: null, ambiguous: byProvinceFirst.length ? byProvinceFirst : distinct };
}

/** The township the text at `pos` names, under `parent`, or null. */
export function townshipAt(s: string, pos: number, parent: string, snapshot: number): Township | null {
  const rest = s.slice(pos);
  // The name in force in the year first (东华门街道 over 2018's 东华门街道办事处), then the longest.
  let best: { t: Township; d: number; len: number } | null = null;
  for (const t of townshipsOf(parent)) {
    for (const name of townshipNames(t)) {
      if (name.length < 2 || !rest.startsWith(name)) continue;
      const d = distance(t, snapshot);
      if (!best || d < best.d || (d === best.d && name.length > best.len)) best = { t, d, len: name.length };
    }
  }
  return best?.t ?? null;
}

/** A township's name and its name without 办事处, worked out once per township (every report of a county asks again). */
const namesOfTownship = new WeakMap<Township, readonly [string, string]>();
function townshipNames(t: Township): readonly [string, string] {
  let names = namesOfTownship.get(t);
  if (!names) namesOfTownship.set(t, (names = [t.name, t.name.replace(/办事处$/, '')]));
  return names;
}

function townshipLength(s: string, pos: number, t: Township): number {
  const rest = s.slice(pos);
  return rest.startsWith(t.name) ? t.name.length : t.name.replace(/办事处$/, '').length;
}

function startsWithAny(s: string, words: readonly string[]): string | null {
  return words.find((w) => s.startsWith(w)) ?? null;
}

/**
 * The places a (normalized: no spaces) agency name begins with. Only the start of the name is
 * read, except behind a national or party prefix (国家税务总局淮安市税务局, 中共淮安市委…), where
 * the first full place name anywhere after it counts.
 */
export function parsePlaces(name: string, opts: PlaceOptions = {}): PlaceMatch {
  const idx = aliasIndex();
  const snapshot = snapshotIndex(opts.year ?? null);
  const within = opts.within ?? null;
  const out: PlaceMatch = { national: false, province: null, prefecture: null, county: null, township: null, deepest: null, end: 0, bodyStart: 0, ambiguous: [] };

  let start = 0;
  const party = startsWithAny(name, NAMES.partyPrefixes);
  if (party) start = party.length;
  const national = startsWithAny(name.slice(start), NAMES.nationalPrefixes);
  if (national) {
    // A local branch of a central body names its place after the central one.
    const at = firstFullPlace(name, start + national.length, idx);
    if (at < 0) {
      out.national = true;
      out.end = start;
      out.bodyStart = start;
      return out;
    }
    start = at;
  }

  let pos = start;
  for (;;) {
    let step: { len: number; cands: Alias[] } | null = null;
    for (let len = Math.min(maxKey, name.length - pos); len >= 2 && !step; len--) {
      const list = idx.get(name.slice(pos, pos + len));
      if (!list) continue;
      const cands = list.filter((a) => fits(a.division, out.deepest) && (a.kind !== 'stem' || stemAllowed(pos, start, out)));
      if (cands.length) step = { len, cands };
    }
    if (!step) break;
    const { pick, ambiguous } = choose(step.cands, snapshot, within);
    if (!pick) {
      // Namesake counties (鼓楼区, 朝阳区): a township named next may tell which one.
      const withTownship = ambiguous.filter((d) => townshipAt(name, pos + step!.len, d.code, snapshot));
      if (withTownship.length === 1) {
        set(out, withTownship[0]!);
        pos += step.len;
        continue;
      }
      out.ambiguous = ambiguous;
      out.end = pos;
      out.bodyStart = pos;
      return out;
    }
    set(out, pick);
    pos += step.len;
  }
  out.end = pos;
  out.bodyStart = pos;
  if (out.deepest && out.deepest.level !== 'province') {
    // 北京市东城区人民政府东华门街道办事处: a 街道's formal name goes through its district's government.
    const via = name.startsWith('人民政府', pos) && !townshipAt(name, pos, out.deepest.code, snapshot) ? 4 : 0;
    const t = townshipAt(name, pos + via, out.deepest.code, snapshot);
    if (t) {
      out.township = t;
      out.bodyStart = pos + via;
      out.end = pos + via + townshipLength(name, pos + via, t);
    }
  }
  if (!out.deepest && !national) {
    const body = name.slice(start);
    if (NAMES.nationalSuffixes.some((s) => body.endsWith(s)) && !/^[省市区县州旗镇乡]/.test(body)) out.national = true;
  }
  return out;
}

/** A province or prefecture short form only opens the name (or follows its province). */
function stemAllowed(pos: number, start: number, m: PlaceMatch): boolean {
  return pos === start || (m.deepest?.level === 'province' && !m.prefecture && !m.county);
}

function set(m: PlaceMatch, d: Division): void {
  if (d.level === 'province') m.province = d;
  else if (d.level === 'prefecture') m.prefecture = d;
  else m.county = d;
  m.deepest = d;
}

/** Index of the first full division name at or after `from`, or -1. */
function firstFullPlace(name: string, from: number, idx: Map<string, Alias[]>): number {
  for (let i = from; i < name.length - 1; i++) {
    for (let len = Math.min(maxKey, name.length - i); len >= 2; len--) {
      // Two-character county names (城区, 和县) occur inside ordinary words: not here.
      if (idx.get(name.slice(i, i + len))?.some((a) => a.kind === 'full' && (a.division.level !== 'county' || len >= 3))) return i;
    }
  }
  return -1;
}
