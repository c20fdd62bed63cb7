/**
 * strictDom is a shortcut to parse5's tree: where it answers, its tree must be parse5's, node for
 * node (elements, attributes in order, text); where a page needs more of the HTML standard, it
 * must refuse. Checked over every HTML page the repository holds, the generated report pages,
 * and copies of them damaged at random (a fixed seed), and over pages known to part the two ways.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';
import type { AnyNode } from 'domhandler';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/extract/decode.js';
import { docxToHtml } from '../../src/extract/docx/mammoth-html.js';
import { readWordBody } from '../../src/extract/docx/word-read.js';
import { wordToHtml } from '../../src/extract/docx/word-html.js';
import { guardDocx } from '../../src/extract/docx/zip-guard.js';
import { strictDom } from '../../src/extract/html/strict-dom.js';
import { generateReport } from '../fixtures/report.js';
import { renderHtml } from '../fixtures/render-html.js';
import { generateOldReport, renderOldHtml } from '../fixtures/render-pre2019.js';

/** The tree as lines: elements with their attributes, text nodes; comments and doctypes are never read. */
function lines(node: AnyNode, out: string[] = [], depth = 0): string[] {
  if (node.type === 'text') out.push(`${' '.repeat(depth)}${JSON.stringify(node.data)}`);
  if (node.type === 'tag' || node.type === 'script' || node.type === 'style') out.push(`${' '.repeat(depth)}<${node.name} ${JSON.stringify(Object.entries(node.attribs))}`);
  if ('children' in node) for (const c of node.children) lines(c, out, depth + 1);
  return out;
}

const parse5Lines = (html: string) => lines(parse(html, { treeAdapter: adapter, scriptingEnabled: true }) as AnyNode);

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? htmlFiles(p) : /\.html?$/i.test(n) ? [p] : [];
  });
}

const samples = join(import.meta.dirname, '../../samples');
const docxFiles = readdirSync(join(samples, 'docx')).filter((f) => f.endsWith('.docx')).map((f) => join(samples, 'docx', f));

