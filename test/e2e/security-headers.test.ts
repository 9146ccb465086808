import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sharedPortico, type RunningPortico } from './support/server.js';
import { launchBrowser, loginStaffUI, newPage, takeCspViolations } from './support/browser.js';

// The web app under its Content-Security-Policy in a real Chromium: the main pages of each surface
// render and no policy violation is reported (csp-guard.ts checks after every test of every file).

let portico: RunningPortico;
let browser: Browser;

beforeAll(async () => {
  portico = sharedPortico(); // only reads and logs in: the run's shared server
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function visit(page: Page, path: string, heading: RegExp | string) {
  const response = await page.goto(path);
  await page.getByRole('heading', { level: 1, name: heading }).first().waitFor();
  return response;
}

describe('the web app under its Content-Security-Policy', () => {
  it('T4: a page of the web app carries the policy (no inline scripts, no framing), nosniff and a Referrer-Policy', async () => {
    const page = await newPage(browser, portico.url);
    const response = await visit(page, '/login', /Log in/);
    const headers = response!.headers();
    expect(headers['content-type']).toMatch(/^text\/html/);
    const csp = headers['content-security-policy'];
    expect(csp).toMatch(/(^|;)\s*script-src 'self'\s*(;|$)/);
    expect(csp).toMatch(/(^|;)\s*frame-ancestors 'none'\s*(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
    expect(headers['strict-transport-security']).toBeUndefined(); // the e2e server's public URL is http
    // the document's scripts are files of this host, none inline
    const inline = await page.evaluate(() => [...document.scripts].filter((s) => !s.src).length);
    expect(inline).toBe(0);
    await page.context().close();
  });

  it('T4: a violation is noticed (the guard is not blind): an injected inline script is refused and reported', async () => {
    const page = await newPage(browser, portico.url);
    await visit(page, '/login', /Log in/);
    const ran = await page.evaluate(async () => {
      const w = window as unknown as { injected?: boolean };
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
      await new Promise((r) => setTimeout(r, 100));
      return w.injected === true;
    });
    expect(ran).toBe(false);
    // Chromium reports it on the console shortly after
    await expect.poll(() => takeCspViolations().length, { timeout: 10_000 }).toBeGreaterThan(0);
    await page.context().close();
  });

  it('T4: the signed-in web app needs no inline style: react-aria\'s one rule comes from our stylesheet', async () => {
    // (every end-to-end file walks its own pages under the policy: csp-guard.ts)
    const admin = await newPage(browser, portico.url);
    await loginStaffUI(admin, portico.url, 'admin@acme.test');
    await admin.waitForURL((u) => u.pathname.startsWith('/admin'));
    await admin.goto('/admin/s/acme/service-management');
    await admin.getByRole('button', { name: /^More actions for alice@customer.test/ }).click();
    await admin.getByRole('menuitem', { name: 'Revoke access' }).waitFor();
    await admin.keyboard.press('Escape');
    const pressable = await admin.evaluate(() => ({
      pressables: document.querySelectorAll('[data-react-aria-pressable]').length > 0,
      placeholder: document.getElementById('react-aria-pressable-style')?.tagName,
      inlineStyles: document.querySelectorAll('style').length,
      ruleFromFile: [...document.styleSheets].some((sheet) => sheet.href !== null && [...sheet.cssRules].some((r) => r.cssText.includes('[data-react-aria-pressable]'))),
    }));
    expect(pressable).toEqual({ pressables: true, placeholder: 'META', inlineStyles: 0, ruleFromFile: true });
    await admin.context().close();
  });

  it('T4: the API docs (Swagger UI) render under their own policy', async () => {
    const page = await newPage(browser, portico.url);
    const response = await page.goto('/api/docs/');
    expect(response!.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    await page.getByText('/s/{site}/rest/api/3/myself').first().waitFor();
    await page.context().close();
  });
});
