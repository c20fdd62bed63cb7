/**
 * What the crawler remembers between runs, per URL: validators for conditional requests and what
 * discovery found, so a 304 still tells us a page's links. Plain JSON-able data behind a small
 * async interface; an SQL-backed implementation can replace the in-memory one.
 */
import type { ArticleInfo } from './article.js';
import type { ReportLink, ReportRef } from './discover.js';

export interface PageState {
  url: string;
  kind: 'listing' | 'article';
  etag: string | null;
  lastModified: string | null;
  sha256: string | null;
  status: number;
  fetchedAt: string;
  /** Listing: report links and further pages found on it. */
  reports?: ReportLink[];
  pages?: string[];
  /** A listing with no report link that looked like a script's empty shell (needsJavaScript), kept for its 304s. */
  scripted?: boolean;
  /** Article: what the page holds. */
  article?: ArticleInfo;
}

export interface DocumentState {
  url: string;
  ref: ReportRef;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Set by fetchDocument after a successful download. */
  etag?: string | null;
  lastModified?: string | null;
  sha256?: string | null;
  contentType?: string | null;
  fetchedAt?: string | null;
}

export interface CrawlState {
  getPage(url: string): Promise<PageState | undefined>;
  putPage(url: string, state: PageState): Promise<void>;
  getDocument(url: string): Promise<DocumentState | undefined>;
  putDocument(url: string, state: DocumentState): Promise<void>;
}

/** Copies on the way in and out, so callers cannot mutate what is stored (as with a database). */
export class MemoryCrawlState implements CrawlState {
  readonly pages = new Map<string, PageState>();
  readonly documents = new Map<string, DocumentState>();

  async getPage(url: string) {
    const s = this.pages.get(url);
    return s ? structuredClone(s) : undefined;
  }
  async putPage(url: string, state: PageState) {
    this.pages.set(url, structuredClone(state));
  }
  async getDocument(url: string) {
    const s = this.documents.get(url);
    return s ? structuredClone(s) : undefined;
  }
  async putDocument(url: string, state: DocumentState) {
    this.documents.set(url, structuredClone(state));
  }
}
