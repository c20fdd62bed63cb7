/**
 * Reviewer tokens, one per person, from a file (one `name:token` a line; `#` comments) or an
 * environment variable (`alice:token1,bob:token2`). Pure: the text comes in, the list goes out.
 */
import type { Reviewer } from './auth.js';

export const MIN_REVIEWER_TOKEN = 16;
const NAME_RE = /^[\p{L}\p{N}_.@ -]{1,64}$/u;

export class ReviewerListError extends Error {
  override name = 'ReviewerListError';
}

export function parseReviewers(text: string, separator: RegExp = /\r?\n/): Reviewer[] {
  const out: Reviewer[] = [];
  const names = new Set<string>();
  const tokens = new Set<string>();
  text.split(separator).forEach((line, i) => {
    const l = line.trim();
    if (!l || l.startsWith('#')) return;
    const at = l.indexOf(':');
    const name = at > 0 ? l.slice(0, at).trim() : '';
    const token = at > 0 ? l.slice(at + 1).trim() : '';
    const where = `entry ${i + 1}`;
    if (!name || !token) throw new ReviewerListError(`${where}: expected name:token`);
    if (!NAME_RE.test(name)) throw new ReviewerListError(`${where}: a reviewer name is 1–64 letters, digits, spaces or _.@-`);
    if (token.length < MIN_REVIEWER_TOKEN || /\s/.test(token)) throw new ReviewerListError(`${where} (${name}): a token is at least ${MIN_REVIEWER_TOKEN} characters without spaces`);
    if (names.has(name)) throw new ReviewerListError(`${where}: reviewer ${name} is listed twice`);
    if (tokens.has(token)) throw new ReviewerListError(`${where} (${name}): the same token is given to two reviewers`);
    names.add(name);
    tokens.add(token);
    out.push({ name, token });
  });
  return out;
}

/** The env form: entries separated by commas. */
export const parseReviewersEnv = (v: string): Reviewer[] => parseReviewers(v, /,/);
