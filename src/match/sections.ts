/**
 * Where each official table lies in a document's unit sequence. The three tables always come in
 * the same order (主动公开 → 申请 → 复议诉讼), so each is searched for after the previous one; prose
 * before the first table (which often quotes the same words) is thereby left out.
 */
import type { Unit } from './units.js';
import { labelKey } from '../normalize/text.js';
import { labelScore } from './similarity.js';

export interface SectionRange {
  start: number;
  end: number;
  /** How the start was found, for diagnostics. */
  anchor: string | null;
}

export interface SectionRanges {
  proactive: SectionRange | null;
  applications: SectionRange | null;
  review: SectionRange | null;
}

const K = (s: string) => labelKey(s);
const PROACTIVE_ANCHORS = [K('第二十条'), K('信息内容本年')];
const PROACTIVE_HEADING = K('主动公开政府信息情况');
const APPLICATION_ANCHORS = [K('勾稽关系'), K('申请人情况')];
const APPLICATION_HEADING = K('收到和处理政府信息公开申请情况');
const NEW_RECEIVED = K('本年新收政府信息公开申请数量');
const REVIEW_ANCHOR = K('行政复议');
/** The review table's own header: in a flattened dump its values follow it in the same unit. */
const REVIEW_HEADER = K('尚未审结');
const END_HEADINGS = [K('存在的主要问题'), K('其他需要报告的事项'), K('主要问题及改进情况')];

function findFrom(units: readonly Unit[], from: number, pred: (u: Unit) => boolean): number {
  for (let i = from; i < units.length; i++) if (pred(units[i]!)) return i;
  return -1;
}

export function findSections(units: readonly Unit[]): SectionRanges {
  // 申请 table first: its anchors are the least ambiguous, and it bounds the other two.
  let appStart = -1;
  let appAnchor: string | null = null;
  const anchorIdx = findFrom(units, 0, (u) => APPLICATION_ANCHORS.some((a) => u.key.includes(a)));
  const headingIdx = findFrom(units, 0, (u) => u.key.includes(APPLICATION_HEADING) && u.key.length < APPLICATION_HEADING.length + 8);
  const rowIdx = findFrom(units, 0, (u) => u.values.length > 0 && labelScore(NEW_RECEIVED, u.key) >= 0.8);
  for (const [idx, name] of [[headingIdx, 'heading'], [anchorIdx, 'header'], [rowIdx, 'first row']] as const) {
    if (idx >= 0 && (appStart < 0 || idx < appStart)) {
      // A heading far before the table (in the overview prose) must not pull the start back.
      if (name === 'heading' && anchorIdx >= 0 && anchorIdx - idx > 12) continue;
      appStart = idx;
      appAnchor = name;
    }
  }

  const proEnd = appStart >= 0 ? appStart : units.length;
  let proStart = -1;
  let proAnchor: string | null = null;
  const proAnchorIdx = findFrom(units, 0, (u) => u.index < proEnd && PROACTIVE_ANCHORS.some((a) => u.key.includes(a)));
  if (proAnchorIdx >= 0 && proAnchorIdx < proEnd) {
    proStart = proAnchorIdx;
    proAnchor = 'header';
    // The heading right above the first header belongs to the table too.
    for (let i = proAnchorIdx - 1; i >= Math.max(0, proAnchorIdx - 3); i--) {
      if (units[i]!.key.includes(PROACTIVE_HEADING)) proStart = i;
    }
  } else {
    const h = findFrom(units, 0, (u) => u.key.includes(PROACTIVE_HEADING) && u.key.length < PROACTIVE_HEADING.length + 8);
    if (h >= 0 && h < proEnd) {
      proStart = h;
      proAnchor = 'heading';
    }
  }

  let revStart = -1;
  if (appStart >= 0) revStart = findFrom(units, appStart + 1, (u) => u.key.includes(REVIEW_ANCHOR) && (!u.values.some((v) => v.parsed.kind === 'number') || u.key.includes(REVIEW_HEADER)));
  const revEnd = revStart >= 0 ? findFrom(units, revStart + 1, (u) => END_HEADINGS.some((h) => u.key.includes(h))) : -1;

  return {
    proactive: proStart >= 0 ? { start: proStart, end: proEnd, anchor: proAnchor } : null,
    applications: appStart >= 0 ? { start: appStart, end: revStart >= 0 ? revStart : units.length, anchor: appAnchor } : null,
    review: revStart >= 0 ? { start: revStart, end: revEnd >= 0 ? revEnd : units.length, anchor: 'header' } : null,
  };
}
