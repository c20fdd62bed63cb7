/**
 * The panel key of an agency: one body across years, whatever its reports call it. Two records
 * share a key when their agencies have the same division code and the same name once the places
 * and spelling variants are set aside — 洪泽区人民政府 (2023) and 淮安市洪泽区人民政府 (2024)
 * are both `320813:人民政府`. Pure, and the only definition of the key: cross-year checks and
 * the panel export use this function.
 */

export interface AgencyKeyInput {
  /** The agency's normalized name (agencyNormalized). */
  normalized: string | null;
  /** The name after the places it begins with (淮安市洪泽区商务局 → 商务局); default: the whole name. */
  body?: string | null;
  /** The division code of the agency (region.code), or null when unknown. */
  regionCode: string | null;
  /** National bodies have no division code. */
  national?: boolean;
}

/**
 * A level word a name without a place starts with (区商务局, 市政府办公室): it says nothing the
 * code does not. Not the first character of a word (市场监督管理局, 市政公用局, 区域…).
 */
const LEVEL_WORD = /^[省市区县州盟旗](?!场|政|民|容|域|级|属|直)/;

/**
 * `<code>:<body>`: the 6-digit division code (`000000` for central bodies, `unknown` when no
 * region is known — then the whole name is the body) and the body of the name; a name that is
 * only a place stands for its government (淮安市 → `320800:人民政府`, 高沟镇 →
 * `320826:高沟镇人民政府`). Null when there is no agency.
 */
export function agencyKey(input: AgencyKeyInput): string | null {
  if (!input.normalized) return null;
  const prefix = input.national ? '000000' : input.regionCode ?? 'unknown';
  if (prefix === 'unknown') return `unknown:${input.normalized}`;
  let body = input.body ?? input.normalized;
  if (body === input.normalized && LEVEL_WORD.test(body) && body.length >= 3) body = body.slice(1);
  // A name that is only a place ("淮安市2023年…报告", "高沟镇…") is its government's report.
  if (body === '') body = '人民政府';
  else if (/^.{1,10}?街道$/.test(body)) body = `${body}办事处`;
  else if (/^.{1,10}?(?:镇|乡|苏木)$/.test(body)) body = `${body}人民政府`;
  return `${prefix}:${body}`;
}
