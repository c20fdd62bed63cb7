/**
 * The crawler's memory (CrawlState) kept in the store, so nightly runs — and every worker in
 * distributed mode — share it: page validators and what each page linked, and each document's
 * report reference and validators.
 */
import type { CrawlState, DocumentState, PageState } from '../crawl/state.js';
import type { Store } from '../store/index.js';

export class StoreCrawlState implements CrawlState {
  constructor(
    private readonly store: Store,
    private readonly portalId: string,
  ) {}

  async getPage(url: string): Promise<PageState | undefined> {
    const r = await this.store.db.selectFrom('pages').select('state').where('url', '=', url).executeTakeFirst();
    return r?.state ? (JSON.parse(r.state) as PageState) : undefined;
  }

  async putPage(url: string, state: PageState): Promise<void> {
    await this.store.upsertPage({
      url,
      portalId: this.portalId,
      status: state.status === 304 ? 'not_modified' : 'fetched',
      httpStatus: state.status,
      etag: state.etag,
      lastModified: state.lastModified,
      sha256: state.sha256,
      at: state.fetchedAt,
    });
    await this.store.db.updateTable('pages').set({ state: JSON.stringify(state) }).where('url', '=', url).execute();
  }

  async getDocument(url: string): Promise<DocumentState | undefined> {
    const r = await this.store.db.selectFrom('documents').selectAll().where('url', '=', url).executeTakeFirst();
    if (!r?.ref) return undefined;
    return {
      url,
      ref: JSON.parse(r.ref),
      firstSeenAt: r.discovered_at,
      lastSeenAt: r.seen_at,
      etag: r.etag,
      lastModified: r.last_modified,
      sha256: r.sha256,
      contentType: r.content_type,
      fetchedAt: r.fetched_at,
    };
  }

  async putDocument(url: string, state: DocumentState): Promise<void> {
    const ref = state.ref;
    await this.store.upsertDocument({
      url,
      portalId: ref.portalId,
      title: ref.title,
      yearHint: ref.year,
      agencyHint: ref.agency,
      discoveredFrom: ref.listingUrl,
      publishedAt: ref.published ?? null,
      publishedFrom: ref.publishedFrom ?? null,
      seenAt: state.lastSeenAt,
    });
    const set: Record<string, unknown> = { ref: JSON.stringify(ref) };
    if (state.sha256) {
      Object.assign(set, { etag: state.etag ?? null, last_modified: state.lastModified ?? null, sha256: state.sha256, content_type: state.contentType ?? null, fetched_at: state.fetchedAt ?? null });
    }
    await this.store.db.updateTable('documents').set(set).where('url', '=', url).execute();
  }
}
