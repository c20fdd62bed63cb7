/**
 * Keeping OCR misreads out of the values. A cell read by OCR is sure only when its reads agree
 * with good confidence and it is a well-formed number; any other is treated as a cell lost from
 * the source, which the identities restore only where two of them agree on its value. Where
 * the values still break an identity, single cells are tried as misread, one at a time; a
 * repair is kept only when exactly one cell explains the breaks and two identities confirm its
 * new value. Pure.
 */
import { type Slot, cellSlot, lostSlot } from '../match/candidates.js';
import type { ValueCell } from '../match/units.js';
import { type ReportMeta, titleLines } from '../normalize/meta.js';
import { looksLikeAgency } from '../normalize/agency.js';
import type { Identity } from '../template/index.js';
import { type SolveRow, type SolveResult, solve } from '../validate/solve.js';

/**
 * Lowest word confidence (0–100) at which an OCR'd number is taken: high for a cell in no
 * identity (nothing else will check it), low for one in identities, which are the real check
 * (an OCR'd number is shown only where an identity it is in holds; measured on the scan samples:
 * 60 → 10 reads 147 → 154 and 22 → 41 fields exactly, none wrong).
 */
export const OCR_SURE = 60;
export const OCR_CHECKED = 10;

/** Most cells tried as misread when identities break (each try is one solve). */
const MAX_TRIES = 80;
/** Most single-cell repairs in one table set. */
const MAX_REPAIRS = 4;

const COUNT = /^\d+$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** True when an OCR'd cell may not be taken as read. */
export function ocrUncertain(vc: ValueCell, checked = false): boolean {
  const text = vc.cell.text.replace(/\s+/g, '');
  const c = vc.cell.confidence;
  // A blank is doubted too: a number both reads missed looks the same (the builder keeps a blank
  // that the identities confirm as 0).
  if (vc.parsed.kind === 'blank') return true;
  if (c === undefined || c < (checked ? OCR_CHECKED : OCR_SURE)) return true;
  if (vc.parsed.kind !== 'number') return true;
  return !(COUNT.test(text) || DECIMAL.test(text));
}

export interface GuardedRow extends SolveRow {
  /** Per field index: the OCR cell behind a slot turned into 'missing'. */
  doubted: Map<number, ValueCell>;
}

/**
 * Readings with every doubtful OCR cell turned into a lost cell. Two guesses a text dump needs
 * are no evidence on a scan. Digits split into two columns: OCR read one word, which is one
 * number far more often than two run together, so readings that split a cell are dropped while
 * any other is left; when every reading splits one (the row lost more cells than the readings
 * allow for), the row's `cells` are placed in every order-kept way with the other slots lost. A
 * blank that left no trace: a number OCR missed looks the same, so it becomes a lost cell for the
 * identities to settle; `unread` holds those, for where the identities make one 0, the cell may
 * be a printed blank.
 */
export function doubtReadings(fields: string[], readings: Slot[][], checked: ReadonlySet<string> = new Set(), cells: readonly ValueCell[] = []): { readings: Slot[][]; doubted: Map<number, ValueCell>; unread: Set<Slot> } {
  const doubted = new Map<number, ValueCell>();
  const unread = new Set<Slot>();
  const whole = readings.filter((r) => !r.some((s) => s.kind === 'part'));
  const kept = whole.length ? whole : placements(cells, fields.length) ?? readings.map((r) => r.map((s): Slot => (s.kind === 'part' ? lostSlot('missing') : s)));
  const out = kept.map((r) =>
    r.map((slot, j): Slot => {
      if (slot.kind === 'vanished') {
        const lost: Slot = lostSlot('missing');
        unread.add(lost);
        return lost;
      }
      if (slot.kind === 'cell' && ocrUncertain(slot.vc, checked.has(fields[j]!))) {
        doubted.set(j, slot.vc);
        return lostSlot('missing');
      }
      return slot;
    }),
  );
  return { readings: out, doubted, unread };
}

/** Most placements of a row's cells tried (7 columns and 3 cells lost: 35). */
const MAX_PLACEMENTS = 210;

/**
 * Every reading that puts the cells, in order, into `k` slots and loses the other slots; null
 * when there are none or too many.
 *
 * Not candidates.ts's rebuild, which also places a short row's cells in order among lost slots,
 * on purpose: rebuild splits a cell of plain digits into glued cells, the very guess this replaces
 * (every reading that reaches here splits one), and keeps only readings that hold the row's own
 * identities, which an OCR misread would wrongly prune before doubtReadings turns it into a lost
 * cell. It also truncates a long list where this gives up (null) for the caller's fallback.
 */
export function placements(cells: readonly ValueCell[], k: number): Slot[][] | null {
  const c = cells.length;
  if (!c || c >= k) return null;
  let n = 1;
  for (let i = 0; i < c; i++) n = (n * (k - i)) / (i + 1);
  if (n > MAX_PLACEMENTS) return null;
  const out: Slot[][] = [];
  const walk = (slots: Slot[], t: number): void => {
    if (slots.length === k) {
      if (t === c) out.push(slots);
      return;
    }
    if (t < c) walk([...slots, cellSlot(cells[t]!)], t + 1);
    if (k - slots.length > c - t) walk([...slots, lostSlot('missing')], t);
  };
  walk([], 0);
  return out;
}

export interface Repair {
  row: number;
  index: number;
  vc: ValueCell;
}

