import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from './server.js';

export const DEMO_PASSWORD = 'portico-demo';
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results');

/** Headless Chromium from /usr/bin/chromium (override with PORTICO_CHROMIUM). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.PORTICO_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const violations: string[] = [];

/**
 * Content-Security-Policy violations reported by any page opened with newPage since the last call
 * (Chromium reports each one as a console error); the list is emptied. test/e2e/support/csp-guard.ts
 * fails every end-to-end test after which it is not empty.
 */
export function takeCspViolations(): string[] {
  return violations.splice(0);
}

function watchForCspViolations(page: Page) {
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      violations.push(`${page.url()}: ${message.text()}`);
    }
  });
}

/** A page in a NEW browser context (its own cookies), with relative page.goto() resolved against baseUrl. */
export async function newPage(browser: Browser, baseUrl: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 } });
  // Generous: the test machine may be running several suites at once.
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(60_000);
  context.on('page', watchForCspViolations);
  return context.newPage();
}

/** Saves a full-page PNG to test-results/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^a-zA-Z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

async function fillLoginForm(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Logs a staff member in at /login (does not wait for the landing page: assert it in the test). */
export async function loginStaffUI(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await fillLoginForm(page, email, password);
}

/** Logs a customer in at the help-center login page of one site. */
export async function loginCustomerUI(page: Page, baseUrl: string, site: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/s/${encodeURIComponent(site)}/servicedesk/customer/user/login`);
  await fillLoginForm(page, email, password);
}
