/**
 * Grid → record: match the document (src/match: tables, template, rows — one call), read every
 * row's cells, settle what the cells leave open with the identities, normalize numbers and money,
 * and report everything a researcher must know as issues. Pure: no I/O.
 */
import type { ExtractedDoc } from '../extract/grid.js';
import { type DocumentRows, type RowRead, type Slot, type ValueCell, readDocument } from '../match/index.js';
import { type ReportMeta, extractMeta } from '../normalize/meta.js';
import { resolveMoney } from '../normalize/money.js';
import type { MoneyUnit } from '../normalize/number.js';
import { cleanCell } from '../normalize/text.js';
import { type Identity, type ResolvedRow, fieldCode } from '../template/index.js';
import type { Issue, NianbaoRecord, Provenance, Source } from '../validate/schema.js';
import { SCHEMA_VERSION, statusFrom } from '../validate/status.js';
import { type SolveResult, solve } from '../validate/solve.js';
import { type ValueMap, evaluate } from '../validate/identities.js';
import { confirmOcrMeta, doubtReadings, ocrTitleMeta, repairMisreads } from './ocr-guard.js';
import { issue, listFields, shortField } from './issues.js';
import { type DocumentSelf, type ReportContext, metaIssues, reportLabels } from './metadata.js';
import { clearlyModern, pre2019Evidence } from './pre2019.js';
import { emptyPacked, mapPacked } from '../normalize/arrays.js';

/** What the crawl knew about the report: listing agency, year, title and date, the portal (metadata.ts). */
export type BuildHints = ReportContext;

/** A record with no values: `issues` say why. Its labels come from the text read, else the listing. */
export function failedRecord(source: Source, issues: Issue[], hints: BuildHints = {}, meta: ReportMeta = extractMeta('', hints), self: DocumentSelf = {}): NianbaoRecord {
  return {
    schemaVersion: SCHEMA_VERSION,
    source,
    agency: meta.agency ?? null,
    year: meta.year ?? null,
    template: null,
    values: {},
    raw: {},
    issues,
    status: 'failed',
    ...reportLabels(meta, source, hints, self).labels,
  };
}

export function buildRecord(doc: ExtractedDoc, source: Source, hints: BuildHints = {}): NianbaoRecord {
  return buildWithPositions(doc, source, hints).record;
}

/**
 * Where the cells left out as ambiguous sit in the grid, per field: the cell the chosen reading
 * puts the field in, or every value cell of a row no reading was chosen for. The record contract
 * gives provenance only to cells read into values, so these stay out of the record; the review
 * page recomputes them from the rebuilt grid to show the cells in question.
 */
export type LeftOutPositions = Record<string, Provenance[]>;

export function buildWithPositions(doc: ExtractedDoc, source: Source, hints: BuildHints = {}): { record: NianbaoRecord; ambiguous: LeftOutPositions } {
  const ambiguous: LeftOutPositions = {};
  const record = buildInner(doc, source, hints, ambiguous);
  return { record, ambiguous };
}