const pages: { name: string; html: string }[] = [
  ...htmlFiles(samples).map((f) => ({ name: f.replace(/.*samples\//, ''), html: decodeText(readFileSync(f), null).text })),
  // DOCX reaches the HTML adapter as mammoth's HTML (a fragment), from the direct reader or mammoth.
  ...docxFiles.map((f) => ({ name: `${f.replace(/.*samples\//, '')} (direct)`, html: wordToHtml(readWordBody(guardDocx(readFileSync(f), 1 << 30))!) })),
  ...(await Promise.all(docxFiles.slice(0, 2).map(async (f) => ({ name: `${f.replace(/.*samples\//, '')} (mammoth)`, html: await docxToHtml(readFileSync(f)) })))),
  ...Array.from({ length: 8 }, (_, i) => ({ name: `generated ${i + 1}`, html: renderHtml(generateReport(i + 1, { template: i % 2 ? '2019' : '2021', blankZeros: i % 3 === 0 ? 0.5 : 0, fullWidth: i % 4 === 0 })) })),
  ...Array.from({ length: 2 }, (_, i) => ({ name: `pre-2019 ${i + 1}`, html: renderOldHtml(generateOldReport(i + 1)) })),
];

/** Balanced insertions (which often leave a page plain) and damage (which often does not). */
const INSERTS = [
  '<b>x</b>', '<span class=a>&amp;y</span>', '<div><p>a</p></div>', '<a href="a&amp;b&notit;c">l</a>', '&nbsp;', '&nbsp', '&amp',
  '&#128;', '&#x1F600;', '&#0;', '&notit;', '&copy', '&lt;td&gt;', '\n', '\r\n', '\r', '\u3000', '<!-- c -->', '<!---->', '<!-->',
  '<![if x]>', '<?xml y?>', '<br>', '<br/>', '<img src="a">', '<font color=red>r</font>', '<o:p></o:p>', '<p>p</p>',
  '<table><tr><td>1</td></tr></table>', '<table>\n<tr><td>1</td></tr>\n</table>', '<ul><li>1</li><li>2</li></ul>',
  '<span style="display:none">h</span>', '<h3>t</h3>', '<script>var a="</div>";</script>', '<style>.x{display:none}</style>',
  '<select><option>1</option></select>', '<input type=text>', '<form action=x></form>', '<A HREF="Y" Class=Z>u</A>',
  '<div a="1" a="2">d</div>', '<div a=x>b=c</div>', '</x>', '<x/>', '<', '<3', '< p>', '&', '<div\nclass=a>n</div>',
  '<title>t&amp;</title>', '<dl><dt>a</dt><dd>b</dd></dl>',
];
const DAMAGE = [
  '</td>', '<td>', '<tr>', '</tr>', '<p>', '</p>', 'x', '<!--', '-->', '</ div>', '<b>', '</b>', '<table>', '</table>', '<li>',
  '<a href=x>', '</a>', '<script>', '</script/>', '<title>', '</br>', '<tbody>', '<div>', '</div>', '<h1>', '<h2>', '</h1>',
  '<form>', '<![CDATA[a>b]]>', '<div a="x>y">', '</div a=">">', '--!>', '<td', '<col>', '<caption>', '<dd>', '<input>',
  '</body>', '</html>', '<body>', '<p/>', '<thead>', '<th>', '<option>', '</select>', '<pre>\n', '<noscript>', '\0',
];

/** A seeded generator: the same damaged pages on every run. */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

function damaged(html: string, rnd: (n: number) => number): string {
  const gts = [...html.matchAll(/>/g)].map((m) => m.index! + 1);
  const at = gts.length && rnd(4) ? gts[rnd(gts.length)]! : rnd(html.length);
  if (rnd(3)) return html.slice(0, at) + INSERTS[rnd(INSERTS.length)] + html.slice(at);
  if (rnd(2)) return html.slice(0, at) + DAMAGE[rnd(DAMAGE.length)] + html.slice(at);
  const tags = [...html.matchAll(/<[^>]*>/g)];
  const t = tags[rnd(tags.length)]!;
  return html.slice(0, t.index) + html.slice(t.index! + t[0].length); // a tag left out
}

describe('strictDom', () => {
  it('builds parse5’s tree for every page it accepts, and accepts the generated report pages', () => {
    let accepted = 0;
    for (const p of pages) {
      const mine = strictDom(p.html);
      if (/^generated|^pre-2019|\.docx/.test(p.name)) expect(mine, p.name).not.toBeNull();
      if (!mine) continue;
      accepted++;
      expect(lines(mine), p.name).toEqual(parse5Lines(p.html));
    }
    expect(accepted).toBeGreaterThanOrEqual(pages.length / 2);
  });

  it('builds parse5’s tree or refuses, on damaged copies of every page', () => {
    const rnd = random(20261205);
    let accepted = 0;
    let refused = 0;
    for (const p of pages) {
      for (let i = 0; i < 10; i++) {
        const html = damaged(p.html, rnd);
        const mine = strictDom(html);
        if (!mine) {
          refused++;
          continue;
        }
        accepted++;
        expect(lines(mine), `${p.name} #${i}`).toEqual(parse5Lines(html));
      }
    }
    // Both roads are taken often enough for the comparison to mean something.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(50);
  });

  const page = (body: string, head = '<title>t</title>') => `<!DOCTYPE html>\n<html><head>${head}</head>\n<body>${body}</body>\n</html>\n`;

  it.each([
    ['text written straight into a table (moved before it)', page('<table>x<tr><td>1</td></tr></table>')],
    ['a cell written straight into a table (a row is implied)', page('<table><td>1</td></table>')],
    ['an unclosed cell', page('<table><tr><td>1<td>2</td></tr></table>')],
    ['misnested formatting', page('<b><p>x</b>y</p>')],
    ['a block in an open paragraph', page('<p>a<div>b</div></p>')],
    ['a table in an open paragraph (quirks mode keeps it inside)', page('<p><table><tr><td>1</td></tr></table></p>')],
    ['a heading closing another', page('<h2>a</h1>')],
    ['an item in an open item', page('<ul><li>a<li>b</li></ul>')],
    ['a link in a link', page('<a href=x>a<a href=y>b</a></a>')],
    ['an end tag with a space before its name', page('<div>a</ div></div>')],
    ['an end tag with an attribute holding ">"', page('<div>a</div x=">">b')],
    ['a comment ended by --!>', page('<!-- a --!><p>b</p>-->')],
    ['CDATA in HTML', page('<p><![CDATA[a>b]]></p>')],
    ['a script ended by </script/>', page('<script>a</script/>b</script>')],
    ['a script holding <!--<script>', page('<script><!--<script>x</script>y--></script>')],
    ['a self-closed script', page('<script/><p>a</p>')],
    ['a NUL character', page('<p>a\0b</p>')],
    ['pre, which drops its first newline', page('<pre>\na</pre>')],
    ['noscript, raw text when scripting is on', page('<noscript><p>a</p></noscript>')],
    ['textarea', page('<textarea>&amp;</textarea>')],
    ['no <body> written', '<html><head></head><p>a</p></html>'],
    ['a fragment starting with a head element', '<style>p{}</style><p>a</p>'],
    ['a fragment with a <body> tag later', '<p>a</p><body class=x><p>b</p></body>'],
    ['a <div> in <head>', '<html><head><div>a</div></head><body></body></html>'],
    ['an element after </body>', page('') + '<p>late</p>'],
    ['a page ending inside a tag', page('a') + '<p class="x'],
    ['svg', page('<svg><title>a</title></svg>')],
  ])('refuses %s', (_what, html) => {
    expect(strictDom(html)).toBeNull();
  });

  it.each([
    ['rows written straight into a table (a tbody is implied)', page('<table>\n<tr><td>1</td></tr>\n<!-- c -->\n<tr><td>2</td></tr>\n<thead><tr><th>h</th></tr></thead><tr><td>3</td></tr></table>')],
    ['</table> closing an open row group', page('<table><tbody><tr><td>1</td></tr></table>')],
    ['entities in text and attributes', page('<p title="a&amp;b&notit;c&ampx">&nbsp&copy;&#128;&#x1F600;&#0;&notin;&amp</p>')],
    ['CR LF and lone CR', page('<p>a\r\nb\rc</p>\r\n')],
    ['white space and comments after </body> and </html>', page('<p>a</p>') + '<!-- x -->\n\n'],
    ['duplicate attributes and upper case names', page('<DIV Class=a CLASS=b ID="c">x</DIV>')],
    ['Word’s conditional comments and namespaced tags', page('<p><![if !supportLists]>1.<![endif]><o:p>&nbsp;</o:p></p>', '<?xml:namespace prefix = o ns = "urn:schemas-microsoft-com:office:office" /><style>p{}</style>')],
    ['a title with entities', page('<p>a</p>', '<title>a &amp; b &lt;c&gt;</title>')],
    ['a fragment (implied html, head and body)', '\n <!-- c -->\n<h1>t</h1><p>a<br />b</p><table><tr><td>1</td></tr></table>\n'],
    ['a fragment starting with text', '  \n x <p>a</p>'],
  ])('builds parse5’s tree for %s', (_what, html) => {
    const mine = strictDom(html);
    expect(mine).not.toBeNull();
    expect(lines(mine!)).toEqual(parse5Lines(html));
  });
});
