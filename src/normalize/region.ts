/**
 * Where an agency is: its GB/T 2260 division, from the places its name begins with; for a name
 * without a place (区商务局, 经济技术开发区管理办公室), from the listing's name for it, else from
 * the portal it was published on. Codes are those in force in the report's year: a name that
 * was renamed or merged away by then resolves to its successor. Pure.
 */
import { type Division, type Township, SNAPSHOT_YEARS, ancestors, divisionByCode, inForce, levelOfCode, snapshotIndex, allDivisions } from './divisions.js';
import { codeWithin, parsePlaces, townshipAt } from './places.js';
import { mapPacked } from './arrays.js';

export type RegionLevel = 'national' | 'province' | 'prefecture' | 'county' | 'township';
export type RegionSource = 'agency' | 'listing' | 'portal';

export interface RegionUnit {
  code: string;
  name: string;
}

export interface Region {
  /** 6-digit GB/T 2260 code of the deepest division known (a township's county); null for central bodies. */
  code: string | null;
  name: string | null;
  /** The level the agency sits at. */
  level: RegionLevel;
  province: RegionUnit | null;
  /** Null for municipalities (北京市…) and counties directly under a province (仙桃市). */
  prefecture: RegionUnit | null;
  county: RegionUnit | null;
  /** code: the 9-digit NBS code, when the township is in the division list. */
  township: { code: string | null; name: string } | null;
  source: RegionSource;
  /** Year of the division list the codes were read from. */
  divisionsYear: number;
}

export interface RegionNote {
  code: 'region_conflict' | 'region_ambiguous' | 'region_unresolved' | 'region_from_portal' | 'region_code_changed';
  severity: 'info' | 'warning';
  message: string;
}

export interface RegionInput {
  /** The agency as normalized (no spaces). */
  agency: string | null;
  /** The listing's agency for the report (normalized), if any. */
  listingAgency?: string | null;
  /** The portal's configured region. */
  portal?: { code: string; name: string } | null;
  year: number | null;
}

export interface RegionResult {
  region: Region | null;
  notes: RegionNote[];
}

/** A body that is a township's: 高沟镇人民政府, 高良涧街道办事处, 某某乡. */
const TOWNSHIP_BODY = /^(.{1,10}?(?:街道|镇|乡|苏木))(?:人民政府|政府|办事处|党委|党工委|便民服务中心)?$/;

const unit = (d: Division | null): RegionUnit | null => (d ? { code: d.code, name: d.name } : null);

function firstSnapshot(d: Division): number {
  for (let i = 0; i < SNAPSHOT_YEARS.length; i++) if (d.mask & (1 << i)) return i;
  return SNAPSHOT_YEARS.length;
}

function stemOf(name: string): string {
  return name.replace(/(?:[^族]{1,4}族)*(?:特别行政区|自治区|自治州|自治县|自治旗|地区|新区|林区|特区|市|区|县|旗|盟|州)$/, '');
}

/** The division that took over `old` by `snapshot`: the same code renamed, else the one unique namesake (海门市 → 海门区) in its province. */
function successor(old: Division, snapshot: number): Division | null {
  const same = divisionByCode(old.code, snapshot);
  if (same && inForce(same, snapshot)) return same;
  const stem = stemOf(old.name);
  if (stem.length < 2) return null;
  const found = allDivisions().filter((d) => inForce(d, snapshot) && d.code.slice(0, 2) === old.code.slice(0, 2) && stemOf(d.name) === stem);
  return found.length === 1 ? found[0]! : null;
}

function build(d: Division, township: Township | { code: null; name: string } | null, source: RegionSource, snapshot: number): Region {
  const { province, prefecture } = ancestors(d.code, snapshot);
  const level: RegionLevel = township ? 'township' : d.level;
  return {
    code: d.code,
    name: d.name,
    level,
    province: unit(province),
    prefecture: d.level === 'province' ? null : unit(prefecture),
    county: d.level === 'county' ? unit(d) : null,
    township: township ? { code: township.code, name: township.name } : null,
    source,
    divisionsYear: SNAPSHOT_YEARS[snapshot]!,
  };
}

/** The township the body names, under `parent`: from the division list, else by its form alone. */
function townshipOf(body: string, parent: Division, snapshot: number): Township | { code: null; name: string } | null {
  if (parent.level === 'province') return null;
  const t = townshipAt(body, 0, parent.code, snapshot);
  if (t) return t;
  const m = TOWNSHIP_BODY.exec(body);
  return m ? { code: null, name: m[1]! } : null;
}

