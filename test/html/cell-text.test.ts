/** Cell and page text: Word-export nesting, blanks, line breaks, hidden content. */
import { describe, expect, it } from 'vitest';
import { htmlToDoc } from '../../src/extract/html.js';
import { hidingSelectors } from '../../src/extract/html/hidden.js';
import { parseCell } from '../../src/normalize/number.js';

/** The text of the single cell of a one-cell table. */
function cellOf(inner: string, head = ''): string {
  const d = htmlToDoc(`<html><head>${head}</head><body><table><tr><td>${inner}</td></tr></table></body></html>`);
  return d.tables[0]!.rows[0]![0]!.text;
}

describe('cell text', () => {
  it('reads through Word-export nesting', () => {
    expect(cellOf('<p class=MsoNormal align=center><span lang=EN-US style="font-size:10.5pt"><font face="仿宋_GB2312">１２<o:p></o:p></font></span></p>')).toBe('１２');
  });

  it('&nbsp; is a blank cell, not an absent one, and not a number', () => {
    const t = cellOf('<p class=MsoNormal><span>&nbsp;<o:p></o:p></span></p>');
    expect(t).toBe('\u00a0');
    expect(parseCell(t).kind).toBe('blank');
  });

  it('<br> and block elements break lines; source newlines and runs of spaces do not', () => {
    expect(cellOf('三<br>、<br/>本<br>年')).toBe('三\n、\n本\n年');
    expect(cellOf('<p>本年新</p><p>制作数量</p>')).toBe('本年新\n制作数量');
    expect(cellOf('<div>（三）不予</div>公开')).toBe('（三）不予\n公开');
    expect(cellOf('其他法律\n   行政法规   禁止公开')).toBe('其他法律 行政法规 禁止公开');
    expect(cellOf('<span>结果</span>\n<span>维持</span>')).toBe('结果 维持');
  });

  it('leaves out hidden elements, scripts and styles', () => {
    expect(cellOf('5<span style="display:none;mso-hide:all">8</span>')).toBe('5');
    expect(cellOf('5<span style="DISPLAY: NONE">8</span>')).toBe('5');
    expect(cellOf('5<span style="visibility:hidden">8</span>')).toBe('5');
    expect(cellOf('5<span hidden>8</span>')).toBe('5');
    expect(cellOf('5<script>document.write("8")</script><style>td{color:red}</style>')).toBe('5');
    // display:none that is only a word inside another declaration hides nothing.
    expect(cellOf('5<span style="mso-display:none-ish">8</span>')).toBe('58');
  });

  it("leaves out elements hidden by the page's style sheet, but not by print-only or hover rules", () => {
    const head = '<style>.hide, #x { display: none } @media print { .screen { display:none } } a:hover .tip { display:none }</style>';
    expect(cellOf('5<span class="hide">8</span><span id="x">9</span>', head)).toBe('5');
    expect(cellOf('5<span class="screen">8</span>', head)).toBe('58');
    expect(cellOf('5<span class="tip">8</span>', head)).toBe('58');
  });

  it('preformatted text keeps its line breaks', () => {
    expect(cellOf('<pre>一\n二</pre>')).toBe('一\n二');
  });
});

describe('style sheet rules', () => {
  it('collects the selectors of top-level rules that hide', () => {
    expect(hidingSelectors('/* c */ .a,.b{display:none} .c{color:red} @media print{.d{display:none}} .e{visibility:hidden;} .f{mso-hide:all}')).toEqual(['.a', '.b', '.e', '.f']);
  });
});

describe('page text', () => {
  it('writes each data table row as one line of tab-separated cells', () => {
    const d = htmlToDoc('<body><h1>某局2020年政府信息公开工作年度报告</h1><table><tr><td>规章</td><td>1</td><td></td><td>3</td></tr></table><p>结束</p></body>');
    expect(d.text).toBe('某局2020年政府信息公开工作年度报告\n规章\t1\t\t3\n结束');
  });
});
