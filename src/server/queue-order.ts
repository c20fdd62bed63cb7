/**
 * Which flagged record a reviewer should open next: the next one (by id, wrapping round) that
 * nobody has settled — no review, a review left unreviewed, or one made on other bytes.
 */
import type { Store } from '../store/index.js';

function unsettled(store: Store) {
  return store.db
    .selectFrom('records')
    .leftJoin('reviews', 'reviews.url', 'records.url')
    .select(['records.id', 'records.url'])
    .where('records.status', '=', 'flagged')
    .where((eb) => eb.or([eb('reviews.url', 'is', null), eb('reviews.state', '=', 'unreviewed'), eb('reviews.sha256', '<>', eb.ref('records.sha256'))]));
}

export async function nextFlagged(store: Store, afterId: number): Promise<string | null> {
  const after = await unsettled(store).where('records.id', '>', afterId).orderBy('records.id').limit(1).executeTakeFirst();
  if (after) return after.url;
  const first = await unsettled(store).where('records.id', '<', afterId).orderBy('records.id').limit(1).executeTakeFirst();
  return first?.url ?? null;
}
