/**
 * Live progress of a run: bars on a terminal (cli-progress), a line per stage change otherwise,
 * so logs of a nightly cron stay readable.
 */
import cliProgress from 'cli-progress';
import type { ProgressEvent } from './local.js';

export interface ProgressDisplay {
  onProgress: (e: ProgressEvent) => void;
  stop(): void;
}

export function progressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  if (!stream.isTTY) return lineProgress((s) => stream.write(s));
  const multi = new cliProgress.MultiBar(
    { stream, format: ' {stage} |{bar}| {value}/{total} {note}', hideCursor: true, clearOnComplete: false, autopadding: true },
    cliProgress.Presets.shades_classic,
  );
  const pages = multi.create(0, 0, { stage: 'pages  ', note: '' });
  const fetch = multi.create(0, 0, { stage: 'fetch  ', note: '' });
  const extract = multi.create(0, 0, { stage: 'extract', note: '' });
  let seen = 0;
  const counts = { fetchTotal: 0, extractTotal: 0, failed: 0, valid: 0, flagged: 0, bad: 0 };
  return {
    onProgress(e) {
      if (e.type === 'page') {
        seen++;
        pages.setTotal(seen);
        pages.update(seen, { note: new URL(e.url).host });
      } else if (e.type === 'queued') {
        if (e.stage === 'fetch') fetch.setTotal((counts.fetchTotal += e.count));
        else extract.setTotal((counts.extractTotal = e.count));
      } else if (e.type === 'fetch') {
        if (e.result.outcome === 'failed') counts.failed++;
        fetch.increment(1, { note: counts.failed ? `${counts.failed} failed` : '' });
      } else if (e.type === 'extract') {
        if (e.result.outcome !== 'skipped') {
          if (e.result.status === 'valid') counts.valid++;
          else if (e.result.status === 'flagged') counts.flagged++;
          else counts.bad++;
        }
        extract.increment(1, { note: `${counts.valid} valid, ${counts.flagged} flagged, ${counts.bad} failed` });
      }
    },
    stop: () => multi.stop(),
  };
}

function lineProgress(write: (s: string) => void): ProgressDisplay {
  let fetched = 0;
  let extracted = 0;
  return {
    onProgress(e) {
      if (e.type === 'portal') write(e.phase === 'start' ? `crawling ${e.portalId}\n` : `crawled ${e.portalId}: ${e.result?.urls.length ?? 0} reports (${e.result?.newUrls.length ?? 0} new)\n`);
      else if (e.type === 'queued') write(`${e.stage}: ${e.count} queued\n`);
      else if (e.type === 'fetch' && ++fetched % 100 === 0) write(`fetched ${fetched}\n`);
      else if (e.type === 'extract' && ++extracted % 100 === 0) write(`extracted ${extracted}\n`);
    },
    stop: () => {},
  };
}
