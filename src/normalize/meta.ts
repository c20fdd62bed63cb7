/**
 * Agency and year of a report, from its own text first. Titles come as
 *   "南通市海门区商务局2020年政府信息公开\n工作年度报告"
 *   "广州市黄埔区商务局 开发区商务局\n2020 年政府信息公开工作\n年度报告"
 *   "2020年XX局政府信息公开工作年度报告", "XX局关于2020年度政府信息公开工作的年度报告"
 * The agency is taken from the title, else the opening sentences ("本报告由XX根据…编制",
 * "XX 2023 年共主动公开…"), else the signature, else the listing link — each candidate only if
 * it looks like the name of a body (agency.ts). It keeps the spelling printed.
 * `year` is the year reported on: the year in the title, not the publication date.
 */
import { type SentenceAgency, agenciesInSentences, agencyInSignature, looksLikeAgency, normalizeAgency, openingSentences } from './agency.js';
import { chineseToNumber } from './number.js';
import { joinLines, normalizeText } from './text.js';

export type AgencySource = 'title' | 'first_sentence' | 'signature' | 'listing';
export type YearSource = 'title' | 'period' | 'listing';

export interface ReportMeta {
  agency: string | null;
  year: number | null;
  /** The report's own title, when it prints one. */
  title: string | null;
  /** Where each value came from, for the issues. */
  agencySource?: AgencySource;
  yearSource?: YearSource;
}

const YEAR = String.raw`((?:19|20)\d{2}|[二][〇零○][一二三四五六七八九〇零○]{2})\s*年\s*(?:度)?`;
const REPORT_TAIL = String.raw`(?:政府信息公开|政务公开|信息公开)[^\n]{0,12}?(?:工作)?[^\n]{0,6}?(?:年度)?报告`;
const TITLE_RE = new RegExp(String.raw`^(.*?)\s*(?:关于)?\s*${YEAR}\s*(.*?)\s*${REPORT_TAIL}`);
const SECTION_START_RE = /^\s*[一1][、.．]\s*(?:总体情况|概述)|^\s*(?:一、|第一部分)/;

/** Lines that make up the title: the start of the text up to "年度报告" or the first section. */
export function titleLines(text: string): string[] {
  const out: string[] = [];
  // Only the first few lines can be the title: each is cut out and normalized when it is
  // reached (as text.split(/\r?\n/) would give it), not the whole report up front.
  for (let pos = 0; pos <= text.length; ) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    const raw = text.slice(pos, end);
    pos = nl < 0 ? text.length + 1 : nl + 1;
    const line = normalizeText(raw).replace(/\t/g, ' ').trim();
    if (!line) continue;
    if (out.length && SECTION_START_RE.test(line)) break;
    // Page furniture and navigation before the title: short lines without the title's words.
    out.push(line);
    if (/报告\s*$/.test(line) && /年/.test(out.join(''))) break;
    if (out.length >= 8) break;
  }
  return out;
}

export function yearFromText(y: string): number | null {
  const n = /^\d{4}$/.test(y) ? Number(y) : chineseToNumber(y.replace(/○/g, '〇'));
  return n && n >= 1990 && n <= 2100 ? n : null;
}

