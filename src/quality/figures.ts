/**
 * The headline figures (figures.json) read from a record, their summary statistics and their
 * outliers. Pure.
 */
import { z } from 'zod';
import FIGURES from './figures.json' with { type: 'json' };

const Figure = z.object({
  id: z.string(),
  label: z.string(),
  sum: z.array(z.string()).optional(),
  share: z.object({ numerator: z.array(z.string()), denominator: z.array(z.string()) }).optional(),
  unit: z.enum(['count', 'yuan', 'share']),
  scale: z.enum(['log', 'linear']),
});
export type FigureDef = z.infer<typeof Figure>;
export const FIGURES_DEFS: readonly FigureDef[] = z.object({ figures: z.array(Figure) }).parse(FIGURES).figures;

/** Sum of fields (blank = 0); undefined when any is not in the record. */
function sum(values: Readonly<Record<string, number | null>>, fields: readonly string[]): number | undefined {
  let s = 0;
  for (const f of fields) {
    if (!(f in values)) return undefined;
    s += values[f] ?? 0;
  }
  return s;
}

/** The figure for one record; undefined when the record lacks a field it needs (or the share has no denominator). */
export function figureValue(def: FigureDef, values: Readonly<Record<string, number | null>>): number | undefined {
  if (def.sum) return sum(values, def.sum);
  if (def.share) {
    const n = sum(values, def.share.numerator);
    const d = sum(values, def.share.denominator);
    return n === undefined || d === undefined || d <= 0 ? undefined : n / d;
  }
  return undefined;
}

export interface Summary {
  n: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  /** Values outside these are outliers (null: too few values, no spread to tell, or no value beyond it). */
  low: number | null;
  high: number | null;
}

/** Linear-interpolated quantile of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

/** Fewer values than this: no outliers marked, the spread is not known well enough. */
const MIN_FOR_OUTLIERS = 8;
/** Tukey's far-out fence: 3 interquartile ranges beyond the quartiles. */
const FENCE = 3;

/**
 * Quartiles and the outlier fences. On a log scale the fence is computed on log10(1 + x), so
 * an agency with 100 times the usual count stands out, not every large city.
 */
export function summarize(values: readonly number[], scale: 'log' | 'linear'): Summary | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const t = scale === 'log' ? (x: number) => Math.log10(1 + Math.max(0, x)) : (x: number) => x;
  const inv = scale === 'log' ? (y: number) => 10 ** y - 1 : (y: number) => y;
  const ts = sorted.map(t);
  const q1 = quantile(ts, 0.25);
  const q3 = quantile(ts, 0.75);
  const iqr = q3 - q1;
  const fenced = sorted.length >= MIN_FOR_OUTLIERS && iqr > 0;
  return {
    n: sorted.length,
    min: sorted[0]!,
    q1: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    q3: quantile(sorted, 0.75),
    max: sorted.at(-1)!,
    // On a log scale only the high side: a small agency's 0 or 2 is common, not a sign of error.
    low: fenced && scale === 'linear' && q1 - FENCE * iqr > sorted[0]! ? inv(q1 - FENCE * iqr) : null,
    high: fenced ? inv(q3 + FENCE * iqr) : null,
  };
}

export const isOutlier = (s: Summary, v: number) => (s.low !== null && v < s.low) || (s.high !== null && v > s.high);
