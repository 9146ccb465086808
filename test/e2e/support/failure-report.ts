import { beforeEach } from 'vitest';
import { describeOpenPages } from './browser.js';

// A failed end-to-end test says what the browser showed: every open page's address, where it went
// and which answers failed just before, the start of its text, and a screenshot under test-results/
// (a failure on CI can be understood from its log, without running it again).
beforeEach(({ onTestFailed, task }) => {
  onTestFailed(async () => {
    console.error(`What the browser showed when "${task.name}" failed:\n${await describeOpenPages(task.name)}`);
  });
});
