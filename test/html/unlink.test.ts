/**
 * htmlToDoc unlinks the page's tree once read (dom.ts unlinkTree): what it returns is plain data,
 * the same on a second reading of the page, and the tree keeps no links.
 */
import { readFileSync } from 'node:fs';
import { load } from 'cheerio/slim';
import { describe, expect, it } from 'vitest';
import { htmlToDoc } from '../../src/extract/html.js';
import { descendants, unlinkTree } from '../../src/extract/html/dom.js';

describe('unlinking a read page', () => {
  it('leaves no node linked to another', () => {
    const $ = load('<html><body><div><p>一<b>二</b></p><table><tr><td>1</td></tr></table></div></body></html>');
    const root = $.root()[0]!;
    const nodes = [root, ...descendants(root)];
    expect(nodes.length).toBeGreaterThan(5);
    unlinkTree(root);
    for (const n of nodes) {
      expect(n.parent).toBeNull();
      expect(n.prev).toBeNull();
      expect(n.next).toBeNull();
      expect('children' in n ? n.children : []).toEqual([]);
    }
  });

  it('htmlToDoc returns the same document for the same page, read twice', () => {
    const html = readFileSync('samples/html/utf8-2019-plain.html', 'utf8');
    const a = htmlToDoc(html);
    expect(a.tables.length).toBeGreaterThan(0);
    expect(htmlToDoc(html)).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});
