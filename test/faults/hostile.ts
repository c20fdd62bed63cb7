/**
 * Hostile HTML for the fault server: pages built to make a parser slow, deep or greedy. Each is
 * plain data (path, bytes, what the crawl must store for it), served by test/faults/server.ts.
 */
import type { Handler } from './server.js';
import { fault } from './server.js';

/** `n` levels of `open`, a word, and the matching closes (or none: the page ends open). */
function nest(open: string, close: string, n: number, closed = true): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报</title></head><body>${open.repeat(n)}本年新收 予以公开 行政复议${closed ? close.repeat(n) : ''}</body></html>`;
}

export interface HostilePage {
  name: string;
  path: string;
  handler: Handler;
  /** Where the crawl stops it: a discovery failure of the page, or the failed record of the document. */
  expect: { stage: 'discover'; reason: string } | { stage: 'extract'; code: string };
}

const html = (s: string) => fault.ok(s, 'text/html; charset=utf-8');

/** Article pages (linked from the listing as reports): discovery must fail each page alone. */
export const HOSTILE_ARTICLES: HostilePage[] = [
  { name: '1,000 nested tables (30 KB)', path: '/art/deep-tables.html', handler: html(nest('<table><tr><td>', '</td></tr></table>', 1_000)), expect: { stage: 'discover', reason: 'too_complex' } },
  { name: '400,000 nested divs (4.4 MB)', path: '/art/deep-divs.html', handler: html(nest('<div>', '</div>', 400_000)), expect: { stage: 'discover', reason: 'too_complex' } },
  { name: '100,000 nested inline elements, never closed', path: '/art/deep-inline.html', handler: html(nest('<span><b><font color=red>', '', 33_000, false)), expect: { stage: 'discover', reason: 'too_complex' } },
  { name: 'an element with 100,000 attributes', path: '/art/attributes.html', handler: html(`<html><body><div ${Array.from({ length: 100_000 }, (_, i) => `data-a${i}="${i}"`).join(' ')}>x</div></body></html>`), expect: { stage: 'discover', reason: 'too_complex' } },
  // Parses fine, holds no report: the crawl keeps it as an inline report, and extraction says so.
  { name: 'a 5 MB single text node', path: '/art/text-node.html', handler: html(`<html><body><p>${'年'.repeat(1_700_000)}</p></body></html>`), expect: { stage: 'extract', code: 'no_tables' } },
  { name: '100,000 unclosed tags a browser closes (<p>, <li>, <td>)', path: '/art/unclosed.html', handler: html(`<html><body>${'<p>段落<li>条目<table><tr><td>格<td>格</table>'.repeat(20_000)}`), expect: { stage: 'extract', code: 'no_tables' } },
  { name: 'a page that never finishes sending', path: '/art/never-ends.html', handler: fault.trickle(200, 'text/html'), expect: { stage: 'discover', reason: 'timeout' } },
];

/** Documents linked straight from the listing: fetched fine, extraction must fail each alone. */
export const HOSTILE_DOCUMENTS: HostilePage[] = [
  { name: 'a report of 100,000 nested table levels (served as .doc)', path: '/files/deep-table.doc', handler: fault.ok(nest('<table><tr><td>', '', 100_000, false), 'application/msword'), expect: { stage: 'extract', code: 'too_complex' } },
  { name: 'a report of 400,000 nested divs (served as .pdf)', path: '/files/deep-divs.pdf', handler: fault.ok(nest('<div>', '</div>', 400_000), 'application/pdf'), expect: { stage: 'extract', code: 'too_complex' } },
];

/**
 * Listing pages that pass every structural limit and still take a parser far past any time
 * budget: only the parse pool's hard time limit stops them. Text and inline elements written
 * straight into a <table>, with no cell to hold them (a real kind of broken markup): HTML puts
 * each one before the table ("foster parenting"), and the DOM adapter finds the table's place
 * among its growing list of siblings anew for every one, so parsing costs the square of their
 * number — minutes for 2 MB at 250,000 elements, half the element limit. (Until #11's follow-up,
 * 3,000 links in one <div> served here, through a quadratic date search of our own, now linear.
 * Should the adapter's insert become linear, this page must be replaced by another that defeats
 * the structural limits, or the time limit goes untested.)
 */
export const HOSTILE_LISTINGS: HostilePage[] = [
  {
    name: '250,000 inline elements straight inside a <table> (2 MB, quadratic to parse)',
    path: '/list/fostered.html',
    handler: html(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报</title></head><body><table><tr>${'x<i>y</i>'.repeat(250_000)}</tr></table></body></html>`),
    expect: { stage: 'discover', reason: 'too_complex' },
  },
];
