/**
 * The two pieces of the record contract that building a record needs at run time: the schema
 * version and the status rule. Kept apart from schema.ts (which re-exports both) so that
 * extraction does not load zod: the schema itself is for the store, the exports and
 * `nianbao schema`.
 */

export const SCHEMA_VERSION = 1 as const;

/** valid: no error and no warning that hides a number; flagged: any error; failed: no record. */
export function statusFrom(issues: readonly { severity: string }[], failed: boolean): 'valid' | 'flagged' | 'failed' {
  if (failed) return 'failed';
  return issues.some((i) => i.severity === 'error') ? 'flagged' : 'valid';
}
