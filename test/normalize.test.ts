import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../src/extract/decode.js';
import { isPdf, mayBeLegacyWord, sniffFormat } from '../src/extract/sniff.js';
import { extractMeta, parseTitle } from '../src/normalize/meta.js';
import { inferUnit, resolveMoney, unitInText } from '../src/normalize/money.js';
import { chineseToNumber, parseCell, scaleDecimal, toYuan } from '../src/normalize/number.js';
import { labelKey, normalizeText, stripNonWord } from '../src/normalize/text.js';
import { firstLines } from '../src/record/metadata.js';

const num = (s: string, opts = {}) => {
  const p = parseCell(s, opts);
  return p.kind === 'number' ? p.value : p.kind;
};

describe('parseCell', () => {
  it('reads plain, full-width and separated numbers', () => {
    expect(num('12')).toBe(12);
    expect(num('１２３')).toBe(123);
    expect(num(' 1,234 ')).toBe(1234);
    expect(num('1，234')).toBe(1234);
    expect(num('12件')).toBe(12);
    expect(num('3条')).toBe(3);
  });
  it('reads negative changes written several ways', () => {
    expect(num('-3')).toBe(-3);
    expect(num('－3')).toBe(-3);
    expect(num('−3')).toBe(-3);
    expect(num('减少3')).toBe(-3);
    expect(num('减3')).toBe(-3);
    expect(num('增加5')).toBe(5);
    expect(num('+2')).toBe(2);
  });
  it('treats blanks and blank markers as blank, labels as text', () => {
    for (const b of ['', ' ', '\u00a0', '\u3000', '-', '—', '/', '无']) expect(parseCell(b).kind).toBe('blank');
    expect(parseCell('2.重复申请').kind).toBe('text');
    expect(parseCell('（三）').kind).toBe('text');
    expect(parseCell('1,2').kind).toBe('text');
  });
  it('keeps money units and the digits as written', () => {
    const p = parseCell('83.8778万元');
    expect(p).toMatchObject({ kind: 'number', unit: '万元', decimal: '83.8778' });
    expect(parseCell('200326元')).toMatchObject({ unit: '元', value: 200326 });
    expect(parseCell('1.5亿元')).toMatchObject({ unit: '亿元', decimal: '1.5' });
    expect(parseCell('3千元')).toMatchObject({ unit: '元', value: 3000 });
  });
  it('marks plain digit runs that may be glued cells', () => {
    expect(parseCell('1000001')).toMatchObject({ digits: '1000001' });
    expect(parseCell('1,000')).toMatchObject({ digits: null });
    expect(parseCell('12.5')).toMatchObject({ digits: null });
  });
  it('reads Chinese numerals only where asked', () => {
    expect(num('十二', { chineseNumerals: true })).toBe(12);
    expect(num('十二')).toBe('text');
    expect(chineseToNumber('一百零五')).toBe(105);
    expect(chineseToNumber('二〇二〇')).toBe(2020);
    expect(chineseToNumber('三万五千')).toBe(35000);
    expect(chineseToNumber('两千零一')).toBe(2001);
    expect(chineseToNumber('三、')).toBeNull();
  });
  it('strips Word bookmark markers', () => {
    expect(num('[bookmark: _GoBack]5600元')).toBe(5600);
  });
});

describe('money', () => {
  it('scales decimals exactly', () => {
    expect(scaleDecimal('83.8778', 4)).toBe('838778');
    expect(scaleDecimal('25.67', 4)).toBe('256700');
    expect(scaleDecimal('96171.6', 4)).toBe('961716000');
    expect(scaleDecimal('0.005', 4)).toBe('50');
    expect(scaleDecimal('1.23456', 4)).toBe('12345.6');
    expect(toYuan('0.1', '亿元')).toBe(10_000_000);
    expect(toYuan('7730.28', '万元')).toBe(77_302_800);
  });
  it('prefers the cell unit, then the report header, then the template header', () => {
    const base = { decimal: '12.5', negative: false, count: 2 };
    expect(resolveMoney({ ...base, cellUnit: '元', reportHeaderUnit: '万元', templateHeaderUnit: null })).toMatchObject({ yuan: 12.5, source: 'cell', conflict: expect.any(String) });
    expect(resolveMoney({ ...base, cellUnit: null, reportHeaderUnit: '元', templateHeaderUnit: '万元' })).toMatchObject({ yuan: 12.5, source: 'header' });
    expect(resolveMoney({ ...base, cellUnit: null, reportHeaderUnit: null, templateHeaderUnit: '万元' })).toMatchObject({ yuan: 125000, source: 'template' });
  });
  it('infers a bare amount and says how sure it is', () => {
    expect(inferUnit('25.67', 2)).toMatchObject({ unit: '万元', confident: true });
    expect(inferUnit('83.8778', 7)).toMatchObject({ unit: '万元', confident: true });
    expect(inferUnit('20032600', 3)).toMatchObject({ unit: '元', confident: true });
    expect(inferUnit('5000', 2)).toMatchObject({ confident: false });
    expect(inferUnit('0', 0)).toMatchObject({ confident: true });
  });
  it('finds a unit named in header text', () => {
    expect(unitInText('采购总金额（万元）')).toBe('万元');
    expect(unitInText('本年收费金额（单位：万元）')).toBe('万元');
    expect(unitInText('单位：元')).toBe('元');
    expect(unitInText('采购项目数量')).toBeNull();
  });
});

