import { defineConfig } from 'vitest/config';

// Unit tests once; integration tests twice, on PGlite and on the PostgreSQL server
// (the project name in the output says which).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration:pglite',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/pglite-template-setup.ts'],
          env: { PORTICO_TEST_DB: 'pglite' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration:postgres',
          include: ['test/integration/**/*.test.ts'],
          env: { PORTICO_TEST_DB: 'postgres' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
