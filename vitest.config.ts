import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share Redis/PostgreSQL; they isolate themselves by key prefix / schema.
    pool: 'forks',
    // Distributed mode's tests run compiled workers (dist/): build when the sources are newer.
    globalSetup: ['test/queue/global-setup.ts'],
  },
});