function buildInner(doc: ExtractedDoc, source: Source, hints: BuildHints, ambiguousAt: LeftOutPositions): NianbaoRecord {
  const read = extractMeta(doc.text, hints);
  const meta = doc.ocr ? confirmOcrMeta(ocrTitleMeta(read, doc.text), doc.text, extractMeta('', hints)) : read;
  const old = clearlyModern(doc.text) ? null : pre2019Evidence(doc.text, meta.year);
  if (old?.pre2019) {
    const why = `${old.old.slice(0, 3).join('、')}${meta.year ? `; a report on ${meta.year}` : ''}`;
    return failedRecord(source, [issue('pre_2019_format', 'error', `A report in the format used before 2019 (${why}); the 2019 and 2021 templates do not apply.`)], hints, meta, doc);
  }
  const found = readDocument(doc, { year: meta.year });
  if (!found.found) {
    const pictures = doc.pictures ? ` The page shows ${doc.pictures} picture${doc.pictures > 1 ? 's' : ''} (JPEG, PNG) and no table: a report posted as pictures of its pages is read from the pictures themselves (\`nianbao extract\` reads JPEG and PNG files with OCR).` : '';
    return failedRecord(source, [issue('no_tables', 'error', `No official table was found (${doc.method}; ${found.units} rows of text and tables read).${pictures}`)], hints, meta, doc);
  }
  const { choice } = found;
  const { labels, notes } = reportLabels(meta, source, hints, doc);

  // One elements kind with or without a first issue (a `[]` literal left empty is a list of small integers).
  const issues = emptyPacked<Issue>();
  if (choice.guessed) issues.push(issue('template_guessed', 'warning', choice.guessed));

  const values: Record<string, number | null> = {};
  const raw: Record<string, string> = {};
  const provenance: Record<string, Provenance> = {};
  readValues(doc, found, { values, raw, provenance, issues, ambiguousAt });

  issues.push(...metaIssues(meta), ...notes);
  if (doc.unread?.length) issues.push(issue('partly_read', 'warning', `Not all of the document was read: ${doc.unread.join('; ')}.`));
  if (doc.ocr) {
    const n = doc.ocr.pages.length;
    issues.push(issue('ocr', 'warning', `Read by OCR from a scan (page${n === 1 ? '' : 's'} ${doc.ocr.pages.join(', ')}); mean word confidence ${doc.ocr.meanConfidence}. Numbers were taken only where the reads agree or the identities confirm them.`));
  }
  const record: NianbaoRecord = {
    schemaVersion: SCHEMA_VERSION,
    source,
    agency: meta.agency,
    year: meta.year,
    template: choice.id,
    values,
    raw,
    provenance,
    issues,
    status: 'valid',
    ...labels,
  };
  record.status = statusFrom(issues, false);
  return record;
}

// ---------------------------------------------------------------------------------------------
// Reading values

interface Sink {
  values: Record<string, number | null>;
  raw: Record<string, string>;
  provenance: Record<string, Provenance>;
  issues: Issue[];
  /** Positions of the cells left out as ambiguous (not part of the record). */
  ambiguousAt: LeftOutPositions;
}

interface ReadRow extends RowRead {
  /** OCR: per field index, the cell whose reading was doubted (treated as lost). */
  doubted?: Map<number, ValueCell>;
  /** OCR: lost cells that were blanks leaving no trace in the readings (may be printed blanks). */
  unread?: Set<Slot>;
}

function reportAlternative(this: Sink, { alternative, fields }: DocumentRows['alternatives'][number]): void {
  const replaced = mapPacked(alternative.replace, shortField).join(', ');
  this.issues.push(issue(alternative.issue as 'row_aggregated', 'warning',
    `（六）其他处理 is printed as one row, so its values are stored in applications.other.*; the 2021 format's sub-rows (${replaced}) are not reported separately.`, fields));
}

