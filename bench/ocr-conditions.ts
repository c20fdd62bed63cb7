/**
 * Scans in conditions the generated bench set does not have (issue #14): what real scanners and
 * photocopiers add (300 dpi JPEG, 1–2° turns, copier grey, dark platen edges and binder holes,
 * blur, the back page showing through, rules drawn thick, double, faint or broken, a handwritten
 * signature, pages laid upside down or sideways). One entry a scan; bench/ocr.ts makes them with
 * `NIANBAO_OCR_BENCH_CONDITIONS=1` (seeds 2000 on, both templates alternating).
 */
import type { ScanConditions } from '../test/fixtures/scan-conditions.js';

export interface ConditionScan {
  condition: string;
  dpi: 150 | 200 | 300;
  gray: boolean;
  skew: number;
  stamp: boolean;
  conditions: ScanConditions;
}

const COPIER = { paper: 205, ink: 75 };

export const CONDITION_SCANS: ConditionScan[] = [
  { condition: 'jpeg300', dpi: 300, gray: true, skew: 0.5, stamp: false, conditions: { jpeg: 55 } },
  { condition: 'jpeg300', dpi: 300, gray: false, skew: 0.3, stamp: true, conditions: { jpeg: 40 } },
  { condition: 'skew1-2', dpi: 200, gray: true, skew: 1.4, stamp: false, conditions: {} },
  { condition: 'skew1-2', dpi: 300, gray: true, skew: 2, stamp: true, conditions: { jpeg: 70 } },
  { condition: 'copier', dpi: 200, gray: true, skew: 0.6, stamp: false, conditions: { tone: COPIER } },
  { condition: 'copier', dpi: 300, gray: true, skew: 0.4, stamp: true, conditions: { tone: { paper: 185, ink: 90 }, jpeg: 60 } },
  { condition: 'edges', dpi: 200, gray: true, skew: 0.5, stamp: false, conditions: { edges: { mm: 8, holes: 2 } } },
  { condition: 'edges', dpi: 300, gray: false, skew: 0.8, stamp: true, conditions: { edges: { mm: 12, holes: 3 }, jpeg: 60 } },
  { condition: 'blur', dpi: 200, gray: true, skew: 0.3, stamp: false, conditions: { blur: 1 } },
  { condition: 'blur', dpi: 300, gray: true, skew: 0.6, stamp: true, conditions: { blur: 2, jpeg: 60 } },
  { condition: 'bleed', dpi: 200, gray: true, skew: 0.4, stamp: false, conditions: { bleed: 0.25 } },
  { condition: 'bleed', dpi: 300, gray: false, skew: 0.7, stamp: true, conditions: { bleed: 0.35, jpeg: 60 } },
  { condition: 'rules-thick', dpi: 200, gray: true, skew: 0.5, stamp: false, conditions: { rules: 'thick' } },
  { condition: 'rules-double', dpi: 300, gray: true, skew: 0.4, stamp: true, conditions: { rules: 'double', jpeg: 60 } },
  { condition: 'rules-faint', dpi: 200, gray: true, skew: 0.6, stamp: false, conditions: { rules: 'faint' } },
  { condition: 'rules-broken', dpi: 300, gray: true, skew: 0.3, stamp: false, conditions: { rules: 'broken', jpeg: 60 } },
  { condition: 'signature', dpi: 200, gray: false, skew: 0.5, stamp: true, conditions: { signature: true } },
  { condition: 'upside-down', dpi: 200, gray: true, skew: 0.4, stamp: false, conditions: { turn: 2 } },
  { condition: 'landscape', dpi: 200, gray: true, skew: 0.4, stamp: false, conditions: { turn: 1 } },
  { condition: 'all', dpi: 300, gray: true, skew: 1.2, stamp: true, conditions: { jpeg: 50, tone: COPIER, edges: { mm: 8, holes: 2 }, bleed: 0.2, blur: 1, signature: true } },
];
