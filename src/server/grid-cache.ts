/**
 * The source grid behind a record, rebuilt from the stored artifact with the current extractor.
 * Rebuilding a PDF takes seconds, so grids are kept (a few, least recently used first out) and a
 * grid being built is shared by everyone asking for it. Failures are not kept: the cause (say, a
 * missing converter) may be fixed a minute later.
 */
import type { ArtifactStore } from '../artifacts/index.js';
import { extractDocument } from '../extract/index.js';
import type { ExtractedDoc } from '../extract/grid.js';

export type GridResult = { ok: true; doc: ExtractedDoc } | { ok: false; reason: string };

export interface GridCache {
  get(sha256: string, charset: string | null): Promise<GridResult>;
}

export function gridCache(artifacts: Pick<ArtifactStore, 'get'>, opts: { size?: number; extract?: typeof extractDocument } = {}): GridCache {
  const size = opts.size ?? 8;
  const extract = opts.extract ?? extractDocument;
  const entries = new Map<string, Promise<GridResult>>();

  const build = async (sha256: string, charset: string | null): Promise<GridResult> => {
    const bytes = await artifacts.get(sha256);
    if (!bytes) return { ok: false, reason: `The artifact ${sha256} is not in the artifact store.` };
    try {
      return { ok: true, doc: await extract(bytes, { charset }) };
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
  };

  return {
    get(sha256, charset) {
      const key = `${sha256}\u0000${charset ?? ''}`;
      const hit = entries.get(key);
      if (hit) {
        // Map order is insertion order: re-inserting makes this the most recently used.
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const p = build(sha256, charset).catch((err): GridResult => ({ ok: false, reason: err instanceof Error ? err.message : String(err) }));
      entries.set(key, p);
      void p.then((r) => {
        if (!r.ok && entries.get(key) === p) entries.delete(key);
      });
      while (entries.size > size) entries.delete(entries.keys().next().value!);
      return p;
    },
  };
}
