// What a page of the web app costs a browser and the server, step by step (docs/architecture.md,
// "The web app's files"): `npx tsx bench/page-load.ts` (build the web app first: `npx vite build`).
// Starts the built server on a new embedded data directory with the demo data
// (bench/support/built-server.ts), then in Debian's headless Chromium, for ROUNDS rounds (default
// 8), each in a new browser context: the staff login page, Sam's sign-in, his queue page loaded, the
// same page loaded again, a request's page loaded, then loaded again, and a move back to the queue by
// a click inside the app. Prints, for each step, the mean wall time, the CPU of all Chromium's
// processes and the server's CPU (both read from /proc), and the files of the web app the step used
// (Playwright reports those a cache answered too; the server's CPU shows what reached the server).
// Run it alone: it counts every Chromium process on the machine. Prints, never asserts; run it for
// the code before and after, alternating.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startBuiltServer } from './support/built-server.js';
import { cpuByProcess, cpuSeconds } from './support/process-cpu.js';
import { startChromium } from '../test/e2e/support/browser.js';

const ROUNDS = Number(process.env.ROUNDS ?? 8);

/** CPU seconds of every Chromium process alive now (those that ended meanwhile are not counted). */
function chromiumCpu(): number {
  let seconds = 0;
  for (const used of cpuByProcess((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chromium')).values()) seconds += used;
  return seconds;
}

interface Totals {
  wall: number;
  chromium: number;
  server: number;
  files: number;
}

const server = await startBuiltServer('pglite', 'page-load');
const browser = await startChromium(); // as the end-to-end tests launch it
const steps = new Map<string, Totals>();
try {
  for (let round = 0; round < ROUNDS; round++) {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    let files = 0;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/assets/')) files++;
    });
    const step = async (name: string, run: (page: Page) => Promise<unknown>) => {
      files = 0;
      const chromiumBefore = chromiumCpu();
      const serverBefore = cpuSeconds(server.child.pid!);
      const started = performance.now();
      await run(page);
      const wall = performance.now() - started;
      const totals = steps.get(name) ?? { wall: 0, chromium: 0, server: 0, files: 0 };
      totals.wall += wall;
      totals.chromium += (chromiumCpu() - chromiumBefore) * 1000;
      totals.server += (cpuSeconds(server.child.pid!) - serverBefore) * 1000;
      totals.files += files;
      steps.set(name, totals);
    };
    const queue = async (p: Page) => {
      await p.goto('/s/acme/jira/servicedesk/projects/HELP/queues');
      await p.getByText('HELP-1').first().waitFor();
    };
    const request = async (p: Page) => {
      await p.goto('/s/acme/browse/HELP-1');
      await p.getByRole('heading', { name: 'Laptop will not connect to the VPN' }).waitFor();
    };
    await step('staff login page', async (p) => {
      await p.goto('/login');
      await p.getByRole('heading', { level: 1 }).first().waitFor();
    });
    await step('sign in → projects', async (p) => {
      await p.getByLabel('Email').fill('agent@acme.test');
      await p.getByLabel('Password', { exact: true }).fill('portico-demo');
      await p.getByRole('button', { name: 'Log in' }).click();
      await p.waitForURL(/\/projects$/);
      await p.getByText('IT Help').first().waitFor();
    });
    await step('queue page, first load', queue);
    await step('queue page, loaded again', queue);
    await step("a request's page, loaded", request);
    await step("a request's page, loaded again", request);
    await step('to the queue by a click', async (p) => {
      await p.getByRole('link', { name: /queue/i }).first().click();
      await p.getByText('HELP-1').first().waitFor();
    });
    await context.close();
  }
  console.log(`${ROUNDS} rounds, each in a new browser context; means per step`);
  console.log(`${'step'.padEnd(34)}${'wall ms'.padStart(9)}${'Chromium CPU ms'.padStart(17)}${'server CPU ms'.padStart(15)}${'files used'.padStart(12)}`);
  for (const [name, t] of steps) {
    const mean = (v: number) => (v / ROUNDS).toFixed(0);
    console.log(`${name.padEnd(34)}${mean(t.wall).padStart(9)}${mean(t.chromium).padStart(17)}${mean(t.server).padStart(15)}${mean(t.files).padStart(12)}`);
  }
} finally {
  await browser.close();
  await server.stop();
}
