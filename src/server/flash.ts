/**
 * One-time notices carried across the redirect after a POST. The redirect carries only a random
 * id, so a crafted link cannot put words of its own on the page.
 */
import { randomBytes } from 'node:crypto';
import type { Notice } from './pages/record.js';

export interface Flash {
  put(n: Notice): string;
  take(id: unknown): Notice | null;
}

export function flash(opts: { max?: number; ttlMs?: number; now?: () => number } = {}): Flash {
  const max = opts.max ?? 200;
  const ttl = opts.ttlMs ?? 10 * 60_000;
  const now = opts.now ?? Date.now;
  const notes = new Map<string, { n: Notice; at: number }>();
  return {
    put(n) {
      const id = randomBytes(9).toString('base64url');
      notes.set(id, { n, at: now() });
      while (notes.size > max) notes.delete(notes.keys().next().value!);
      return id;
    },
    take(id) {
      if (typeof id !== 'string') return null;
      const e = notes.get(id);
      if (!e) return null;
      notes.delete(id);
      return now() - e.at > ttl ? null : e.n;
    },
  };
}
