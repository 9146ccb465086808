import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import LongestFirst from './test/support/longest-first.js';

// Unit tests once; integration tests twice, on PGlite and on the PostgreSQL server
// (the project name in the output says which).
//
// Speed: a file does not get a fresh process — `isolate: false` lets the files of
// a project share one worker and its loaded modules (fastify, PGlite, the app's source), which
// otherwise cost each file about a second; every file still builds its own app on its own database,
// copied from a template made once per run (test/support/*-template-setup.ts). Files that replace a
// module with vi.mock need a module graph of their own: they run isolated, in "… (isolated)".
// Two workers, since much of the work is elsewhere (the PostgreSQL server, argon2's threads, child
// processes): the default on 2 cores is one.

/** Files that vi.mock a module: a mock must not reach, or miss, modules another file loaded. */
const MOCKING = {
  unit: ['test/unit/secrets.test.ts'],
  integration: ['test/integration/auth.test.ts', 'test/integration/revocation-access.test.ts'],
};

function split(name: string, include: string[], mocking: string[], test: TestProjectInlineConfiguration['test'] = {}): TestProjectInlineConfiguration[] {
  return [
    { test: { ...test, name, include, exclude: mocking, isolate: false } },
    { test: { ...test, name: `${name} (isolated)`, include: mocking, isolate: true } },
  ];
}

const integration = { testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    projects: [
      ...split('unit', ['test/unit/**/*.test.ts'], MOCKING.unit),
      ...split('integration:pglite', ['test/integration/**/*.test.ts'], MOCKING.integration, {
        ...integration,
        globalSetup: ['test/support/server-build-setup.ts', 'test/support/pglite-template-setup.ts'],
        env: { PORTICO_TEST_DB: 'pglite' },
      }),
      ...split('integration:postgres', ['test/integration/**/*.test.ts'], MOCKING.integration, {
        ...integration,
        globalSetup: ['test/support/server-build-setup.ts', 'test/support/postgres-template-setup.ts'],
        env: { PORTICO_TEST_DB: 'postgres' },
      }),
    ],
  },
});
