/**
 * What the parse pool's threads run (thread.ts) and what comes back: plain data both ways, so a
 * task crosses the thread boundary by structured clone. An error thrown in a thread would lose its
 * class and code on the way; a task therefore answers a failure as data.
 */
import { transcode } from 'node:buffer';
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

export const recordLine = (record: NianbaoRecord): RecordLine => ({ status: record.status, line: utf8Line(JSON.stringify(record)) });

/**
 * `${json}\n` as UTF-8, the bytes TextEncoder makes, in under half its time for a record's Chinese
 * text (~22 against ~50 µs for 32 KB, over 300 records of text dumps): V8's UTF-8 writer, behind
 * TextEncoder and Buffer.from alike, goes a character at a time, ICU's converter does not. Exact because
 * JSON.stringify's text is well-formed UTF-16: it escapes lone surrogates, which TextEncoder would
 * have replaced. Node without ICU has no transcode.
 */
function utf8Line(json: string): Uint8Array {
  const text = `${json}\n`;
  return transcode ? transcode(Buffer.from(text, 'utf16le'), 'utf16le', 'utf8') : utf8.encode(text);
}

const utf8 = new TextEncoder();

export type PoolValue<T extends PoolTask> = T extends { kind: 'extract' } ? NianbaoRecord : T extends { kind: 'listing' } ? ListingDiscovery : ArticleInfo;

export type PoolAnswer<V> = { ok: true; value: V } | { ok: false; code: IssueCode | 'parse_failed'; message: string };