function readValues(doc: ExtractedDoc, read: DocumentRows, sink: Sink): void {
  const { identities, missing } = read;
  // Rare: handed to a module-level callback, so that readValues' optimized code holds no path
  // it has never run (the first such row deoptimized it; doc/jit-warm-up.md).
  read.alternatives.forEach(reportAlternative, sink);
  let readRows: ReadRow[] = mapPacked(read.rows, (r) => ({ row: r.row, fields: r.fields, readings: r.readings, cells: r.cells, misaligned: r.misaligned, doubted: undefined, unread: undefined }));

  // A row whose readings could not all be listed may lack its true reading: choosing among the
  // rest would be a guess, so its cells are left out and its identities unused.
  const incomplete = readRows.filter((r) => r.readings.truncated).flatMap((r) => r.fields);
  readRows.filter((r) => r.readings.truncated).forEach(rowCellsAt, sink.ambiguousAt);
  readRows = readRows.filter((r) => !r.readings.truncated);
  // A ruled grid's row read one column off (a lost rule merged two of its cells): which cell holds
  // which field is not known either, so its cells are left out and its identities unused.
  const misaligned = readRows.filter((r) => r.misaligned);
  misaligned.forEach(rowCellsAt, sink.ambiguousAt);
  readRows = readRows.filter((r) => !r.misaligned);
  if (misaligned.length) {
    const fields = misaligned.flatMap((r) => r.fields);
    sink.issues.push(issue('ambiguous_cells', 'error', `The cells of ${misaligned.length > 1 ? 'these rows do' : 'this row do'} not sit under the table's header columns (a rule lost between two cells, or a stray mark read as a cell, moved them one column over), so which cell holds which field is not settled; they are left out: ${mapPacked(misaligned, (r) => `${shortField(r.row.code)} (${r.misaligned})`).join('; ')}.`, fields));
  }
  const found = new Set<string>();
  for (const r of readRows) for (const f of r.fields) found.add(f);
  const usable = identities.filter((id) => id.left.every((f) => found.has(f)) && id.right.every((f) => found.has(f)));
  const ocr = doc.ocr !== undefined;
  if (ocr) {
    // A scan: no OCR'd number is taken unless it is sure (ocr-guard.ts).
    const checked = new Set(identities.flatMap((id) => [...id.left, ...id.right]));
    for (const rr of readRows) {
      const d = doubtReadings(rr.fields, rr.readings.readings, checked, rr.cells);
      const alt = rr.readings.alternatives ? doubtReadings(rr.fields, rr.readings.alternatives, checked, rr.cells) : undefined;
      rr.readings = { ...rr.readings, readings: d.readings, alternatives: alt?.readings };
      rr.doubted = d.doubted;
      rr.unread = new Set([...d.unread, ...(alt?.unread ?? [])]);
    }
  }
  const solveRows = mapPacked(readRows, (r) => ({ fields: r.fields, readings: r.readings.readings, alternatives: r.readings.alternatives }));
  let result = solve(solveRows, usable);
  if (ocr && result.broken.length) {
    const repaired = repairMisreads(solveRows, usable, result);
    result = repaired.result;
    for (const rep of repaired.repairs) {
      const rr = readRows[rep.row]!;
      rr.readings = { ...rr.readings, readings: solveRows[rep.row]!.readings };
      (rr.doubted ??= new Map()).set(rep.index, rep.vc);
    }
  }

  const blank: string[] = [];
  const vanished: string[] = [];
  const splits: string[] = [];
  // One elements kind whatever the document (a spread of an empty list is a list of small integers).
  const ambiguous = emptyPacked<string>();
  ambiguous.push(...incomplete);
  /** OCR cells left out: doubtful and not confirmed by two identities, or contradicted. */
  const unsure: string[] = [];
  /** Cells printed among a row's numbers that read as no number ("”0"). */
  const unreadable: string[] = [];
  const colSpecs = read.columns;
  const moneyHeader = read.moneyHeader;

  // One context for every slot, its per-row and per-slot fields set before each read (readSlot
  // keeps none of it): a document has a few hundred slots.
  const ctx: SlotContext | null = readRows.length ? { sink, blank, vanished, splits, result, moneyHeader, lostAnywhere: false, row: readRows[0]!, count: null, doubted: undefined, unsure, unreadable, ocr } : null;
  // The fields left out (rows no reading was chosen for, cells the identities do not settle) are
  // pushed for every row, most often none, and their cells found by a pass over the rows that
  // have some, most often none: work done only for a rare row would have no type feedback in the
  // code TurboFan made for readValues, and the first such row would throw that code away.
  for (let i = 0; i < readRows.length; i++) {
    const rr = readRows[i]!;
    const reading = result.chosen[i];
    ambiguous.push(...leftOutFields(rr.fields, reading, result.ambiguous));
    if (!reading) continue;
    if (rr.readings.how === 'windowed') {
      sink.issues.push(issue('cells_dropped', 'warning', `The row for ${shortField(rr.row.code)} has more cells than its ${rr.fields.length} columns; the cells that fit the identities were used.`, rr.fields));
    }
    const lostAnywhere = result.positionUnknown.has(i);
    for (let j = 0; j < reading.length; j++) {
      const f = rr.fields[j]!;
      if (result.ambiguous.has(f)) continue;
      const spec = colSpecs.get(f);
      const countField = spec?.perCount ? fieldCode(rr.row, { code: spec.perCount, label: '', kind: 'count' }) : null;
      ctx!.lostAnywhere = lostAnywhere;
      ctx!.row = rr;
      ctx!.count = countField ? sink.values[countField] ?? null : null;
      ctx!.doubted = rr.doubted?.get(j);
      readSlot(f, reading[j]!, spec, ctx!);
    }
  }
  readRows.forEach(leftOutCellsAt, { result, at: sink.ambiguousAt });
  reportCells(sink, { blank, vanished, splits, ambiguous, unsure, unreadable }, result, readRows, identities, missing, ocr);
}

