/**
 * Which of several reports of one agency and year stands for it (panel.csv's row, the earlier
 * side of a cross-year check): the latest fetched; ties go to the larger report id, so every
 * store makes the same choice.
 */
export interface Choosable {
  /** When it was fetched (else extracted), ISO 8601. */
  at: string;
  reportId: string;
}

/** Sort order: the chosen report first. */
export function latestFirst(a: Choosable, b: Choosable): number {
  return Date.parse(b.at) - Date.parse(a.at) || (a.reportId < b.reportId ? 1 : a.reportId > b.reportId ? -1 : 0);
}
