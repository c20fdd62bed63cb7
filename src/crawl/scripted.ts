/**
 * Does a listing page need JavaScript to show its items? Asked only of a page on which no report
 * link was found: a portal that moved its column behind a script framework then answers 200 with
 * an empty shell, which must be told apart from a column that is merely empty or redesigned.
 * Pure: HTML in, verdict out.
 */
import * as cheerio from 'cheerio';

/** Below this many characters of visible text (scripts, styles and navigation aside) a page with scripts is a shell. */
const SHELL_TEXT_CHARS = 80;

/** Mount points of the common script frameworks, left empty in the HTML the server sends. */
const MOUNTS = ['#app', '#root', '#__nuxt', '#__next', '[ng-app]', '[data-reactroot]'];

/** An inline script that asks the server for data: the list arrives after the page. */
const LOADS_DATA = /\bfetch\s*\(|XMLHttpRequest|\$\.(ajax|get|getJSON|post)\s*\(|\baxios\b|\.load\s*\(/;

/** A placeholder the script replaces. */
const LOADING = /加载中|正在加载|数据加载|loading/i;

const NOSCRIPT_HINT = /javascript|启用.{0,6}脚本|开启.{0,6}脚本|浏览器.{0,10}(不支持|禁用)/i;

export function needsJavaScript(html: string): boolean {
  const $ = cheerio.load(html);
  const scripts = $('script').length;
  if (!scripts) return false;
  if (NOSCRIPT_HINT.test($('noscript').text())) return true;
  const inline = $('script:not([src])').text();
  if (LOADS_DATA.test(inline)) return true;
  if (LOADING.test($('body').clone().find('script, style').remove().end().text())) return true;
  if (MOUNTS.some((m) => $(m).length > 0 && $(m).first().text().trim() === '' && $(m).first().children().length === 0)) return true;
  $('script, style, noscript, template, nav, header, footer').remove();
  const text = $('body').text().replace(/\s+/g, '');
  return text.length < SHELL_TEXT_CHARS;
}