/** What readValues leaves for the issues: fields per outcome. */
interface Outcomes {
  blank: string[];
  vanished: string[];
  splits: string[];
  ambiguous: string[];
  unsure: string[];
  unreadable: string[];
}

/**
 * The issues of readValues, and OCR's last checks. A function of its own: readValues' optimized
 * code neither includes it nor is thrown away when an issue written only now and then (a field
 * missing, an identity broken) is first written.
 */
function reportCells(sink: Sink, outcomes: Outcomes, result: SolveResult, readRows: readonly ReadRow[], identities: readonly Identity[], missing: string[], ocr: boolean): void {
  const { blank, vanished, splits, ambiguous, unsure, unreadable } = outcomes;
  if (blank.length || vanished.length) {
    const all = [...blank, ...vanished];
    const note = vanished.length ? ` (${vanished.length} of them left no text at all and were placed by the identities)` : '';
    sink.issues.push(issue('blank_cells', 'warning', `${all.length} cell${all.length > 1 ? 's are' : ' is'} blank in the source${note}; stored as null and counted as 0 in the identities: ${listFields(all)}.`, all));
  }
  if (unreadable.length) {
    sink.issues.push(issue('unreadable_cells', 'error', `Cells printed among the row's numbers that read as no number are left out: ${mapPacked(unreadable, (f) => `${shortField(f)} "${sink.raw[f]}"`).join(', ')}.`, unreadable));
  }
  if (splits.length) {
    sink.issues.push(issue('split_inferred', 'warning', `Digits glued together in the source were split where the identities allow exactly one reading: ${listFields(splits)}.`, splits));
  }
  if (ambiguous.length) {
    sink.issues.push(issue('ambiguous_cells', 'error', `The source does not settle these cells (several readings satisfy the identities equally well${result.exhausted ? ', or too many to compare' : ''}); they are left out: ${listFields(ambiguous)}.`, ambiguous));
  }
  // Only OCR rows have doubted cells: no list per row of the others.
  const doubtedFields = new Set<string>();
  for (const rr of readRows) if (rr.doubted) for (const j of rr.doubted.keys()) doubtedFields.add(rr.fields[j]!);
  const lost = result.unresolved.filter((f) => !doubtedFields.has(f));
  unsure.push(...result.unresolved.filter((f) => doubtedFields.has(f)));
  if (lost.length) {
    sink.issues.push(issue('field_missing', 'error', `Cells missing from the source that no identity determines are left out: ${listFields(lost)}.`, lost));
  }
  if (ocr) {
    // What an identity still contradicts is not shown: on a scan, any of its cells may be the
    // misread one. It contradicts only the values shown: a cell already left out is unknown, and
    // an identity with an unknown cell says nothing of the others (the check below then asks each
    // of them for an identity that holds).
    const shown: ValueMap = new Map(Object.entries(sink.values));
    for (const b of result.broken) {
      if (evaluate(b.identity, shown).holds !== false) continue;
      for (const f of [...b.identity.left, ...b.identity.right]) {
        if (f in sink.values && !unsure.includes(f)) {
          delete sink.values[f];
          unsure.push(f);
        }
      }
    }
    // An OCR'd number is shown only where an identity it is in holds with every cell known: two
    // reads that agree can still both be wrong, and an identity left open checks nothing.
    const snapshot: ValueMap = new Map(Object.entries(sink.values));
    for (const f of Object.keys(sink.values)) {
      const ids = identities.filter((id) => id.left.includes(f) || id.right.includes(f));
      if (!ids.length || ids.some((id) => evaluate(id, snapshot).holds === true)) continue;
      delete sink.values[f];
      unsure.push(f);
    }
  }
  if (unsure.length) {
    sink.issues.push(issue('ocr_unconfirmed', 'error', `Cells read by OCR that are not sure (low confidence, reads that disagree, or an identity that contradicts them) and that two identities do not confirm are left out: ${listFields(unsure)}.`, unsure));
  }
  if (missing.length) {
    sink.issues.push(issue('field_missing', 'error', `Not found in the report, so left out: ${describeMissing(missing)}.`, missing));
  }
  for (const b of result.broken) {
    const fields = [...b.identity.left, ...b.identity.right];
    sink.issues.push(issue('identity_failed', 'error', `${b.identity.id}: ${b.identity.text} does not hold: ${sumText(b.identity.left, sink.values)} = ${b.left} but ${sumText(b.identity.right, sink.values)} = ${b.right}.`, fields));
  }
}

