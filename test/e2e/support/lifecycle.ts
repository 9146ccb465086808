import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startPortico, type RunningPortico } from './server.js';

/**
 * A Portico of the file's (or describe block's) own and a browser: started before its tests, handed
 * to `ready` (which may sign people in too), closed and stopped after them.
 */
export function withPorticoAndBrowser(ready: (portico: RunningPortico, browser: Browser) => void | Promise<void>): void {
  let portico: RunningPortico | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    portico = await startPortico();
    browser = await launchBrowser();
    await ready(portico, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
  });
}