describe('text normalization', () => {
  it('maps radicals that PDF fonts emit back to ideographs', () => {
    expect(normalizeText('⽂件')).toBe('文件');
    expect(normalizeText('第1⻚')).toBe('第1页');
    expect(normalizeText('⻔户⽹站')).toBe('门户网站');
  });
  it('reduces labels to comparison keys', () => {
    expect(labelKey('（三）不予 公开\n1.属于国家秘密')).toBe('不予公开属于国家秘密');
    expect(labelKey('度 办 理 结 果')).toBe('度办理结果');
    expect(labelKey('3.危及“三安全一稳定”')).toBe('危及三安全一稳定');
  });
});

describe('agency and year', () => {
  it.each([
    ['南通市海门区商务局2020年政府信息公开\n\n工作年度报告', '南通市海门区商务局', 2020],
    ['广州市黄埔区商务局 开发区商务局\n\n2020 年政府信息公开工作\n\n年度报告', '广州市黄埔区商务局 开发区商务局', 2020],
    ['2021年广州市教育局政府信息公开工作年度报告', '广州市教育局', 2021],
    ['XX市财政局关于2020年度政府信息公开工作的年度报告', 'XX市财政局', 2020],
    ['二〇二二年某区人民政府政务公开工作年度报告', '某区人民政府', 2022],
    ['淮安市人民政府\n2024 年政府信息公开工作年度报告', '淮安市人民政府', 2024],
  ])('%s', (text, agency, year) => {
    expect(parseTitle(text)).toMatchObject({ agency, year });
  });
  it('falls back to the reporting period and the signature', () => {
    const text = '政府信息公开工作年度报告\n本报告所列数据统计期限自2022年1月1日起至2022年12月31日止。\n一、总体情况\n本年度，本机关认真贯彻落实条例。\n二、主动公开政府信息情况\n正文\n某某县水利局\n2023年1月20日\n- 5 -';
    expect(extractMeta(text)).toMatchObject({ agency: '某某县水利局', year: 2022, yearSource: 'period', agencySource: 'signature' });
  });
  it('uses listing hints last', () => {
    expect(extractMeta('年度报告', { agency: '某局', year: 2021 })).toMatchObject({ agency: '某局', year: 2021, agencySource: 'listing', yearSource: 'listing' });
  });
});

