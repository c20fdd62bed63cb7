/**
 * Which <table> elements of a page can hold the report's tables. Pages nest their layout in
 * tables, so only leaf tables (no table inside) are data; of those, tables in page furniture
 * and tables that are mostly links (menus laid out as tables) are left out, and so are hidden
 * tables — unless nothing visible is left, for then the report is in a tab a script reveals.
 * Nothing else is judged here: an unusual table is kept, and the template matcher finds the
 * official tables among the rest by their labels.
 */
import { type Element, descendants, hasDescendant } from './dom.js';
import { type ChromeTest, type TextStats, inChrome, linkDensity } from './chrome.js';
import { type HiddenTest, isHiddenInPage } from './hidden.js';

export interface PickContext {
  hidden: HiddenTest;
  chrome: ChromeTest;
  stats: Map<Element, TextStats>;
}

export function isLeafTable(table: Element): boolean {
  return !hasDescendant(table, 'table');
}

/** The candidate data tables under `root`, in document order. */
export function pickTables(root: Element, ctx: PickContext): Element[] {
  // Loops: a closure made per call is compiled again and again.
  const data: Element[] = [];
  for (const t of descendants(root, 'table')) if (isLeafTable(t) && !inChrome(t, ctx.chrome) && linkDensity(ctx.stats.get(t)) <= 0.5) data.push(t);
  const visible: Element[] = [];
  for (const t of data) if (!isHiddenInPage(t, ctx.hidden)) visible.push(t);
  return visible.length ? visible : data;
}
