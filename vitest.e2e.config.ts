import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/longest-first.js';

// End-to-end tests: Portico started as a real process (the built server, dist/server/main.js),
// driven through Debian's Chromium (its headless shell when installed: test/e2e/support/browser.ts). The global setup builds the server, makes migrated templates
// with the demo data (PGlite and PostgreSQL) that each server starts from, and starts one server
// shared by the files that change nothing (test/e2e/support/global-setup.ts). After every test, no
// page it visited may have had a Content-Security-Policy violation (csp-guard.ts) or an axe
// violation (axe-guard.ts); a failed test prints what every open page showed (failure-report.ts). Three files run at a time, the longest first (test/support/longest-first.ts):
// docs/architecture.md, "How npm test spends its time".
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/support/global-setup.ts'],
    setupFiles: ['test/e2e/support/csp-guard.ts', 'test/e2e/support/axe-guard.ts', 'test/e2e/support/failure-report.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // expect.poll waits for what a person would see; its default second is too short while the
    // integration lane loads the machine (a page's fetch loop once made 2 calls in it, not 3)
    expect: { poll: { timeout: 15_000 } },
    // Three files at a time on two cores: the browser tests wait on the server, timers and polls
    // often enough that two left the cores idle (2026-12-03, a fresh clone's e2e stage: 689 s with
    // two, 588 s with three; docs/architecture.md, "How npm test spends its time")
    maxWorkers: 3,
    // The files of a worker share its loaded modules (playwright-core, axe's source, the support),
    // as the integration tests do: imported again for each of the 36 files they cost 74 s of setup
    // summed over the workers, 6 s shared. They share its one Chromium too (launchBrowser in
    // test/e2e/support/browser.ts). docs/architecture.md, "How npm test spends its time".
    isolate: false,
    sequence: { sequencer: LongestFirst },
  },
});