describe('bytes', () => {
  it('decodes GBK without a declared charset', () => {
    const gbk = iconv.encode('政府信息公开工作年度报告', 'gbk');
    expect(decodeText(gbk)).toMatchObject({ text: '政府信息公开工作年度报告', charset: 'gb18030', via: 'fallback' });
    expect(decodeText(gbk, 'GB2312').text).toBe('政府信息公开工作年度报告');
  });
  it('believes the bytes over a declaration they contradict, either way', () => {
    const utf8 = Buffer.from('<p>政府信息公开工作年度报告</p>', 'utf8');
    expect(decodeText(utf8, 'text/html; charset=GBK')).toMatchObject({ text: '<p>政府信息公开工作年度报告</p>', charset: 'utf-8', via: 'utf-8' });
    const gbk = iconv.encode('<p>政府信息公开工作年度报告</p>', 'gbk');
    expect(decodeText(gbk, 'utf-8')).toMatchObject({ text: '<p>政府信息公开工作年度报告</p>', charset: 'gb18030', via: 'fallback' });
    // Pure ASCII reads the same either way, so the declaration stands.
    expect(decodeText(Buffer.from('<p>2022</p>'), 'GBK')).toMatchObject({ charset: 'gb18030', via: 'declared' });
  });
  it('sniffs formats from magic bytes, not names', () => {
    expect(sniffFormat(Buffer.from('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffFormat(Buffer.from('<!DOCTYPE html><html>'))).toBe('html');
    expect(sniffFormat(Buffer.from('一、总体情况\n'))).toBe('text');
    expect(sniffFormat(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toBe('zip');
    expect(sniffFormat(new Uint8Array())).toBe('empty');
    expect(sniffFormat(Buffer.from([0, 1, 2, 3, 0, 0, 0]))).toBe('unknown');
  });
  it('answers "a PDF?" and "maybe a .doc/.wps?" as the full sniff would', () => {
    const ole2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    const files = readdirSync('samples', { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name)));
    const made = [
      new Uint8Array(),
      Buffer.from('%PDF-1.7\n'),
      Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\n\r\n'), Buffer.from('%PDF-1.4')]),
      Buffer.concat([Buffer.alloc(1020, 0x20), Buffer.from('%PDF-1.4')]), // past the 1,024 bytes
      Buffer.concat([Buffer.from(ole2), Buffer.from('%PDF-1.4')]),
      Buffer.concat([Buffer.from(ole2), Buffer.from('WordDocument', 'utf16le')]),
      Buffer.from(ole2.slice(0, 5)),
    ];
    expect(files.filter((b) => sniffFormat(b) === 'pdf').length).toBeGreaterThan(0);
    expect(files.filter((b) => sniffFormat(b) === 'doc' || sniffFormat(b) === 'wps').length).toBeGreaterThan(0);
    for (const b of [...files, ...made]) {
      const f = sniffFormat(b);
      expect(isPdf(b)).toBe(f === 'pdf');
      if (f === 'doc' || f === 'wps') expect(mayBeLegacyWord(b)).toBe(true);
    }
    expect(mayBeLegacyWord(made[5]!)).toBe(true);
    expect(mayBeLegacyWord(made[4]!)).toBe(false);
  });
});

describe('titles under portal navigation', () => {
  it('reads the agency, not the breadcrumbs above it', () => {
    const text = '首页\n政务公开\n政府信息公开年报\n当前位置：首页 > 政务公开 > 政府信息公开年报\n广州市黄埔区教育局2022年政府信息公开工作年度报告\n一、总体情况';
    expect(parseTitle(text)).toMatchObject({ agency: '广州市黄埔区教育局', year: 2022 });
  });
  it('keeps an agency set alone on the line above the year', () => {
    expect(parseTitle('网站首页\n广州市黄埔区商务局\n2020 年政府信息公开工作\n年度报告')).toMatchObject({ agency: '广州市黄埔区商务局', year: 2020 });
  });
});

describe('stripNonWord', () => {
  const byRegex = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '');
  it('keeps exactly the letters and digits the Unicode classes name', () => {
    const samples = [
      '',
      '（三）不予公开\n1.属于国家秘密　 0 0 ①②Ⅻ ¼ ²',
      'abc,DEF-123_ä ß ٣ ๔ 　\t\u00a0\u200b\ufeff',
      // Astral letters and digits, emoji, lone surrogates at either end and inside.
      '𠀀𝟘😀\ud800x\udc00y\ud83d',
      '\udc00𠀀\ud800',
      '全部是字',
    ];
    for (const s of samples) expect(stripNonWord(s)).toBe(byRegex(s));
    // Every BMP unit once, in one string.
    let all = '';
    for (let c = 0; c < 0x10000; c++) all += String.fromCharCode(c);
    expect(stripNonWord(all)).toBe(byRegex(all));
  });
});

describe('firstLines', () => {
  it('gives the head of a text as splitting the whole text would', () => {
    const texts = ['', 'one', 'a\nb', 'a\r\nb\r\n', 'a\r\r\nb', '\n\r\n\r\n\n', 'x\n'.repeat(40), 'a\rb\nc', `${'line\r\n'.repeat(14)}last\r\nafter`];
    for (const t of texts) for (const n of [0, 1, 2, 15]) expect(firstLines(t, n)).toBe(t.split(/\r?\n/).slice(0, n).join('\n'));
  });
});
