import { defineConfig } from 'vitest/config';

// End-to-end tests: Portico started as a real process, driven through /usr/bin/chromium.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    setupFiles: ['test/e2e/support/csp-guard.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