/** The portal's division in the report's year: its code if still in force, else by its name. */
function portalDivision(portal: { code: string; name: string }, snapshot: number, year: number | null): Division | null {
  const byCode = divisionByCode(portal.code, snapshot);
  if (byCode && inForce(byCode, snapshot)) return byCode;
  const byName = parsePlaces(portal.name, { year }).deepest;
  if (byName && inForce(byName, snapshot)) return byName;
  return byCode ?? byName ?? null;
}

interface FromName {
  division: Division | null;
  national: boolean;
  body: string;
  township: Township | null;
  ambiguous: Division[];
}

function fromName(name: string, year: number | null, within: string | null): FromName {
  const m = parsePlaces(name, { year, within });
  return { division: m.deepest, national: m.national, body: name.slice(m.end), township: m.township, ambiguous: m.ambiguous };
}

export function resolveRegion(input: RegionInput): RegionResult {
  const snapshot = snapshotIndex(input.year);
  const yearText = input.year ?? 'the latest year';
  const notes: RegionNote[] = [];
  const portal = input.portal ? portalDivision(input.portal, snapshot, input.year) : null;
  const within = portal?.code ?? null;

  let found: { division: Division; township: Township | { code: null; name: string } | null; source: RegionSource } | null = null;
  let national = false;
  const agency = input.agency ? fromName(input.agency, input.year, within) : null;
  if (agency?.division) {
    found = { division: agency.division, township: agency.township ?? townshipOf(agency.body, agency.division, snapshot), source: 'agency' };
  } else if (agency?.national) {
    national = true;
  } else if (agency?.ambiguous.length) {
    notes.push({
      code: 'region_ambiguous',
      severity: 'warning',
      message: `${input.agency} names a place that several divisions share (${mapPacked(agency.ambiguous, (d) => `${d.code} ${d.name}`).join(', ')}) and nothing tells which; the region is left out.`,
    });
    return { region: null, notes };
  }

  if (!found && !national && input.listingAgency) {
    const listing = fromName(input.listingAgency, input.year, within);
    if (listing.division) found = { division: listing.division, township: listing.township ?? townshipOf(listing.body, listing.division, snapshot), source: 'listing' };
  }
  if (!found && !national && portal) {
    const body = agency?.body ?? '';
    found = { division: portal, township: townshipOf(body, portal, snapshot), source: 'portal' };
    notes.push({ code: 'region_from_portal', severity: 'info', message: `${input.agency ?? 'The agency'} names no place; the region is the portal's (${portal.code} ${portal.name}).` });
  }

  if (national) {
    const region: Region = { code: null, name: null, level: 'national', province: null, prefecture: null, county: null, township: null, source: 'agency', divisionsYear: SNAPSHOT_YEARS[snapshot]! };
    if (portal && levelOfCode(portal.code) !== 'province') {
      notes.push({ code: 'region_conflict', severity: 'warning', message: `${input.agency} is a central body, published on a portal of ${portal.code} ${portal.name}.` });
    }
    return { region, notes };
  }
  if (!found) {
    // With no agency at all, agency_missing already says so.
    if (input.agency) notes.push({ code: 'region_unresolved', severity: 'info', message: `${input.agency} names no place, and no listing or portal gave one: the region is unknown.` });
    return { region: null, notes };
  }

  let division = found.division;
  // A name first listed after the year's list (海门区 in a report on 2020: NBS's 2020 list was cut
  // off on 2020-06-30, before the change) was in force when the report was written: keep it.
  const newer = !inForce(division, snapshot) && firstSnapshot(division) > snapshot;
  if (!inForce(division, snapshot) && !newer) {
    const next = successor(division, snapshot);
    if (next) {
      notes.push({ code: 'region_code_changed', severity: 'info', message: `${division.name} (${division.code}) was no longer a division in ${yearText}; its successor ${next.name} (${next.code}) is used.` });
      division = next;
    } else {
      notes.push({ code: 'region_code_changed', severity: 'warning', message: `${division.name} (${division.code}) is not in the ${SNAPSHOT_YEARS[snapshot]} division list and has no single successor; its last code is kept.` });
    }
  }
  const region = build(division, found.township, found.source, snapshot);
  if (portal && found.source !== 'portal' && !codeWithin(division.code, portal.code)) {
    notes.push({ code: 'region_conflict', severity: 'warning', message: `${input.agency ?? input.listingAgency} is in ${division.code} ${division.name}, outside the portal's region ${portal.code} ${portal.name}.` });
  }
  return { region, notes };
}
