/**
 * Is this link title an annual report, and whose, for which year? Listing titles are the one place
 * a portal states agency and year plainly ("南通市海门区商务局2020年政府信息公开工作年度报告"), so
 * they travel with the report as hints for documents that do not say.
 */

/** 政府信息公开工作年度报告, 政府信息公开年度报告, 政务公开工作年度报告, 信息公开年报… */
const REPORT_KEYWORD = /(政府信息公开|政务公开|信息公开)(工作)?(年度)?(工作)?(年度报告|年报|工作报告|报告)/;

/** Titles that mention a report without being one. */
const NOT_A_REPORT = /解读|图解|通知|指南|要点|考核|评估|报送|编制说明|模板|征求意见|答记者问|新闻发布|目录/;

const CN_DIGITS: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9', '○': '0', Ｏ: '0' };

/** Collapse every kind of blank (incl. &nbsp; and the ideographic space) to one space. */
export function cleanText(s: string): string {
  return s.replace(/[\s\u00a0\u3000\u200b]+/g, ' ').trim();
}

export function isReportTitle(title: string): boolean {
  const t = cleanText(title);
  return REPORT_KEYWORD.test(t) && !NOT_A_REPORT.test(t) && findYear(t) !== null;
}

interface YearHit {
  year: number;
  start: number;
  end: number;
}

/** The reporting year: "2020年", "2020 年度", "二〇二〇年". Plausible years only (条例 took effect in 2008). */
export function findYear(title: string, maxYear = new Date().getFullYear() + 1): YearHit | null {
  const normalized = title.replace(/[〇零一二三四五六七八九○Ｏ]{4}(?=\s*年)/g, (m) => [...m].map((c) => CN_DIGITS[c] ?? c).join(''));
  const re = /((?:19|20)\d{2})\s*年(度)?/g;
  const kw = REPORT_KEYWORD.exec(normalized);
  let best: YearHit | null = null;
  for (const m of normalized.matchAll(re)) {
    const year = Number(m[1]);
    if (year < 2007 || year > maxYear) continue;
    const hit = { year, start: m.index!, end: m.index! + m[0].length };
    // The year closest before the keyword is the reporting year ("2021年发布 XX局2020年度报告").
    if (!kw || hit.start < kw.index) best = hit;
    else if (!best) best = hit;
  }
  return best;
}

function tidyAgency(s: string): string | null {
  const t = cleanText(s)
    // Category tags some listings prefix: 【部门动态】, [年报]
    .replace(/^([【\[][^】\]]*[】\]]\s*)+/, '')
    .replace(/^(关于|转发|公布|发布)\s*/, '')
    .replace(/^[《“"'‘\s]+|[》”"'’\s:：—\-·（(]+$/g, '')
    .replace(/(的|之)$/, '')
    .trim();
  return t.length >= 2 ? t : null;
}

/** Agency before the year ("XX局2020年…"); if nothing precedes it, the words between year and keyword. */
export function parseReportTitle(title: string): { year: number | null; agency: string | null } {
  const t = cleanText(title).replace(/\.(pdf|docx?|wps)$/i, '');
  const y = findYear(t);
  if (!y) return { year: null, agency: null };
  const normalized = t.replace(/[〇零一二三四五六七八九○Ｏ]{4}(?=\s*年)/g, (m) => [...m].map((c) => CN_DIGITS[c] ?? c).join(''));
  const before = tidyAgency(normalized.slice(0, y.start));
  if (before) return { year: y.year, agency: before };
  const rest = normalized.slice(y.end);
  const kw = REPORT_KEYWORD.exec(rest);
  const between = kw ? tidyAgency(rest.slice(0, kw.index)) : null;
  return { year: y.year, agency: between };
}
