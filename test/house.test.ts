/**
 * The layout a newcomer relies on: no import cycles in src/ or workers/, and workers/ holds thin
 * queue processors that import only from src/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../src/queue/jobs.js';
import { ROOT } from './helpers/shared.js';

describe('the house', () => {
  it('has no import cycle in src/ or workers/ (type-only imports included)', async () => {
    // detective-typescript reads `import('x')` types by a property typescript-estree 8 deprecated;
    // it still works, and the parser's own option keeps it from warning on every run.
    const ts = { suppressDeprecatedPropertyWarnings: true };
    const graph = await madge([join(ROOT, 'src'), join(ROOT, 'workers')], { fileExtensions: ['ts'], tsConfig: join(ROOT, 'tsconfig.json'), detectiveOptions: { ts, tsx: ts } });
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(100);
    expect(graph.circular()).toEqual([]);
  }, 60_000);

  it('has one processor file per queue in workers/, importing only from src/', () => {
    const files = readdirSync(join(ROOT, 'workers')).filter((f) => f.endsWith('.ts'));
    expect(files.sort()).toEqual(QUEUE_NAMES.map((q) => `${q}.ts`).sort());
    for (const f of files) {
      const specifiers = [...readFileSync(join(ROOT, 'workers', f), 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]!);
      expect(specifiers.length, f).toBeGreaterThan(0);
      for (const s of specifiers) expect(s, `${f} imports ${s}`).toMatch(/^\.\.\/src\//);
    }
  });
});