interface SlotContext {
  sink: Sink;
  blank: string[];
  vanished: string[];
  splits: string[];
  result: ReturnType<typeof solve>;
  moneyHeader: MoneyUnit | null;
  count: number | null;
  /** The row lost a cell whose position is unknown (every position gives the same numbers). */
  lostAnywhere: boolean;
  row: ReadRow;
  /** OCR: the cell behind a 'missing' slot, doubted rather than lost. */
  doubted?: ValueCell;
  unsure: string[];
  unreadable: string[];
  ocr: boolean;
}

/**
 * Whether the identities' value for a doubted OCR cell is one misread away from what was read:
 * the same digits but one, or one digit dropped or added. A read that is a number and differs
 * more says another cell of the identities is misread too, and the value they give is not the
 * printed one. A read that is no number says nothing either way.
 */
export function nearRead(text: string, value: number): boolean {
  const read = text.replace(/[\s,]/g, '');
  if (!/^\d+$/.test(read)) return true;
  const want = String(Math.abs(value));
  if (read.length === want.length) return [...read].filter((c, i) => c !== want[i]).length <= 1;
  const [short, long] = read.length < want.length ? [read, want] : [want, read];
  if (long.length - short.length !== 1) return false;
  for (let i = 0; i < long.length; i++) if (long.slice(0, i) + long.slice(i + 1) === short) return true;
  return false;
}

/** Which of the row's cells holds which field is not known: every cell of the row is in question. */
function rowCellsAt(this: LeftOutPositions, rr: ReadRow): void {
  for (const f of rr.fields) this[f] = mapPacked(rr.cells, provenanceOf);
}

/** The row's fields left out: all of them when no reading was chosen, else those the identities do not settle. */
function leftOutFields(fields: readonly string[], reading: Slot[] | null | undefined, ambiguous: ReadonlySet<string>): readonly string[] {
  return reading ? fields.filter(inSet, ambiguous) : fields;
}

function inSet(this: ReadonlySet<string>, f: string): boolean {
  return this.has(f);
}

