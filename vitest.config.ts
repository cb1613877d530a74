import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // No-op unless DMS_TEST_NOW is set: then every test file runs with the clock shifted to that instant (see .ci/run).
    setupFiles: ['test/support/shifted-clock.ts'],
  },
});
