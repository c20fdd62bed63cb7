/**
 * Corrections (#16): the record page's correction view, the save of a reviewer's form, and the
 * page script. Saves store overrides beside the record (src/store/reviews.ts); the extracted
 * record is never written here.
 */
import { type Request, type Response, Router } from 'express';
import express from 'express';
import { parseCorrection } from '../review/form.js';
import { checkIdentities, recordIdentities } from '../review/identities.js';
import { applyReview } from '../review/overlay.js';
import type { Store, StoredRecord } from '../store/index.js';
import type { Flash } from './flash.js';
import { recordHref } from './pages/review.js';
import type { CorrectionView } from './pages/correction.js';
import { REVIEW_JS, REVIEW_JS_PATH } from './review-script.js';

export const CORRECT_PATH = '/review/correct';

/**
 * The correction form has a box per field (≈ 230 in a 2021 report, each with its checkbox), more
 * than the 20 parameters the other forms are held to.
 */
export const correctionParser = express.urlencoded({ extended: false, limit: '128kb', parameterLimit: 1200 });

export const reviewerOf = (res: Response): string => res.locals.reviewer ?? 'reviewer';

export async function correctionView(store: Store, stored: StoredRecord, reviewer: string, errors?: CorrectionView['errors']): Promise<CorrectionView | null> {
  if (stored.record.status === 'failed' || !stored.record.template) return null;
  const [review, history] = await Promise.all([store.getReview(stored.url), store.overrideHistory(stored.url)]);
  const reviewed = applyReview(stored, review);
  const identities = recordIdentities(stored.record);
  return {
    stored,
    overlay: reviewed.review,
    values: reviewed.record.values,
    identities,
    results: checkIdentities(identities, reviewed.record.values),
    history,
    reviewer,
    ...(errors ? { errors } : {}),
  };
}

export function correctionRoutes(deps: { store: Store; flash: Flash }): Router {
  const r = Router();

  r.get(REVIEW_JS_PATH, (_req, res) => {
    res.setHeader('Cache-Control', 'private, max-age=31536000, immutable');
    res.type('js').send(REVIEW_JS);
  });

  r.post(CORRECT_PATH, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const url = typeof body.url === 'string' && body.url.length <= 4096 ? body.url : null;
    if (!url) return void res.status(400).type('text/plain').send('No url.\n');
    const stored = await deps.store.getRecord(url);
    const back = (notice: Parameters<Flash['put']>[0]) => res.redirect(303, `${recordHref(url)}&n=${deps.flash.put(notice)}`);
    if (!stored) return void res.status(404).type('text/plain').send('No record with this URL.\n');
    // The form names the bytes it showed: a record re-made from other bytes meanwhile is not corrected blind.
    if (body.sha256 !== stored.sha256) return back({ kind: 'error', text: 'Not saved: the record was re-extracted from other bytes of the document while you were editing. Check the values again.' });
    const view = await correctionView(deps.store, stored, reviewerOf(res));
    if (!view) return back({ kind: 'error', text: 'Not saved: a failed record has no values to correct.' });
    const parsed = parseCorrection(body, stored, view.overlay);
    if (parsed.errors.length) {
      return back({ kind: 'error', text: `Not saved: not a number in ${parsed.errors.map((e) => `${e.field} ("${e.text}")`).join(', ')}.` });
    }
    await deps.store.saveReview({ url, sha256: stored.sha256, reviewer: reviewerOf(res), state: parsed.state, note: parsed.note, overrides: parsed.overrides });
    const after = await correctionView(deps.store, stored, reviewerOf(res));
    const broken = after?.results.filter((x) => x.holds === false).length ?? 0;
    const changed = parsed.overrides.length;
    back({ kind: 'info', text: `Saved by ${reviewerOf(res)}: ${changed} field${changed === 1 ? '' : 's'} changed, review state ${parsed.state}; ${broken === 0 ? 'every identity that can be checked holds' : `${broken} identit${broken === 1 ? 'y' : 'ies'} still broken`}.` });
  });

  return r;
}