/**
 * Where identities break, look for the one misread cell that explains them: each cell of a
 * broken identity (rows with a single reading) is tried as lost; a try counts when it breaks
 * fewer identities and two identities confirm the value it gets. Only a unique best try is
 * kept. Returns the final result and the cells turned into lost ones.
 */
export function repairMisreads(rows: SolveRow[], identities: readonly Identity[], first: SolveResult): { result: SolveResult; repairs: Repair[] } {
  let result = first;
  const repairs: Repair[] = [];
  let tries = 0;
  while (result.broken.length && repairs.length < MAX_REPAIRS && tries < MAX_TRIES) {
    const blamed = new Set(result.broken.flatMap((b) => [...b.identity.left, ...b.identity.right]));
    const good: { row: number; index: number; vc: ValueCell; result: SolveResult }[] = [];
    for (let i = 0; i < rows.length && tries < MAX_TRIES; i++) {
      const r = rows[i]!;
      if (r.readings.length !== 1) continue;
      const reading = r.readings[0]!;
      for (let j = 0; j < reading.length && tries < MAX_TRIES; j++) {
        const slot = reading[j]!;
        if (slot.kind !== 'cell' || !blamed.has(r.fields[j]!)) continue;
        tries++;
        const trial = rows.map((x, k) => (k === i ? { ...x, readings: [reading.map((s, m) => (m === j ? lostSlot('missing') : s))] } : x));
        const t = solve(trial, identities);
        const s = t.solved.get(r.fields[j]!);
        if (t.broken.length < result.broken.length && s && s.confirmations >= 2 && t.ambiguous.size <= result.ambiguous.size) good.push({ row: i, index: j, vc: slot.vc, result: t });
      }
    }
    if (!good.length) break;
    const least = Math.min(...good.map((g) => g.result.broken.length));
    const best = good.filter((g) => g.result.broken.length === least);
    // Two cells that would each mend the same break: the identities cannot say which is
    // misread. Cells that mend breaks of their own are two misreads, taken one after the other.
    if (best.length !== 1 && !mendApart(result, best.map((b) => b.result))) break;
    const g = best[0]!;
    const r = rows[g.row]!;
    rows[g.row] = { ...r, readings: [r.readings[0]!.map((s, m) => (m === g.index ? lostSlot('missing') : s))] };
    repairs.push({ row: g.row, index: g.index, vc: g.vc });
    result = g.result;
  }
  return { result, repairs };
}

/** Whether each trial mends identities that no other trial mends. */
function mendApart(before: SolveResult, trials: readonly SolveResult[]): boolean {
  const seen = new Set<string>();
  for (const t of trials) {
    const still = new Set(t.broken.map((b) => b.identity.id));
    for (const b of before.broken) {
      if (still.has(b.identity.id)) continue;
      if (seen.has(b.identity.id)) return false;
      seen.add(b.identity.id);
    }
  }
  return true;
}

/**
 * Labels read by OCR are kept only when the scan says them twice alike (the title and the
 * signature or the opening sentence): one misread character in an agency's name makes another
 * agency. Otherwise the listing's value, or none.
 */
export function confirmOcrMeta(meta: ReportMeta, text: string, fromHints: ReportMeta): ReportMeta {
  // Lines kept apart, spaces inside them dropped (OCR spaces Chinese at random).
  const flat = text.split(/\n/).map((l) => l.replace(/\s+/g, '')).join('\n');
  // Whole names only: "市海门区商务局" is said twice inside "南通市海门区商务局" but is not the agency.
  const twiceWhole = (s: string) => flat.split(s).slice(0, -1).filter((before) => !/\p{Script=Han}$/u.test(before)).length >= 2;
  const twice = (s: string) => flat.split(s).length - 1 >= 2;
  const out = { ...meta };
  if (out.agency && out.agencySource !== 'listing') {
    if (!twiceWhole(out.agency.replace(/\s+/g, ''))) {
      out.agency = fromHints.agency;
      out.agencySource = fromHints.agencySource;
    } else {
      // Confirmed without its spaces, and a space OCR put between two Chinese characters is not
      // in the name: "广州 市黄埔区教育局" would be another agency to a researcher's join.
      out.agency = out.agency.replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '');
    }
  }
  if (out.year !== null && out.yearSource !== 'listing' && !twice(`${out.year}年`)) {
    out.year = fromHints.year;
    out.yearSource = fromHints.yearSource;
  }
  return out;
}

/**
 * A scan's title where OCR misread a word of its fixed part ("言息公开工作年度报告"): the lines
 * before the first section, as "<agency><year>年…年度报告". Fills only what the text's own
 * reading left out; confirmOcrMeta then asks for the name and the year twice, as for any label
 * read by OCR.
 */
export function ocrTitleMeta(meta: ReportMeta, text: string): ReportMeta {
  if (meta.agency && meta.year !== null) return meta;
  const joined = titleLines(text).join('').replace(/\s+/g, '');
  const m = /^(.*?)((?:19|20)\d{2})年(?:度)?.{0,16}?年度报[告吿]/.exec(joined);
  if (!m) return meta;
  const out = { ...meta };
  if (out.year === null) {
    out.year = Number(m[2]);
    out.yearSource = 'title';
  }
  const agency = m[1]!.replace(/^(?:关于)/, '');
  if (!out.agency && agency && looksLikeAgency(agency, 'title')) {
    out.agency = agency;
    out.agencySource = 'title';
  }
  return out;
}
