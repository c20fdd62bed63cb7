/** What a run did, as counters plus every failure with its reason, and how to print it. */

export interface RunFailure {
  stage: 'discover' | 'fetch' | 'extract';
  url: string;
  reason: string;
  message: string;
}

export interface RunSummary {
  runId: number;
  /** The crawl id of the run record (local runs; absent for retries). */
  crawlId?: string;
  portals: number;
  /** Listing and article pages requested. */
  pagesSeen: number;
  /** Of those, unchanged since the last run (304 or same hash). */
  pagesNotModified: number;
  reportsFound: number;
  reportsNew: number;
  /** Documents downloaded (200). */
  fetched: number;
  /** Of those, with bytes different from the last stored ones. */
  fetchedChanged: number;
  /** Documents unchanged (304). */
  notModified: number;
  fetchFailed: number;
  /** Records made this run. */
  extracted: number;
  /** Records left as they were (same bytes, same extractor). */
  unchanged: number;
  valid: number;
  flagged: number;
  failed: number;
  failures: RunFailure[];
  skipped: { url: string; reason: string }[];
  seconds: number;
}

export function emptySummary(): RunSummary {
  return {
    runId: 0, portals: 0, pagesSeen: 0, pagesNotModified: 0, reportsFound: 0, reportsNew: 0,
    fetched: 0, fetchedChanged: 0, notModified: 0, fetchFailed: 0, extracted: 0, unchanged: 0,
    valid: 0, flagged: 0, failed: 0, failures: [], skipped: [], seconds: 0,
  };
}

export function formatSummary(s: RunSummary): string {
  const lines = [
    `Run ${s.runId} finished in ${s.seconds.toFixed(1)} s`,
    `  portals            ${s.portals}`,
    `  pages seen         ${s.pagesSeen} (${s.pagesNotModified} unchanged since last run)`,
    `  reports found      ${s.reportsFound} (${s.reportsNew} new)`,
    `  fetched            ${s.fetched} (${s.fetchedChanged} new or changed), ${s.notModified} not modified, ${s.fetchFailed} failed`,
    `  extracted          ${s.extracted} (${s.unchanged} unchanged, not re-extracted)`,
    `  records            ${s.valid} valid, ${s.flagged} flagged, ${s.failed} failed`,
  ];
  if (s.skipped.length) {
    const by = new Map<string, number>();
    for (const k of s.skipped) by.set(k.reason, (by.get(k.reason) ?? 0) + 1);
    lines.push(`  skipped            ${[...by].map(([r, n]) => `${n} ${r}`).join(', ')}`);
  }
  if (s.failures.length) {
    lines.push(`  failures (${s.failures.length}):`);
    for (const f of s.failures) lines.push(`    ${f.stage.padEnd(8)} ${f.reason.padEnd(20)} ${f.url}\n             ${f.message}`);
  }
  return `${lines.join('\n')}\n`;
}
