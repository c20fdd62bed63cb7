import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two suites, by file name: `*.slow.test.ts` (real process kills, farms, multi-second end-to-end
 * runs, anything over ~10 s) is the `slow` project, run by `npm run test:slow`; every other
 * `*.test.ts` is the `default` project, run by `npm test`. A plain `npx vitest run <file>` runs
 * the file in whichever project it belongs to.
 */
const SLOW = 'test/**/*.slow.test.ts';

export default defineConfig({
  test: {
    // Generous: a timeout is for a hang, and two files at a time on a loaded 2-core machine run
    // many times slower than alone.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests share Redis/PostgreSQL; they isolate themselves by key prefix / schema,
    // so test files run side by side, one per core.
    pool: 'forks',
    maxWorkers: 2,
    // The product reads PDFs with PDFium; the tests pin pdf.js, the reference engine, so that a
    // test's PDF results do not move with the default. Records are byte-identical between the
    // two (test/pdf/engines.slow.test.ts); `NIANBAO_PDF_ENGINE=pdfium npm test` runs every PDF
    // test on PDFium instead. Child processes the tests start (CLI, workers) inherit it.
    env: { NIANBAO_PDF_ENGINE: process.env.NIANBAO_PDF_ENGINE || 'pdfjs' },
    // Distributed mode's tests run compiled workers (dist/): build when the sources are newer.
    globalSetup: ['test/queue/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, SLOW] } },
      // One file at a time: they kill processes and load the machine. Said here, not by
      // `--maxWorkers=1` on the command line, which a project extending this file does not take
      // (its maxWorkers stays 2): test:slow ran two of these side by side in CI.
      { extends: true, test: { name: 'slow', include: [SLOW], fileParallelism: false } },
    ],
  },
});
