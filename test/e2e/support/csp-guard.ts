import { afterEach, expect } from 'vitest';
import { takeCspViolations } from './browser.js';

// Every end-to-end test also proves the web app works under Portico's Content-Security-Policy:
// a page that had something refused by the policy fails the test that opened it.
afterEach(() => {
  expect(takeCspViolations(), 'Content-Security-Policy violations').toEqual([]);
});