function cleanAgency(s: string): string | null {
  const a = s
    .replace(/^[\s：:、，,]+|[\s：:、，,]+$/g, '')
    // An archived page's own labels ("标题: XX2019年度…报告").
    .replace(/^.*?(?:标题|题目|名称)\s*[:：]\s*/, '')
    .replace(/^(?:关于|印发)/, '')
    .replace(/(?:关于|的)$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  // Prose ("共主动公开政府信息 131 条,收到"), navigation or a pronoun is no agency.
  return a && looksLikeAgency(a, 'title') ? a : null;
}

/** Navigation and breadcrumbs printed above a title (a page saved or printed from a portal). */
const NAV_RE = /首页|当前位置|您的位置|[>»›|]|信息公开年报|年度报告|政务公开$/;

/**
 * Parse agency and year from the first lines of a report. Pure. Every window of up to four
 * consecutive lines that reads as a title is a candidate; one whose agency carries navigation
 * text is refused; the first title with an agency wins.
 */
export function parseTitle(text: string): ReportMeta {
  const lines = titleLines(text);
  let fallback: ReportMeta | null = null;
  for (let end = 0; end < lines.length; end++) {
    // Longest window first: an agency alone on the line above the year belongs to the title.
    for (let n = Math.min(4, end + 1); n >= 1; n--) {
      const meta = readTitle(joinLines(lines.slice(end - n + 1, end + 1)));
      if (!meta) continue;
      if (meta.agency) return meta;
      fallback ??= meta;
    }
  }
  return fallback ?? { agency: null, year: null, title: lines[0] ?? null };
}

/** One candidate title, or null if it is none (or its agency is navigation text). */
function readTitle(joined: string): ReportMeta | null {
  const m = TITLE_RE.exec(joined);
  if (!m) return null;
  const year = yearFromText(m[2]!);
  const agency = cleanAgency(m[1] ?? '') ?? cleanAgency((m[3] ?? '').replace(/^(?:度)?/, '').replace(/(?:的)?$/, ''));
  if (agency && NAV_RE.test(agency)) return null;
  return { agency, year, title: joined, agencySource: agency ? 'title' : undefined, yearSource: year ? 'title' : undefined };
}

const PERIOD_RE = /(?:统计期限|统计期间|统计时限|时间范围|数据统计)[^。]{0,12}?自?\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日/;

export interface MetaHints {
  /** The agency and year the listing gives the report. */
  agency?: string | null;
  year?: number | null;
}

/** Words a government's report says of itself (我市, 全区 …), an office's report does not. */
const GOVERNMENT_VOICE = /[我全本](?:省|市|区|县|州|盟|旗|镇|乡)(?![长委])/;

/**
 * "本报告由XX区人民政府办公室…编制": the office writes its government's report. The report is
 * the government's when the next sentences name it (2023年，XX区人民政府坚持…), the signature
 * or the listing does, or the report speaks as the government (我区, 全区…).
 */
function compiledFor(compiler: string, later: readonly SentenceAgency[], opening: string, signed: string | null, listing: string | null): { agency: string; source: AgencySource } | null {
  const office = /(?:办公室|办公厅)$/.exec(compiler);
  if (!office) return null;
  const govPrinted = compiler.slice(0, office.index);
  const gov = normalizeAgency(govPrinted);
  if (!/(?:人民政府|政府|行政公署|管理委员会)$/.test(gov)) return null;
  const same = (name: string) => {
    const n = normalizeAgency(name);
    return n === gov || (gov.endsWith(n) && n.length >= 4);
  };
  const subject = later.find((c) => c.how === 'subject' && same(c.name));
  if (subject) return { agency: subject.name, source: 'first_sentence' };
  if (signed && same(signed)) return { agency: signed, source: 'signature' };
  if (listing && same(listing)) return { agency: listing, source: 'listing' };
  if (GOVERNMENT_VOICE.test(opening)) return { agency: govPrinted, source: 'first_sentence' };
  return null;
}

/** The agency of a report whose title names none: opening sentences, signature, listing. */
function agencyFromBody(text: string, listing: string | null): { agency: string; source: AgencySource } | null {
  const lines = text.split(/\r?\n/);
  const sentences = openingSentences(lines.slice(0, 120));
  const [said, ...later] = agenciesInSentences(sentences);
  const signed = agencyInSignature(lines);
  if (said) {
    if (said.how === 'compiler') {
      const gov = compiledFor(said.name, later, sentences.join(''), signed, listing);
      if (gov) return gov;
    }
    return { agency: said.name, source: 'first_sentence' };
  }
  if (signed) return { agency: signed, source: 'signature' };
  if (listing) return { agency: listing, source: 'listing' };
  return null;
}

/**
 * Title first; then the reporting period stated in the body ("统计期限自2020年1月1日") for the
 * year, and the opening sentences, the signature block and the listing link for the agency; the
 * listing's year last.
 */
export function extractMeta(text: string, hints: MetaHints = {}): ReportMeta {
  const meta = parseTitle(text);
  if (meta.year === null) {
    const p = PERIOD_RE.exec(normalizeText(text));
    if (p) {
      meta.year = Number(p[1]);
      meta.yearSource = 'period';
    }
  }
  if (meta.agency === null) {
    const listing = hints.agency?.trim() && looksLikeAgency(hints.agency.trim(), 'title') ? hints.agency.replace(/\s+/g, ' ').trim() : null;
    const found = agencyFromBody(text, listing);
    if (found) {
      meta.agency = found.agency;
      meta.agencySource = found.source;
    }
  }
  if (meta.year === null && hints.year) {
    meta.year = hints.year;
    meta.yearSource = 'listing';
  }
  return meta;
}
