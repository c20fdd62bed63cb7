/**
 * Agency names: does a piece of text look like the name of a body, where in a report's prose
 * and signature one is named, and one normalized spelling for comparing names. Word lists are
 * data (agency-names.json). Pure.
 */
import NAMES from './agency-names.json' with { type: 'json' };
import { parsePlaces } from './places.js';
import { normalizeText } from './text.js';
import { mapPacked } from './arrays.js';

/**
 * How strict to be: a title, a listing link or a signature names the agency in a fixed slot, so
 * a bare place ("平潭综合实验区") stands for its government there; in running prose only a name
 * that ends like a body is taken.
 */
export type AgencyContext = 'title' | 'prose';

const byLength = (a: string, b: string) => b.length - a.length;
const ORG_SUFFIXES = [...NAMES.orgSuffixes].sort(byLength);
const PLACE_SUFFIXES = [...NAMES.placeSuffixes].sort(byLength);
const PRONOUN_RE = new RegExp(`^(?:${NAMES.pronouns.join('|')})(?:局|委|办|厅|院|部|单位|机关|部门|区|市|县|镇|乡|街道|中心|政府|系统)`);
const PROSE_RE = new RegExp(NAMES.prose.join('|'));
const PREPOSITION_RE = new RegExp(`^(?:${NAMES.prepositions.join('|')})`);
const WEAK_SUFFIXES: ReadonlySet<string> = new Set(NAMES.weakSuffixes);
/** A place's shape without a known place: 区商务局, 示例县教育局, 经济技术开发区管理办公室. */
const PLACE_SHAPED_RE = /^[省市区县州盟旗镇乡]|[\u3400-\u9fff](?:省|市|区|县|州|盟|旗|镇|乡|街道|苏木)/;
/** Sentence punctuation and quotes: prose, not a name. Parentheses are allowed (某局（某办）). */
const NOT_A_NAME_RE = /[，,。.；;：:！!？?“”"‘’'《》<>【】[\]、…%％=+/\\|]/;
/** A count ("131 条", "3件", "12.5万元"): prose. A digit in a title's name is not one by itself (第1…, 限额1局). */
const COUNT_RE = /\d\s*(?:条|件|项|个|人|次|份|篇|余|万|元|%)/;
const VARIANTS: [RegExp, string][] = mapPacked(NAMES.variants, ([re, to]) => [new RegExp(re!, 'g'), to!]);
const FOLLOWERS = [...NAMES.followers].sort(byLength);

export function orgSuffixOf(name: string): string | null {
  return ORG_SUFFIXES.find((s) => name.endsWith(s)) ?? null;
}

/**
 * The name of a body: 2–40 characters, no sentence punctuation or digits, not prose, not a
 * pronoun (本局, 我办), ending in an organisational suffix (局, 委员会, 人民政府, 街道办事处…) —
 * or, in a title, in a place's suffix (…实验区, …县).
 */
export function looksLikeAgency(raw: string, context: AgencyContext): boolean {
  const name = raw.replace(/\s+/g, ' ').trim();
  const compact = name.replace(/ /g, '');
  if (compact.length < 2 || compact.length > 40) return false;
  if (NOT_A_NAME_RE.test(name) || COUNT_RE.test(compact)) return false;
  if (context === 'prose' && /\d/.test(compact)) return false;
  if (/年/.test(compact) && /(?:19|20)\d{2}|[〇零○]/.test(compact)) return false;
  if (PROSE_RE.test(compact)) return false;
  const place = parsePlaces(compact);
  const placed = !!place.deepest || place.national;
  if (!placed && PRONOUN_RE.test(compact)) return false;
  const org = orgSuffixOf(compact);
  // A suffix alone ("人民政府", "办公室") names no one.
  const named = !!org && compact.length > org.length;
  if (context === 'prose') {
    // In prose, words end like bodies too (部署, 网站, 发布会): a name there needs a place — a
    // known one, or a place's shape (区商务局, 示例县教育局) with a suffix only bodies have.
    if (!named) return false;
    if (placed) return true;
    return !PREPOSITION_RE.test(compact) && compact.length <= 20 && !WEAK_SUFFIXES.has(org!) && PLACE_SHAPED_RE.test(compact.slice(0, compact.length - org!.length));
  }
  if (named) return true;
  return PLACE_SUFFIXES.some((s) => compact.endsWith(s) && compact.length > s.length);
}

/** One spelling for comparison: NFKC (full-width → half-width), no spaces, abbreviations written out (政府办 → 人民政府办公室). */
export function normalizeAgency(name: string): string {
  let out = normalizeText(name);
  for (const [re, to] of VARIANTS) out = out.replace(re, to);
  return out;
}

const HAN = '\\u3400-\\u4dbf\\u4e00-\\u9fff';
const RUN_RE = new RegExp(`^[${HAN}·（）()]{2,60}`);

/**
 * The agency a run of characters opens with: the shortest prefix that ends in an organisational
 * suffix and is followed by nothing or by the words that go on a sentence (认真, 根据, 全年…).
 */
export function agencyAtStart(s: string): string | null {
  const run = RUN_RE.exec(s)?.[0];
  if (!run) return null;
  // Shortest first: "区招商服务局高度重视政府信息公开" names 区招商服务局.
  for (let i = 2; i <= run.length; i++) {
    const head = run.slice(0, i);
    if (!orgSuffixOf(head)) continue;
    const rest = s.slice(i);
    // "…政府信息公开": 政府 opens the phrase, it does not end a name.
    if (head.endsWith('政府') && /^信息公开/.test(rest)) continue;
    const next = rest.replace(/^\s+/, '');
    const ends = i === run.length || FOLLOWERS.some((f) => rest.startsWith(f)) || /^\s*(?:(?:19|20)\d{2}|[〇零○二]{1}[〇零○一二三四五六七八九]{3})\s*年/.test(next);
    if (ends && looksLikeAgency(head, 'prose')) return head;
  }
  return null;
}

/** Sentences of the report's opening prose: lines joined where they were wrapped, split at 。！？； and headings. */
export function openingSentences(lines: readonly string[], max = 8): string[] {
  const out: string[] = [];
  let cur = '';
  const flush = () => {
    const s = cur.trim();
    if (s) out.push(s);
    cur = '';
  };
  let prevShort = false;
  for (const raw of lines) {
    const line = normalizeText(raw).replace(/\t/g, ' ').trim();
    if (!line) continue;
    const short = [...line.replace(/\s/g, '')].length < 12;
    // Section headings (一、总体情况, （一）…) and page furniture end a sentence.
    // The opening is section 一 at most: the agency named later may be another body.
    if (/^(?:[二三四五六七八九十][、.．]|第[二三四五六七八九十]部分)/.test(line)) break;
    if (/^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]+部分|===|[-—\s]*\d+[-—\s]*$)/.test(line)) {
      flush();
      const heading = line.replace(/^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])/, '');
      // "一、总体情况2023年，XX局…" on one line: the sentence after the heading still counts.
      const m = /^(?:总体情况|概述|基本情况)\s*(.+)$/.exec(heading);
      if (m) cur = m[1]!;
      else continue;
    } else {
      // A wrapped line is a full one: after a short line (a label, a heading, a name on its own)
      // the next line starts afresh.
      if (prevShort) flush();
      // PDF text wraps inside words: CJK on both sides of a break joins without a space.
      cur += cur && /[\u3400-\u9fff]$/.test(cur) && /^[\u3400-\u9fff]/.test(line) ? line : cur ? ` ${line}` : line;
      // A title line ends its own sentence: "…年度报告" then "本报告由…".
      if (/报告$/.test(line)) flush();
    }
    prevShort = short;
    let m: RegExpExecArray | null;
    while ((m = /[。！？；!?;]/.exec(cur))) {
      out.push(cur.slice(0, m.index + 1).trim());
      cur = cur.slice(m.index + 1);
      if (out.length >= max) return out;
    }
    if (out.length >= max) return out;
  }
  flush();
  return out.slice(0, max);
}

