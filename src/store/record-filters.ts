/**
 * Conditions on the `records` table shared by the store's record listing and the review UI's
 * filters, so that a filter means the same on every page and in every export.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from './tables.js';

/** Text for a LIKE pattern with its wildcards escaped; pair it with `escape '\\'` (SQLite has no default escape character). */
export const likeEscaped = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A division code matches every division under it (a prefix); a name matches the division itself or any division it lies in (淮安市 finds 洪泽区's reports). */
export function inRegion(eb: ExpressionBuilder<Database, 'records'>, region: string): Expression<SqlBool> {
  return /^\d+$/.test(region)
    ? eb('region_code', 'like', `${region}%`)
    : eb.or([eb('region_name', '=', region), eb('province_name', '=', region), eb('prefecture_name', '=', region), eb('county_name', '=', region)]);
}

/** Records carrying an issue code: padding with spaces makes LIKE match whole codes only; `||` and LIKE … ESCAPE are standard in both dialects. */
export const hasIssueCode = (code: string) => sql<SqlBool>`(' ' || issue_codes || ' ') like ${`% ${likeEscaped(code)} %`} escape '\\'`;
