/**
 * A <table>'s rows and cells as the HTML table model sees them: the grid (table-grid.ts) and the
 * tab-row text of a page (text-lines.ts) both walk them, so they live apart from either.
 */
import { type Element, childElements, isElement } from './dom.js';
import type { HiddenTest } from './hidden.js';

/**
 * The table's own rows (never those of a nested table), grouped by row group in the order the
 * HTML table model uses: thead and tbody (and bare rows) as they come, tfoot last.
 */
export function rowGroups(table: Element): Element[][] {
  const groups: Element[][] = [];
  const feet: Element[][] = [];
  let bare: Element[] | null = null;
  for (const child of childElements(table)) {
    if (child.name === 'tr') {
      // Consecutive bare rows (parsers that do not insert <tbody>) form one implied group.
      if (!bare) groups.push((bare = []));
      bare.push(child);
      continue;
    }
    bare = null;
    if (child.name === 'thead' || child.name === 'tbody') groups.push(childElements(child).filter(isRow));
    else if (child.name === 'tfoot') feet.push(childElements(child).filter(isRow));
  }
  return [...groups, ...feet].filter(isNonEmpty);
}

// Module-level callbacks: a closure made per call is compiled again and again.
const isRow = (e: Element) => e.name === 'tr';
const isNonEmpty = (g: readonly Element[]) => g.length > 0;

export function rowCells(tr: Element, hidden: HiddenTest): Element[] {
  // A cell hidden with display:none takes no slot in the rendered table.
  // A loop: a closure made per call is compiled again and again.
  const out: Element[] = [];
  for (const e of tr.children) if (isElement(e) && (e.name === 'td' || e.name === 'th') && !hidden.hides(e)) out.push(e);
  return out;
}

/**
 * Word's HTML export pads rows whose cell borders do not line up with zero-width
 * `mso-cell-special:placeholder` cells. They take a slot but are no cell of the document.
 */
export function isPlaceholderCell(td: Element): boolean {
  return /mso-cell-special\s*:\s*placeholder/i.test(td.attribs.style ?? '');
}
