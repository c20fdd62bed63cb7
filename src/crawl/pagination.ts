/**
 * Every page of a paginated listing, as government CMSs build them: 下一页/尾页 links, static
 * index_1.html … index_N.html files, and TRS-style `createPageHTML(total, current, 'index', 'html')`
 * scripts that write the pager at run time (so the links exist only in the script's arguments).
 */
import type { CheerioAPI } from 'cheerio';
import { cleanText } from './title.js';
import { resolveHref } from './urls.js';

const PAGER_TEXT = /^(下一页|下页|后一页|尾页|末页|最后一页|上一页|上页|首页|next|last|prev|previous|›|»|>|>>|<|<<)$/i;
/** Sequences we can enumerate from their highest number. */
const SEQUENCE = /^(.*\/)(index|list|default|page|more)_(\d+)\.(s?html?|jsp|php|aspx?)$/i;

/** Cap on pages derived from one script or sequence, whatever a broken page claims. */
const MAX_DERIVED = 500;

function pageName(prefix: string, suffix: string, i: number): string {
  return i === 0 ? `${prefix}.${suffix}` : `${prefix}_${i}.${suffix}`;
}

type Arg = string | number | null;

/** Split `a, 'b,c', 3` into arguments, respecting quotes. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (const ch of s) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
    } else if (ch === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function evalArg(raw: string, scripts: string): Arg {
  const q = /^(['"])(.*)\1$/.exec(raw);
  if (q) return q[2]!;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (/^[A-Za-z_$][\w$]*$/.test(raw)) {
    // `var countPage = 12;` earlier in the page; the last assignment wins, as it would at run time.
    const re = new RegExp(`\\b${raw.replace(/\$/g, '\\$')}\\s*=\\s*(?:(['"])([^'"\\n]*)\\1|(\\d+))`, 'g');
    let value: Arg = null;
    for (const m of scripts.matchAll(re)) value = m[1] ? m[2]! : Number(m[3]);
    return value;
  }
  return null;
}

/** Page URLs named by createPageHTML calls in the page's scripts. */
export function pagesFromCreatePageHtml(scripts: string, pageUrl: string): string[] {
  const out: string[] = [];
  for (const m of scripts.matchAll(/(function\s+)?\bcreatePageHTML\s*\(([^)]*)\)/g)) {
    if (m[1]) continue; // the function's own definition
    const args = splitArgs(m[2]!).map((a) => evalArg(a, scripts));
    const nums = args.map((a, i) => [a, i] as const).filter(([a]) => typeof a === 'number');
    if (nums.length < 2) continue;
    const total = nums[0]![0] as number;
    const afterCurrent = args.slice(nums[1]![1] + 1).filter((a): a is string => typeof a === 'string');
    const prefix = afterCurrent[0] || 'index';
    const suffix = afterCurrent[1] || 'html';
    for (let i = 0; i < Math.min(total, MAX_DERIVED); i++) {
      const u = resolveHref(pageName(prefix, suffix, i), pageUrl);
      if (u) out.push(u);
    }
  }
  return out;
}

/**
 * index_3.html seen next to index_7.html means index.html and index_1 … index_7 all exist (the TRS
 * convention: page 0 has no number). Other names (list_2 … list_5) are filled in between the
 * lowest and highest number seen, since their first page may be called anything.
 */
export function pagesFromSequences(urls: readonly string[], pageUrl: string): string[] {
  const groups = new Map<string, { base: string; name: string; ext: string; min: number; max: number }>();
  for (const u of [...urls, pageUrl]) {
    const m = SEQUENCE.exec(u.split(/[?#]/)[0]!);
    if (!m) continue;
    const key = `${m[1]}${m[2]}.${m[4]}`.toLowerCase();
    const n = Number(m[3]);
    const g = groups.get(key) ?? { base: m[1]!, name: m[2]!, ext: m[4]!, min: n, max: n };
    g.min = Math.min(g.min, n);
    g.max = Math.max(g.max, n);
    groups.set(key, g);
  }
  const out: string[] = [];
  for (const g of groups.values()) {
    if (g.base !== directoryOf(pageUrl)) continue; // a sequence in another column is another listing
    const from = g.name.toLowerCase() === 'index' ? 0 : g.min;
    for (let i = from; i <= Math.min(g.max, from + MAX_DERIVED); i++) out.push(`${g.base}${pageName(g.name, g.ext, i)}`);
  }
  return out;
}

function directoryOf(url: string): string {
  return url.replace(/[?#].*$/, '').replace(/[^/]*$/, '');
}

/**
 * Other pages of the listing `$` shows: pager links (or `nextSelector`), createPageHTML
 * arguments and index_N sequences. The page itself is left out; order is first-seen.
 */
export function findListingPages($: CheerioAPI, pageUrl: string, nextSelector?: string): string[] {
  const found: string[] = [];
  const anchors = $('a[href]').toArray();
  const all: string[] = [];
  for (const a of anchors) {
    const u = resolveHref($(a).attr('href'), pageUrl);
    if (!u) continue;
    all.push(u);
    const text = cleanText($(a).text()).replace(/[\[\]【】]/g, '');
    const title = cleanText($(a).attr('title') ?? '');
    // A pager stays in its column's folder; "首页" in the site menu is the home page, not page 1.
    if ((PAGER_TEXT.test(text) || PAGER_TEXT.test(title)) && directoryOf(u) === directoryOf(pageUrl)) found.push(u);
  }
  if (nextSelector) {
    $(nextSelector).each((_, el) => {
      const href = $(el).is('a') ? $(el).attr('href') : $(el).find('a[href]').first().attr('href');
      const u = resolveHref(href, pageUrl);
      if (u) found.push(u);
    });
  }
  const scripts = $('script')
    .toArray()
    .map((s) => $(s).text())
    .join('\n');
  found.push(...pagesFromCreatePageHtml(scripts, pageUrl));
  found.push(...pagesFromSequences(all, pageUrl));
  const self = pageUrl.split('#')[0];
  return [...new Set(found)].filter((u) => u !== self);
}