/** Where in a sentence an agency may be named: after 本报告由 / 现将, else at its start (after "2023年，"). */
const OPENERS: RegExp[] = [/(?:本(?:年度)?报告|年度报告|报告)(?:是|系)?由\s*/g, /现将\s*/g];
const LEAD_RE = /^(?:(?:19|20)\d{2}\s*年(?:度)?(?:以来)?\s*[，,、]?\s*)/;

/** Remove blanks between CJK characters (justified PDF text: "淮 安 市"). */
export function squeezeHan(s: string): string {
  return s.replace(/(?<=[\u3400-\u9fff])[ \u3000]+(?=[\u3400-\u9fff])/g, '');
}

export interface SentenceAgency {
  name: string;
  /** compiler: "本报告由X…编制" — X may be the office that wrote the report for its government. */
  how: 'compiler' | 'subject';
}

/** Every agency the sentences name where an agency is named (after 本报告由 / 现将, at a sentence's start), in order. */
export function agenciesInSentences(sentences: readonly string[]): SentenceAgency[] {
  const out: SentenceAgency[] = [];
  for (const raw of sentences) {
    const s = squeezeHan(raw);
    for (const [k, re] of OPENERS.entries()) {
      re.lastIndex = 0;
      for (const m of s.matchAll(re)) {
        const name = agencyAtStart(s.slice(m.index! + m[0].length));
        if (name) out.push({ name, how: k === 0 ? 'compiler' : 'subject' });
      }
    }
    const name = agencyAtStart(s.replace(LEAD_RE, ''));
    if (name) out.push({ name, how: 'subject' });
    // "根据《条例》…要求，淮安市财政局编制了本报告": an agency opening a clause.
    for (const m of s.matchAll(/[，,]\s*/g)) {
      const clause = agencyAtStart(s.slice(m.index! + m[0].length).replace(LEAD_RE, ''));
      if (clause) out.push({ name: clause, how: 'subject' });
    }
  }
  return out;
}

export function agencyInSentences(sentences: readonly string[]): SentenceAgency | null {
  return agenciesInSentences(sentences)[0] ?? null;
}

const DATE_RE = /((?:19|20)\d{2}|[二][〇零○][〇零○一二三四五六七八九]{2})\s*年\s*[\d一二三四五六七八九十〇零○]{1,3}\s*月(?:\s*[\d一二三四五六七八九十〇零○]{1,3}\s*日)?\s*$/;
const FURNITURE_RE = /^(?:[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页.*|===.*|\f|附件.*)$/;

/** The agency signing the report: the line above the closing date, or the date line's own beginning. */
export function agencyInSignature(lines: readonly string[]): string | null {
  const tail = mapPacked(lines, (l) => normalizeText(l).trim())
    .filter((l) => l && !FURNITURE_RE.test(l))
    .slice(-12);
  for (let i = tail.length - 1; i >= 0; i--) {
    const m = DATE_RE.exec(tail[i]!);
    if (!m) continue;
    const before = tail[i]!.slice(0, m.index).trim();
    const candidates = before ? [before] : i > 0 ? [tail[i - 1]!] : [];
    for (const c of candidates) {
      const name = squeezeHan(c).replace(/\s+/g, ' ').trim();
      if (looksLikeAgency(name, 'prose')) return name;
    }
    return null;
  }
  return null;
}
