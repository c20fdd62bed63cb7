/**
 * Which paragraphs of a DOCX are list items, and at what level, as mammoth decides it
 * (node_modules/mammoth/lib/docx/numbering-xml.js and body-reader.js's readNumberingProperties):
 * a paragraph's own w:numPr, else a numbering level that names its style, resolved through
 * `word/numbering.xml` (w:num → w:abstractNum, following w:numStyleLink to a numbering style).
 * Records are keyed in null-prototype objects on purpose: their key order (integer-like keys
 * first, ascending) decides which level wins when two name the same style, as in mammoth.
 */
import type { Element } from 'domhandler';

export interface ListLevel {
  /** The level index as written (w:ilvl), compared with numbers as mammoth compares it. */
  level: string;
  isOrdered: boolean;
  paragraphStyleId: string | undefined;
}

/** Thrown for numbering mammoth itself would fail on; the caller hands the document to mammoth. */
export class NumberingUnsupported extends Error {}

interface AbstractNum {
  levels: Record<string, ListLevel>;
  numStyleLink: string | undefined;
}

const kids = (n: Element, name: string): Element[] => n.children.filter((c): c is Element => c.type === 'tag' && c.name === name);
const firstKid = (n: Element | undefined, name: string): Element | undefined => (n ? kids(n, name)[0] : undefined);

export interface Numbering {
  findLevel(numId: string, level: string): ListLevel | null | undefined;
  findLevelByParagraphStyleId(styleId: string): ListLevel | null;
}

/** `numberingStyles`: numbering style id → its w:numId (from styles.xml). */
export function readNumbering(root: Element | null, numberingStyles: ReadonlyMap<string, string | undefined>): Numbering {
  const abstractNums: Record<string, AbstractNum> = Object.create(null);
  const nums: Record<string, { abstractNumId: string | undefined }> = Object.create(null);
  for (const a of root ? kids(root, 'w:abstractNum') : []) {
    const levels: Record<string, ListLevel> = Object.create(null);
    let withoutIndex: ListLevel | null = null;
    for (const l of kids(a, 'w:lvl')) {
      const index = l.attribs['w:ilvl'];
      const level = {
        level: index ?? '0',
        isOrdered: firstKid(l, 'w:numFmt')?.attribs['w:val'] !== 'bullet',
        paragraphStyleId: firstKid(l, 'w:pStyle')?.attribs['w:val'],
      };
      if (index === undefined) withoutIndex = level;
      else levels[index] = level;
    }
    if (withoutIndex && levels['0'] === undefined) levels['0'] = withoutIndex;
    abstractNums[a.attribs['w:abstractNumId']!] = { levels, numStyleLink: firstKid(a, 'w:numStyleLink')?.attribs['w:val'] };
  }
  for (const n of root ? kids(root, 'w:num') : []) {
    const ref = firstKid(n, 'w:abstractNumId');
    if (!ref) throw new NumberingUnsupported('w:num without w:abstractNumId');
    nums[n.attribs['w:numId']!] = { abstractNumId: ref.attribs['w:val'] };
  }
  const byStyle: Record<string, ListLevel> = Object.create(null);
  for (const a of Object.values(abstractNums)) for (const l of Object.values(a.levels)) if (l.paragraphStyleId != null) byStyle[l.paragraphStyleId] = l;

  const findLevel = (numId: string, level: string, seen: Set<string>): ListLevel | null | undefined => {
    if (seen.has(numId)) return null;
    seen.add(numId);
    const num = nums[numId];
    if (!num) return null;
    const abstract = abstractNums[num.abstractNumId!];
    if (!abstract) return null;
    if (abstract.numStyleLink == null) return abstract.levels[level];
    // mammoth fails on a link to a style that does not exist; a style without a numId is looked up as "undefined".
    if (!numberingStyles.has(abstract.numStyleLink)) throw new NumberingUnsupported('numStyleLink to a missing style');
    return findLevel(String(numberingStyles.get(abstract.numStyleLink)), level, seen);
  };
  return {
    findLevel: (numId, level) => findLevel(numId, level, new Set()),
    findLevelByParagraphStyleId: (styleId) => byStyle[styleId] ?? null,
  };
}

/** mammoth's readNumberingProperties: the list level of a paragraph, or nothing. */
export function paragraphLevel(numbering: Numbering, styleId: string | null, numPr: Element | undefined): ListLevel | null | undefined {
  const level = firstKid(numPr, 'w:ilvl')?.attribs['w:val'];
  const numId = firstKid(numPr, 'w:numId')?.attribs['w:val'];
  if (level !== undefined && numId !== undefined) return numbering.findLevel(numId, level);
  if (styleId != null) {
    const byStyle = numbering.findLevelByParagraphStyleId(styleId);
    if (byStyle != null) return byStyle;
  }
  if (numId !== undefined) return numbering.findLevel(numId, '0');
  return null;
}
