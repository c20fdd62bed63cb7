/**
 * What the parse pool's threads run (thread.ts) and what comes back: plain data both ways, so a
 * task crosses the thread boundary by structured clone. An error thrown in a thread would lose its
 * class and code on the way; a task therefore answers a failure as data.
 */
import type { ArticleInfo } from '../crawl/article.js';
import type { Selectors } from '../crawl/config.js';
import type { ListingDiscovery } from '../crawl/discover.js';
import type { ExtractRecordInput } from '../extractor.js';
import type { IssueCode, NianbaoRecord } from '../validate/schema.js';

export type PoolTask = (
  | {
      kind: 'extract';
      bytes: Uint8Array;
      input: ExtractRecordInput;
      /** PDFium's wasm, compiled once by the calling thread (pdfium.ts), for a PDF read with PDFium. */
      pdfium?: WebAssembly.Module;
      /** Answer the record as its JSON text (a RecordLine) rather than as the object. */
      json?: boolean;
    }
  | { kind: 'listing'; html: string; url: string; selectors: Selectors }
  | { kind: 'article'; html: string; url: string; selectors: Selectors }
) & {
  /** Shared with the pool: the thread sets it to 1 when the task starts, which starts its clock. */
  started?: Int32Array;
};

/**
 * A record as a line of JSON Lines (its JSON text and a newline, UTF-8) with its status: what a
 * caller that only prints records needs. Made in the thread, the bytes cross back instead of the
 * record's object graph, which the thread would serialize and the calling thread rebuild only to
 * stringify and encode it.
 */
export interface RecordLine {
  status: NianbaoRecord['status'];
  line: Uint8Array;
}

const utf8 = new TextEncoder();

export const recordLine = (record: NianbaoRecord): RecordLine => ({ status: record.status, line: utf8.encode(`${JSON.stringify(record)}\n`) });

export type PoolValue<T extends PoolTask> = T extends { kind: 'extract' } ? NianbaoRecord : T extends { kind: 'listing' } ? ListingDiscovery : ArticleInfo;

export type PoolAnswer<V> = { ok: true; value: V } | { ok: false; code: IssueCode | 'parse_failed'; message: string };
