/**
 * The quality report's charts as SVG strings, rendered server-side by Apache ECharts (SSR mode:
 * no DOM, no canvas, no network; text in the SVG is escaped by its renderer). Each chart is
 * disposed after rendering, or its animation timer would keep the process alive.
 */
import * as echarts from 'echarts';
import type { QualityData } from './collect.js';
import type { FigureStats } from './collect.js';

type Option = Parameters<echarts.ECharts['setOption']>[0];

const COLORS = { valid: '#3a8f4b', flagged: '#e0a030', failed: '#c8423b', outlier: '#c8423b', bar: '#4a78b0' };

export function renderSvg(option: Option, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'sans-serif' }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Reports per year, stacked by status. */
export function statusChart(q: QualityData): string {
  const years = [...q.years];
  const byYear = new Map<number, Record<string, number>>();
  for (const py of q.status.values()) {
    for (const [y, c] of py) {
      if (y === null) continue;
      const t = byYear.get(y) ?? { valid: 0, flagged: 0, failed: 0 };
      for (const k of ['valid', 'flagged', 'failed']) t[k]! += c[k] ?? 0;
      byYear.set(y, t);
    }
  }
  return renderSvg(
    {
      title: { text: 'Reports by year and status', left: 'center', textStyle: { fontSize: 14 } },
      legend: { bottom: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 50 },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', minInterval: 1 },
      series: (['valid', 'flagged', 'failed'] as const).map((s) => ({ name: s, type: 'bar', stack: 'status', color: COLORS[s], data: years.map((y) => byYear.get(y)?.[s] ?? 0) })),
    },
    640,
    320,
  );
}

/** Province × year: the share of the province's known agencies with a report that year. */
export function coverageChart(q: QualityData): string {
  const provinces = [...new Set(q.coverage.cells.map((c) => c.provinceName))];
  const years = q.coverage.years;
  const data = q.coverage.cells.map((c) => [years.indexOf(c.year), provinces.indexOf(c.provinceName), Math.round((c.agencies / Math.max(1, c.known)) * 100), c.agencies]);
  return renderSvg(
    {
      title: { text: 'Coverage: % of known agencies with a report', left: 'center', textStyle: { fontSize: 14 } },
      grid: { left: 120, right: 20, top: 40, bottom: 70 },
      xAxis: { type: 'category', data: years.map(String), splitArea: { show: true } },
      yAxis: { type: 'category', data: provinces, splitArea: { show: true } },
      visualMap: { min: 0, max: 100, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, text: ['100%', '0%'] },
      series: [{ type: 'heatmap', data, label: { show: true, formatter: (p: { value: number[] }) => `${p.value[3]}` } }],
    },
    640,
    Math.max(200, 110 + provinces.length * 24),
  );
}

interface Bin {
  label: string;
  lo: number;
  hi: number;
  n: number;
}

/** Bins of a figure: 0, then half-decades on a log scale; tenths for a share. */
function bins(f: FigureStats): Bin[] {
  const values = f.points.map((p) => p.value);
  if (f.def.scale === 'linear') {
    const out = Array.from({ length: 10 }, (_, i) => ({ label: `${i * 10}–${i * 10 + 10}%`, lo: i / 10, hi: (i + 1) / 10, n: 0 }));
    for (const v of values) out[Math.min(9, Math.max(0, Math.floor(v * 10)))]!.n++;
    return out;
  }
  const positive = values.filter((v) => v > 0);
  const out: Bin[] = [{ label: '0', lo: 0, hi: 0, n: values.length - positive.length }];
  if (!positive.length) return out;
  const lo = Math.floor(Math.log10(Math.min(...positive)) * 2);
  const hi = Math.floor(Math.log10(Math.max(...positive)) * 2);
  const fmt = (x: number) => (x >= 1e8 ? `${+(x / 1e8).toPrecision(2)}亿` : x >= 1e4 ? `${+(x / 1e4).toPrecision(2)}万` : `${+x.toPrecision(2)}`);
  for (let k = lo; k <= hi; k++) out.push({ label: `${fmt(10 ** (k / 2))}–`, lo: 10 ** (k / 2), hi: 10 ** ((k + 1) / 2), n: 0 });
  for (const v of positive) out[1 + Math.floor(Math.log10(v) * 2) - lo]!.n++;
  return out;
}

/** A histogram of one figure; bins beyond the outlier fences in red. */
export function figureChart(f: FigureStats): string {
  const b = bins(f);
  const s = f.summary;
  const outside = (x: Bin) => !!s && ((s.high !== null && x.lo > s.high) || (s.low !== null && x.hi < s.low && x.hi > 0));
  return renderSvg(
    {
      title: { text: f.def.label, subtext: s ? `n = ${s.n}, median ${+s.median.toPrecision(3)}; ${f.outliers.length} outlier(s) in red` : 'no values', left: 'center', textStyle: { fontSize: 13 } },
      grid: { left: 45, right: 15, top: 60, bottom: 55 },
      xAxis: { type: 'category', data: b.map((x) => x.label), axisLabel: { rotate: 45, fontSize: 10 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: b.map((x) => ({ value: x.n, itemStyle: { color: outside(x) ? COLORS.outlier : COLORS.bar } })) }],
    },
    420,
    280,
  );
}

/** Panel mismatches by year and rule. */
export function mismatchChart(q: QualityData): string {
  const years = [...new Set(q.mismatches.map((m) => m.year))].sort((a, b) => a - b);
  const rules = [...new Set(q.mismatches.map((m) => m.rule))].sort();
  const reports = (rule: string, y: number) => new Set(q.mismatches.filter((m) => m.rule === rule && m.year === y).map((m) => m.reportId)).size;
  return renderSvg(
    {
      title: { text: 'Reports with a panel mismatch, by year and rule', left: 'center', textStyle: { fontSize: 14 } },
      legend: { bottom: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 50 },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', minInterval: 1 },
      series: rules.map((rule) => ({ name: rule, type: 'bar', stack: 'rule', data: years.map((y) => reports(rule, y)) })),
    },
    640,
    300,
  );
}
