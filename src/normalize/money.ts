/**
 * Money to yuan. The 2021 format prints 万元 in the header; the 2019 format prints no unit, so
 * reports write 元 or 万元 in the cell, in a header they edited, or not at all. A bare amount's
 * unit is then judged from its digits and from the number of projects it covers, and the record
 * says so in an issue.
 */
import { type MoneyUnit, toYuan } from './number.js';

export interface MoneyInput {
  decimal: string;
  negative: boolean;
  /** Unit written in the cell itself. */
  cellUnit: MoneyUnit | null;
  /** Unit found in the report's own header or table note ("采购总金额（万元）"). */
  reportHeaderUnit: MoneyUnit | null;
  /** Unit the official template prints in the header (2021: 万元), if any. */
  templateHeaderUnit: MoneyUnit | null;
  /** The count this amount covers (procurement projects), when known. */
  count: number | null;
}

export interface MoneyResult {
  yuan: number;
  unit: MoneyUnit;
  source: 'cell' | 'header' | 'template' | 'inferred';
  /** Set when the unit was not written anywhere and had to be judged. */
  inference?: { confident: boolean; reason: string };
  /** Set when the cell and the header disagree. */
  conflict?: string;
}

/** A centrally procured project worth less than this many yuan is implausible. */
const MIN_PLAUSIBLE_PROJECT_YUAN = 1000;
/** Read as 万元, an amount per project above this many 万元 (10亿元) is implausible for one agency. */
const MAX_PLAUSIBLE_PROJECT_WAN = 1e5;

export function resolveMoney(m: MoneyInput): MoneyResult {
  const header = m.reportHeaderUnit ?? m.templateHeaderUnit;
  if (m.cellUnit) {
    const r: MoneyResult = { yuan: toYuan(m.decimal, m.cellUnit, m.negative), unit: m.cellUnit, source: 'cell' };
    if (header && header !== m.cellUnit) {
      r.conflict = `the cell says ${m.cellUnit} but the header says ${header}; the cell's unit was used`;
    }
    return r;
  }
  if (m.reportHeaderUnit) return { yuan: toYuan(m.decimal, m.reportHeaderUnit, m.negative), unit: m.reportHeaderUnit, source: 'header' };
  if (m.templateHeaderUnit) return { yuan: toYuan(m.decimal, m.templateHeaderUnit, m.negative), unit: m.templateHeaderUnit, source: 'template' };
  const unit = inferUnit(m.decimal, m.count);
  return { yuan: toYuan(m.decimal, unit.unit, m.negative), unit: unit.unit, source: 'inferred', inference: { confident: unit.confident, reason: unit.reason } };
}

/** Judge the unit of a bare amount. Pure. */
export function inferUnit(decimal: string, count: number | null): { unit: MoneyUnit; confident: boolean; reason: string } {
  const value = Number(decimal);
  const fraction = decimal.split('.')[1] ?? '';
  if (value === 0) return { unit: '元', confident: true, reason: 'the amount is 0, so its unit does not matter' };
  if (fraction.length > 2) {
    return { unit: '万元', confident: true, reason: `"${decimal}" has ${fraction.length} decimal places; yuan amounts have at most 2 (fen), so it is in 万元` };
  }
  const n = count && count > 0 ? count : null;
  const per = n ? value / n : value;
  const perText = n ? `${fmt(per)} per project for ${n} project${n > 1 ? 's' : ''}` : `${fmt(per)} in all`;
  if (per < MIN_PLAUSIBLE_PROJECT_YUAN) {
    return { unit: '万元', confident: true, reason: `read as 元 it would be ${perText}, implausibly small for centralized procurement, so it is in 万元` };
  }
  if (per >= MAX_PLAUSIBLE_PROJECT_WAN) {
    return { unit: '元', confident: true, reason: `read as 万元 it would be ${fmt(per / 1e4)} 亿元 ${n ? 'per project' : 'in all'}, implausibly large, so it is in 元` };
  }
  return {
    unit: '万元',
    confident: false,
    reason: `"${decimal}" is plausible both as 元 and as 万元 (${perText} as 元); 万元 was assumed — check the source`,
  };
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

const HEADER_UNIT_RE = /(?:金额|单位)[^\d]{0,8}?(亿元|万元|元)/;

/** A money unit named in header or note text ("采购总金额（万元）", "单位：元"). */
export function unitInText(text: string): MoneyUnit | null {
  const m = HEADER_UNIT_RE.exec(text.replace(/\s+/g, ''));
  return (m?.[1] as MoneyUnit | undefined) ?? null;
}