/** Where the i-th row's fields left out sit: every cell of a row with no reading, else the chosen reading's cell of each. */
function leftOutCellsAt(this: { result: SolveResult; at: LeftOutPositions }, rr: ReadRow, i: number): void {
  const reading = this.result.chosen[i];
  if (!reading) {
    rowCellsAt.call(this.at, rr);
    return;
  }
  for (let j = 0; j < reading.length; j++) {
    const slot = reading[j]!;
    const f = rr.fields[j]!;
    if (this.result.ambiguous.has(f) && (slot.kind === 'cell' || slot.kind === 'part')) this.at[f] = [provenanceOf(slot.vc)];
  }
}

function provenanceOf(vc: ValueCell): Provenance {
  const p: Provenance = { table: vc.table, row: vc.cell.row, col: vc.cell.col };
  if (vc.cell.page) p.page = vc.cell.page;
  if (vc.cell.bbox) p.bbox = vc.cell.bbox;
  return p;
}

function readSlot(f: string, slot: Slot, spec: ResolvedRow['columns'][number] | undefined, ctx: SlotContext): void {
  const { sink } = ctx;
  const kind = spec?.kind ?? 'count';
  if (slot.kind === 'missing' && ctx.doubted) {
    const vc = ctx.doubted;
    sink.raw[f] = cleanCell(vc.cell.text);
    sink.provenance[f] = provenanceOf(vc);
    const s = ctx.result.solved.get(f);
    if (!s) return; // reported with the unsure cells
    // One identity suffices when it gives exactly the number read: it then holds with the cell as
    // read, which checks the read (a misread would need another that cancels it), where a value
    // it merely gives holds by construction.
    const asRead = vc.parsed.kind === 'number' && vc.parsed.value === s.value;
    if ((s.confirmations < 2 && !asRead) || !nearRead(vc.cell.text, s.value)) {
      ctx.unsure.push(f);
      return;
    }
    if (vc.parsed.kind === 'blank' && s.value === 0) {
      // A blank the identities confirm: blank, as printed, when the scan was seen to be clean
      // there; a cell never examined may hold a 0 both reads missed, so it is left out.
      if (vc.cell.confidence === undefined) {
        ctx.unsure.push(f);
        return;
      }
      sink.values[f] = null;
      ctx.blank.push(f);
      return;
    }
    sink.values[f] = s.value;
    const read = sink.raw[f] ? `read by OCR as "${sink.raw[f]}"${vc.cell.confidence !== undefined ? ` (confidence ${Math.round(vc.cell.confidence)})` : ''}` : 'not read by OCR';
    const check = s.confirmations >= 2 ? `${s.confirmations - 1} other identit${s.confirmations > 2 ? 'ies agree' : 'y agrees'}` : 'it holds with the cell as read';
    sink.issues.push(issue('cell_repaired', 'warning', `${shortField(f)} was ${read}, which is not sure; ${s.by} makes it ${s.value} and ${check}.`, [f]));
    return;
  }
  if (slot.kind === 'missing') {
    const s = ctx.result.solved.get(f);
    if (!s) return; // reported as unresolved
    const confirmed = s.confirmations >= 2;
    // On a scan, a value one identity alone gives checks nothing: the cells it was computed
    // from may hold a misread, and the identity then holds by construction. A cell that left no
    // trace and comes out 0 may be a printed blank: 0 and blank are different values.
    if (ctx.ocr && (!confirmed || (s.value === 0 && ctx.row.unread?.has(slot)))) {
      ctx.unsure.push(f);
      return;
    }
    sink.values[f] = s.value;
    const what = ctx.lostAnywhere
      ? `The row for ${shortField(ctx.row.row.code)} has ${ctx.row.fields.length - 1} of its ${ctx.row.fields.length} cells; wherever the lost cell was, the identities give the same numbers (${s.by} makes the lost one ${s.value})`
      : `${shortField(f)} is missing from the source; ${s.by} makes it ${s.value}`;
    const check = confirmed ? `${s.confirmations - 1} other identit${s.confirmations > 2 ? 'ies agree' : 'y agrees'}` : 'no other identity checks it';
    sink.issues.push(issue('cell_repaired', confirmed ? 'warning' : 'error', `${what}; ${check}.`, ctx.lostAnywhere ? ctx.row.fields : [f]));
    return;
  }
  if (slot.kind === 'vanished') {
    // On a scan, a cell that left no trace may be a number OCR missed, not a blank.
    if (ctx.ocr) {
      ctx.unsure.push(f);
      return;
    }
    sink.values[f] = null;
    ctx.vanished.push(f);
    return;
  }
  const vc = slot.vc;
  sink.provenance[f] = provenanceOf(vc);
  if (slot.kind === 'part') {
    // A scan's grid is drawn: digits that share a cell were read together, not glued by a
    // producer, and a split of them is a guess.
    if (ctx.ocr) {
      ctx.unsure.push(f);
      return;
    }
    sink.values[f] = Number(slot.digits);
    sink.raw[f] = slot.digits;
    ctx.splits.push(f);
    return;
  }
  sink.raw[f] = cleanCell(vc.cell.text);
  const p = vc.parsed;
  if (p.kind === 'blank') {
    sink.values[f] = null;
    ctx.blank.push(f);
    return;
  }
  if (p.kind === 'text') {
    ctx.unreadable.push(f);
    return;
  }
  if (kind === 'money') {
    const m = resolveMoney({
      decimal: p.decimal,
      negative: p.negative,
      cellUnit: p.unit,
      reportHeaderUnit: ctx.moneyHeader,
      templateHeaderUnit: (spec?.headerUnit ?? null) as MoneyUnit | null,
      count: ctx.count,
    });
    // On a scan, an amount with no unit and no decimal point may be one whose point OCR lost
    // ("730.5615" read as "7305615"): the unit inferred from its size is then a guess.
    if (ctx.ocr && m.inference && p.value !== 0 && !p.decimal.includes('.')) {
      ctx.unsure.push(f);
      return;
    }
    sink.values[f] = m.yuan;
    if (m.inference && p.value !== 0) {
      sink.issues.push(issue(m.inference.confident ? 'unit_inferred' : 'unit_ambiguous', m.inference.confident ? 'warning' : 'error',
        `${shortField(f)} "${sink.raw[f]}" has no unit: ${m.inference.reason}; stored as ${m.yuan} yuan.`, [f]));
    }
    if (m.conflict) sink.issues.push(issue('unit_conflict', 'warning', `${shortField(f)}: ${m.conflict}.`, [f]));
    return;
  }
  sink.values[f] = p.value;
  if (kind === 'count' && !Number.isInteger(p.value)) {
    sink.issues.push(issue('not_integer', 'error', `${shortField(f)} is a count but reads "${sink.raw[f]}".`, [f]));
  } else if (kind === 'count' && p.value < 0) {
    sink.issues.push(issue('negative_value', 'error', `${shortField(f)} is a count but reads "${sink.raw[f]}".`, [f]));
  } else if (p.unit) {
    sink.issues.push(issue('not_integer', 'error', `${shortField(f)} is a count but carries a money unit: "${sink.raw[f]}".`, [f]));
  }
}

function sumText(fields: readonly string[], values: Record<string, number | null>): string {
  if (fields.length > 4) return `the sum of ${fields.length} cells`;
  return mapPacked(fields, (f) => `${shortField(f)} (${values[f] ?? 'blank'})`).join(' + ');
}

function describeMissing(fields: readonly string[]): string {
  const rows = [...new Set(mapPacked(fields, (f) => f.slice(0, f.lastIndexOf('.'))))];
  return rows.length > 6 ? `${mapPacked(rows.slice(0, 6), shortField).join(', ')} and ${rows.length - 6} more rows` : mapPacked(rows, shortField).join(', ');
}
