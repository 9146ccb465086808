import { afterEach } from 'vitest';
import { settleAccessibilityChecks, takeAxeViolations } from './browser.js';

// Every end-to-end test also proves the pages it visited are accessible: axe runs on each page after
// each navigation, unless the run has checked the same screen already (test/e2e/support/browser.ts),
// and a test after which it found anything fails with the rule, its impact, the elements and the page.
afterEach(async () => {
  await settleAccessibilityChecks();
  const found = takeAxeViolations();
  if (found.length) throw new Error(`axe found accessibility violations on ${found.length} page${found.length === 1 ? '' : 's'}:\n\n${found.join('\n\n')}`);
});
