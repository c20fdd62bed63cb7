/**
 * Live progress of a run. On a terminal: bars (cli-progress) whose totals are what is known — the
 * listing pages have no total, so theirs is a spinner with pages visited and reports found. Elsewhere
 * (cron, CI logs): a timestamped status line per stage every few seconds while something moves
 * (counts, rate, ETA), and a line at once for every failure, so a log says what happened and when.
 */
import cliProgress from 'cli-progress';
import type { ProgressEvent } from './local.js';

export interface ProgressDisplay {
  onProgress: (e: ProgressEvent) => void;
  stop(): void;
}

export interface ProgressOptions {
  /** Seconds between status lines when the stream is not a terminal. Default 5. */
  intervalSeconds?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** How far one stage is: what was queued, what is done, and since when. */
export interface StageProgress {
  queued: number;
  done: number;
  failed: number;
  startedAt: number | null;
}

/** Everything the displays show, folded from the run's events. Pure. */
export class ProgressTally {
  pages = 0;
  portalsStarted = 0;
  portalsDone = 0;
  reportsFound = 0;
  readonly fetch: StageProgress = { queued: 0, done: 0, failed: 0, startedAt: null };
  readonly extract: StageProgress = { queued: 0, done: 0, failed: 0, startedAt: null };
  valid = 0;
  flagged = 0;
  lastHost = '';

  constructor(private readonly now: () => number = Date.now) {}

  /** Folds one event in; returns a line to print at once (a failure), or null. */
  add(e: ProgressEvent): string | null {
    switch (e.type) {
      case 'portal':
        if (e.phase === 'start') {
          this.portalsStarted++;
          return null;
        }
        this.portalsDone++;
        this.reportsFound += e.result?.urls.length ?? 0;
        return `crawled ${e.portalId}: ${e.result?.urls.length ?? 0} reports (${e.result?.newUrls.length ?? 0} new)${e.result?.errors.length ? `, ${e.result.errors.length} page error${e.result.errors.length > 1 ? 's' : ''}` : ''}`;
      case 'page':
        this.pages++;
        this.lastHost = hostOf(e.url);
        return null;
      case 'queued': {
        const s = this[e.stage];
        // Extraction is queued once, with its whole count; fetches arrive portal by portal.
        s.queued = e.stage === 'fetch' ? s.queued + e.count : e.count;
        s.startedAt ??= this.now();
        return null;
      }
      case 'fetch':
        this.fetch.done++;
        if (e.result.outcome !== 'failed') return null;
        this.fetch.failed++;
        return `fetch failed: ${e.result.reason} ${e.result.url}`;
      case 'extract':
        this.extract.done++;
        if (e.result.outcome === 'skipped') {
          this.extract.failed++;
          return `extract skipped: ${e.result.reason} ${e.result.url}`;
        }
        if (e.result.status === 'valid') this.valid++;
        else if (e.result.status === 'flagged') this.flagged++;
        else {
          this.extract.failed++;
          const code = e.result.outcome === 'extracted' ? e.result.issueCodes[0] : undefined;
          return `extract failed: ${code ?? 'failed'} ${e.result.url}`;
        }
        return null;
    }
  }

  /** "fetch 120/300, 3 failed, 12.0/s, ETA 15 s" */
  stageLine(name: 'fetch' | 'extract'): string {
    const s = this[name];
    const parts = [`${name} ${s.done}/${s.queued}`];
    if (s.failed) parts.push(`${s.failed} failed`);
    if (name === 'extract' && s.done) parts.push(`${this.valid} valid, ${this.flagged} flagged`);
    const elapsed = s.startedAt === null ? 0 : (this.now() - s.startedAt) / 1000;
    if (s.done > 0 && elapsed > 0) {
      const rate = s.done / elapsed;
      parts.push(`${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)}/s`);
      const left = s.queued - s.done;
      if (left > 0) parts.push(`ETA ${duration(left / rate)}`);
    }
    return parts.join(', ');
  }

  statusLine(): string {
    const discover = `discover ${this.portalsDone}/${this.portalsStarted} portals, ${this.pages} pages, ${this.reportsFound} reports`;
    const stages = (['fetch', 'extract'] as const).filter((s) => this[s].startedAt !== null).map((s) => this.stageLine(s));
    return [discover, ...stages].join(' · ');
  }
}

export function progressDisplay(stream: NodeJS.WriteStream = process.stderr, opts: ProgressOptions = {}): ProgressDisplay {
  return stream.isTTY ? barProgress(stream) : lineProgress((s) => stream.write(s), opts);
}

function barProgress(stream: NodeJS.WriteStream): ProgressDisplay {
  const tally = new ProgressTally();
  const multi = new cliProgress.MultiBar(
    { stream, format: ' {stage} |{bar}| {value}/{total} {note}', hideCursor: true, clearOnComplete: false, autopadding: true },
    cliProgress.Presets.shades_classic,
  );
  // No total is known for listing pages: a spinner and the counts, not a bar that is always full.
  const pages = multi.create(0, 0, { stage: 'pages  ', spin: SPINNER[0], note: '' }, { format: ' {stage} {spin} {value} visited {note}' });
  const fetch = multi.create(0, 0, { stage: 'fetch  ', note: '' });
  const extract = multi.create(0, 0, { stage: 'extract', note: '' });
  let spin = 0;
  return {
    onProgress(e) {
      tally.add(e);
      if (e.type === 'page' || e.type === 'portal') {
        pages.update(tally.pages, { spin: SPINNER[++spin % SPINNER.length], note: `· ${tally.reportsFound} reports found · ${tally.portalsDone}/${tally.portalsStarted} portals ${tally.lastHost}` });
      } else if (e.type === 'queued') {
        (e.stage === 'fetch' ? fetch : extract).setTotal(tally[e.stage].queued);
      } else if (e.type === 'fetch') {
        fetch.update(tally.fetch.done, { note: tally.fetch.failed ? `${tally.fetch.failed} failed` : '' });
      } else if (e.type === 'extract') {
        extract.update(tally.extract.done, { note: `${tally.valid} valid, ${tally.flagged} flagged, ${tally.extract.failed} failed` });
      }
    },
    stop: () => multi.stop(),
  };
}

function lineProgress(write: (s: string) => void, opts: ProgressOptions): ProgressDisplay {
  const now = opts.now ?? Date.now;
  const tally = new ProgressTally(now);
  const say = (s: string) => write(`${new Date(now()).toISOString()} ${s}\n`);
  let changed = false;
  let last = '';
  const tick = () => {
    if (!changed) return;
    changed = false;
    const line = tally.statusLine();
    if (line !== last) say((last = line));
  };
  const timer = setInterval(tick, (opts.intervalSeconds ?? 5) * 1000);
  timer.unref();
  return {
    onProgress(e) {
      if (e.type === 'portal' && e.phase === 'start') say(`crawling ${e.portalId}`);
      const line = tally.add(e);
      if (line) say(line);
      changed = true;
    },
    stop: () => {
      clearInterval(timer);
      tick();
    },
  };
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
