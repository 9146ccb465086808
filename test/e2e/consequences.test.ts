/**
 * Issue 4, item 4 — every consequence of revoking a portal-only customer, as a person would notice
 * it, in Chromium (docs/product.md#revoke-and-grant):
 *
 *  1. Alice is logged in to the acme help center twice (two browser contexts) with an API loop
 *     running; Bob and the agent Sam are logged in too.
 *  2. The control, before the revoke: the pickers offer Alice, `reporter = "Alice Example"` finds
 *     HELP-1, and a filter is saved.
 *  3. admin@acme.test revokes her in the admin console (Products → Sites and products → acme →
 *     Portal customers → More → Revoke access).
 *  4. Lockout (both sessions, the API loop, login, password reset), pickers, labels, filters.
 *  5. Grant access restores everything — except the sessions from before the revoke.
 *  6. Two Portico processes on one PostgreSQL database: revoke through B, refused on A.
 *
 * Screenshots of every step: test-results/consequences-NN-<step>.png (and consequences-pg-NN-… for
 * the two-process test).
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import pg from 'pg';
import { createPostgresDatabase, POSTGRES_ADMIN_URL, startPortico, type RunningPortico } from './support/server.js';
import { withPorticoAndBrowser } from './support/lifecycle.js';
import { DEMO_PASSWORD, SCREENSHOT_DIR, launchBrowser, loginCustomerUI, loginStaffUI, newPage, screenshot } from './support/browser.js';
import { offeredLabels, typeInPicker as typePeopleSearch } from './support/pickers.js';

const SITE = 'acme';
const ALICE = 'alice@customer.test';
const ALICE_NAME = 'Alice Example';
const DEACTIVATED = `${ALICE_NAME} (Deactivated)`;
const LOGIN_PATH = `/s/${SITE}/servicedesk/customer/user/login`;
const REQUESTS_PATH = `/s/${SITE}/servicedesk/customer/user/requests`;
const REQUESTS_API = `/s/${SITE}/api/portal/requests`;
const STEP_TIMEOUT = 300_000;

// ---- helpers shared by both describes -------------------------------------------------------------

// Screenshots of an earlier run would mix with this run's numbering.
try {
  for (const f of readdirSync(SCREENSHOT_DIR)) if (/^consequences-.*\.png$/.test(f)) rmSync(path.join(SCREENSHOT_DIR, f));
} catch {
  // no test-results directory yet
}

type Shot = (page: Page, step: string) => Promise<unknown>;

/** Numbered screenshots: test-results/<prefix>-NN-<step>.png. */
function shooter(prefix: string): Shot {
  let n = 0;
  return (page, step) => {
    n += 1;
    return screenshot(page, `${prefix}-${String(n).padStart(2, '0')}-${step}`);
  };
}

const pathOf = (page: Page) => new URL(page.url()).pathname;

/** The status of a fetch made by the page itself (its cookies, its origin). */
const fetchStatus = (page: Page, url: string) =>
  page.evaluate(async (u) => {
    const res = await fetch(u, { headers: { accept: 'application/json' } });
    await res.text();
    return res.status;
  }, url);

/**
 * Types into a user-picker combobox and waits for the search's answer to the whole text to be on the
 * list. Both autocompletes debounce (150 ms) before asking the server, and the basic filter's list
 * does not say "Searching…" during its debounce: the answer is waited for, not the debounce.
 */
async function typeInPicker(page: Page, label: string, text: string) {
  await typePeopleSearch(page, label, text, { exact: true });
}

/** The people an open picker list offers (its labels). */
const offered = offeredLabels;

async function closePicker(page: Page) {
  await page.keyboard.press('Escape');
  if (await page.getByRole('listbox').isVisible()) await page.keyboard.press('Escape');
  await page.getByRole('listbox').waitFor({ state: 'hidden' });
}

/** Types `text` in a picker and returns who is offered, then closes the list. */
async function pickerOffers(page: Page, label: string, text: string): Promise<string[]> {
  await typeInPicker(page, label, text);
  const people = await offered(page);
  if (people.length === 0) expect(await page.getByRole('listbox').innerText()).toContain('No matching people');
  return people;
}

/** The admin console's centralized path to acme's Portal customers (the spec's steps 1–4). */
async function openPortalCustomers(admin: Page, baseUrl: string, shot?: Shot): Promise<string> {
  await loginStaffUI(admin, baseUrl, 'admin@acme.test');
  await admin.waitForURL(/\/admin\/o\/[^/]+\/overview$/);
  const orgId = pathOf(admin).split('/')[3];
  const tabs = admin.getByRole('navigation', { name: 'Organization' });
  await tabs.getByRole('link', { name: 'Products' }).click();
  await admin.getByRole('heading', { name: 'Sites and products' }).waitFor();
  await admin.getByRole('table', { name: 'Sites and products' }).getByRole('link', { name: 'Acme Support' }).click();
  const sideNav = admin.getByRole('navigation', { name: 'Acme Support navigation' });
  await sideNav.getByRole('heading', { name: 'Service Management' }).waitFor();
  await sideNav.getByRole('link', { name: 'Portal customers' }).click();
  await admin.waitForURL(/\/admin\/o\/[^/]+\/products\/acme\/portal-customers$/);
  await expect.poll(() => customerRow(admin, ALICE).textContent(), { timeout: 30_000 }).toContain('Active');
  if (shot) await shot(admin, 'admin-portal-customers');
  return orgId;
}

const customerRow = (page: Page, email: string) => page.getByRole('row').filter({ hasText: email });

/** More actions → Revoke access → confirm; waits for the visible result. */
async function revokeAlice(admin: Page, shot: Shot) {
  await admin.getByRole('button', { name: `More actions for ${ALICE}` }).click();
  await admin.getByRole('menuitem', { name: 'Revoke access' }).click();
  const dialog = admin.getByRole('alertdialog', { name: `Revoke access for ${ALICE_NAME}?` });
  await dialog.waitFor();
  await shot(admin, 'admin-revoke-dialog');
  await dialog.getByRole('button', { name: 'Revoke access' }).click();
  await admin.getByRole('status').filter({ hasText: `Access revoked for ${ALICE_NAME}.` }).waitFor();
  await expect.poll(() => customerRow(admin, ALICE).textContent()).toContain('Access revoked');
  expect(await customerRow(admin, ALICE).textContent()).toContain(DEACTIVATED);
  await shot(admin, 'admin-revoked');
}

async function grantAlice(admin: Page, shot: Shot) {
  await admin.getByRole('button', { name: `More actions for ${ALICE}` }).click();
  await admin.getByRole('menuitem', { name: 'Grant access' }).click();
  const dialog = admin.getByRole('alertdialog', { name: `Grant access for ${ALICE_NAME}?` });
  await dialog.waitFor();
  await shot(admin, 'admin-grant-dialog');
  await dialog.getByRole('button', { name: 'Grant access' }).click();
  await admin.getByRole('status').filter({ hasText: `Access granted for ${ALICE_NAME}.` }).waitFor();
  await expect.poll(async () => (await customerRow(admin, ALICE).getByRole('cell').nth(3).textContent())?.trim()).toBe('Active');
  expect((await customerRow(admin, ALICE).getByRole('cell').nth(1).textContent())?.trim()).toBe(ALICE_NAME);
  await shot(admin, 'admin-granted');
}

/** Logs Alice in at the help center and waits for her requests page. */
async function aliceOnRequestsPage(page: Page, baseUrl: string) {
  await loginCustomerUI(page, baseUrl, SITE, ALICE);
  await page.waitForURL(/\/s\/acme\/servicedesk\/customer\/portals$/);
  await page.goto(REQUESTS_PATH);
  await page.getByRole('link', { name: 'HELP-1', exact: true }).waitFor();
}

/** A full page load of her requests page: she lands on the help-center login page. */
async function expectSignedOut(page: Page) {
  await page.goto(REQUESTS_PATH);
  await page.waitForURL((u) => u.pathname === LOGIN_PATH);
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  expect(await page.getByRole('link', { name: 'HELP-1', exact: true }).count()).toBe(0);
  expect(await fetchStatus(page, `${REQUESTS_API}?filter=all`)).toBe(401);
}

// ---- one Portico server (PGlite) ------------------------------------------------------------------

describe('revoking Alice: every consequence a person notices, and Grant access restoring them', () => {
  let portico: RunningPortico;
  let browser: Browser;
  const shot = shooter('consequences');
  // the people and their pages
  let alice1: Page;
  let alice2: Page;
  let bob: Page;
  let sam: Page;
  let admin: Page;
  let orgId = '';
  let aliceId = '';
  let revokedAt = 0;
  /** HELP-1/HELP-2 people as the agent API presents them before the revoke. */
  let referencesBefore: unknown;

  const open = () => newPage(browser, portico.url);

  /** Reporter, participants and user-picker values of HELP-1 and HELP-2, as the agent API sends them. */
  const references = async () => {
    const out: Record<string, unknown> = {};
    for (const key of ['HELP-1', 'HELP-2', 'HELP-3']) {
      const res = await sam.request.get(`${portico.url}/s/${SITE}/api/agent/requests/${key}`);
      expect(res.status()).toBe(200);
      const r = (await res.json()) as { reporter: unknown; participants: unknown; fields: unknown };
      out[key] = { reporter: r.reporter, participants: r.participants, fields: r.fields };
    }
    return out;
  };

  const searchResults = async (page: Page, column: number) =>
    (await page.getByRole('table', { name: 'Search results' }).locator(`tbody tr td:nth-child(${column})`).allInnerTexts()).map((t) => t.trim());

  /** Runs JQL on the issue search page (the URL holds the query) and returns the keys found. */
  const search = async (jql: string): Promise<string[]> => {
    await sam.goto(`/s/${SITE}/issues?${new URLSearchParams({ jql })}`);
    await sam.getByRole('heading', { level: 1, name: 'Search issues' }).waitFor();
    const table = sam.getByRole('table', { name: 'Search results' });
    const alert = sam.getByRole('alert');
    await table.or(alert).first().waitFor();
    if (await alert.count()) return [];
    return searchResults(sam, 1);
  };

  const openRequestAsAgent = async (key: string, summary: string) => {
    await sam.goto(`/s/${SITE}/browse/${key}`);
    await sam.getByRole('heading', { level: 1, name: summary }).waitFor();
  };

  const inputOf = (page: Page, label: string) => page.getByRole('combobox', { name: label, exact: true }).inputValue();
  const tagsOf = async (page: Page, label: string) =>
    (await page.getByRole('grid', { name: `${label}: chosen people` }).getByRole('row').allInnerTexts()).map((t) => t.replace('×', '').trim());

  /** Bob's "Get IT help" form in the help center (its "Share with" and "Affected user" pickers). */
  const bobOpensGetItHelp = async () => {
    await bob.goto(`/s/${SITE}/servicedesk/customer/portals`);
    await bob.getByRole('link', { name: 'Acme IT Help Center' }).click();
    await bob.getByRole('link', { name: /Get IT help/ }).click();
    await bob.getByRole('heading', { level: 1, name: 'Get IT help' }).waitFor();
  };

  const bobOpensHelp2 = async () => {
    await bob.goto(REQUESTS_PATH);
    await bob.getByRole('link', { name: 'HELP-2', exact: true }).click();
    await bob.getByRole('heading', { level: 1 }).filter({ hasNotText: 'My requests' }).waitFor();
    await bob.getByTestId('reporter').waitFor();
  };

  withPorticoAndBrowser((started, launched) => {
    portico = started;
    browser = launched;
  });

  it('step 1: Alice in two browser sessions, Bob, and the agent with HELP-1 open', { timeout: STEP_TIMEOUT }, async () => {
    alice1 = await open();
    alice2 = await open();
    await aliceOnRequestsPage(alice1, portico.url);
    await aliceOnRequestsPage(alice2, portico.url);
    // two separate sessions: each context has its own cookie
    const cookie = async (p: Page) => (await p.context().cookies()).find((c) => c.name === 'portico_csid')?.value;
    expect(await cookie(alice1)).toBeTruthy();
    expect(await cookie(alice1)).not.toBe(await cookie(alice2));
    await shot(alice1, 'alice-session-1-requests');
    await shot(alice2, 'alice-session-2-requests');

    bob = await open();
    await loginCustomerUI(bob, portico.url, SITE, 'bob@customer.test');
    await bob.waitForURL(/\/customer\/portals$/);
    await shot(bob, 'bob-logged-in');

    sam = await open();
    await loginStaffUI(sam, portico.url, 'agent@acme.test');
    await sam.waitForURL(/\/projects$/);
    await openRequestAsAgent('HELP-1', 'Laptop will not connect to the VPN');
    expect(await inputOf(sam, 'Reporter')).toBe(ALICE_NAME);
    await shot(sam, 'agent-help-1');

    const res = await sam.request.get(`${portico.url}/s/${SITE}/api/agent/requests/HELP-1`);
    aliceId = ((await res.json()) as { reporter: { accountId: string } }).reporter.accountId;
    expect(aliceId).toMatch(/^qm:/);
  });

  it('step 2 (control, before the revoke): pickers offer Alice, JQL by name finds HELP-1, a filter is saved', { timeout: STEP_TIMEOUT }, async () => {
    // the agent's pickers on HELP-1 (she is its reporter, so the Reporter picker is tried on HELP-3)
    expect(await pickerOffers(sam, 'Request participants', 'Ali')).toContain(ALICE_NAME);
    await shot(sam, 'control-agent-participants-offers-alice');
    await closePicker(sam);
    expect(await pickerOffers(sam, 'Affected user', 'Ali')).toContain(ALICE_NAME);
    await closePicker(sam);
    await openRequestAsAgent('HELP-3', 'New monitor for the design desk');
    expect(await pickerOffers(sam, 'Reporter', 'Ali')).toContain(ALICE_NAME);
    await closePicker(sam);

    // Bob's "Share with"
    await bobOpensGetItHelp();
    expect(await pickerOffers(bob, 'Share with', 'Ali')).toContain(ALICE_NAME);
    await shot(bob, 'control-bob-share-with-offers-alice');
    await closePicker(bob);

    // JQL by display name, by email, and a filter saved by her account id
    expect(await search('reporter = "Alice Example"')).toEqual(['HELP-1']);
    expect(await searchResults(sam, 4)).toEqual([ALICE_NAME]);
    await shot(sam, 'control-jql-by-name');
    expect(await search(`reporter = "${aliceId}"`)).toEqual(['HELP-1']);
    await sam.getByLabel('Filter name').fill('Alice by account');
    await sam.getByRole('button', { name: 'Save filter' }).click();
    await sam.getByRole('list', { name: 'Your saved filters' }).getByRole('link', { name: 'Alice by account' }).waitFor();
    expect(await search('reporter = "alice@customer.test"')).toEqual(['HELP-1']);
    await sam.getByLabel('Filter name').fill('Alice by email');
    await sam.getByRole('button', { name: 'Save filter' }).click();
    await sam.getByRole('list', { name: 'Your saved filters' }).getByRole('link', { name: 'Alice by email' }).waitFor();
    await shot(sam, 'control-filters-saved');

    referencesBefore = await references();
  });

  it('steps 3–4: with an API loop running in Alice’s page, the admin revokes her in the admin console', { timeout: STEP_TIMEOUT }, async () => {
    admin = await open();
    orgId = await openPortalCustomers(admin, portico.url, shot);

    // An API call loop in flight from Alice's first page, recording when each call started and its status.
    await alice1.evaluate((url) => {
      const w = window as unknown as { __calls: Array<{ startedAt: number; status: number }>; __stop: boolean; __loop: Promise<void> };
      w.__calls = [];
      w.__stop = false;
      w.__loop = (async () => {
        while (!w.__stop) {
          const startedAt = Date.now();
          let status = -1;
          try {
            const res = await fetch(url, { headers: { accept: 'application/json' } });
            await res.text();
            status = res.status;
          } catch {
            // a network error stays -1
          }
          w.__calls.push({ startedAt, status });
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
    }, `${REQUESTS_API}?filter=all`);
    await expect.poll(() => alice1.evaluate(() => (window as unknown as { __calls: unknown[] }).__calls.length)).toBeGreaterThan(2);

    await revokeAlice(admin, shot);
    // the admin's call has returned (the list shows the result): every request that starts now is refused
    revokedAt = Date.now();
    await expect
      .poll(() => alice1.evaluate((t) => (window as unknown as { __calls: Array<{ startedAt: number }> }).__calls.filter((c) => c.startedAt > t).length, revokedAt), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(3);
    const calls = await alice1.evaluate(async () => {
      const w = window as unknown as { __calls: Array<{ startedAt: number; status: number }>; __stop: boolean; __loop: Promise<void> };
      w.__stop = true;
      await w.__loop;
      return w.__calls;
    });
    const statuses = calls.map((c) => c.status);
    expect(statuses[0]).toBe(200);
    expect(statuses.every((s) => s === 200 || s === 401)).toBe(true);
    // once refused, refused for good; every call started after the revoke returned was refused
    const firstRefused = statuses.indexOf(401);
    expect(firstRefused).toBeGreaterThan(0);
    expect(statuses.slice(firstRefused).every((s) => s === 401)).toBe(true);
    expect(calls.filter((c) => c.startedAt > revokedAt).every((c) => c.status === 401)).toBe(true);
  });

  it('R1: step 5: lockout — both sessions end, her API calls get 401, login fails like a wrong password, a reset sends nothing', { timeout: STEP_TIMEOUT }, async () => {
    for (const [i, page] of [alice1, alice2].entries()) {
      await expectSignedOut(page);
      await shot(page, `alice-session-${i + 1}-signed-out`);
    }

    // logging in again: exactly the wrong-password message
    await alice1.getByLabel('Email').fill(ALICE);
    await alice1.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await alice1.getByRole('button', { name: 'Log in' }).click();
    const alert = alice1.getByRole('alert').filter({ hasText: 'Incorrect email or password.' });
    await alert.waitFor();
    expect((await alert.innerText()).trim()).toBe('Incorrect email or password.');
    expect(pathOf(alice1)).toBe(LOGIN_PATH);
    await shot(alice1, 'alice-login-refused');
    // …and on the wire, byte for byte the answer to a wrong password
    const login = async (email: string, password: string) => {
      const res = await fetch(`${portico.url}/s/${SITE}/api/portal/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      return { status: res.status, body: await res.text(), cookie: res.headers.get('set-cookie') };
    };
    const revoked = await login(ALICE, DEMO_PASSWORD);
    const wrong = await login('carol@customer.test', 'not-her-password');
    expect(revoked.status).toBe(401);
    expect(revoked).toEqual(wrong);

    // "Forgot your password?": the same generic confirmation for her, for an unknown email, and for Carol (active)
    const resetMessage = async (email: string) => {
      await alice2.goto(LOGIN_PATH);
      await alice2.getByRole('link', { name: 'Forgot your password?' }).click();
      await alice2.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
      await alice2.getByLabel('Email').fill(email);
      await alice2.getByRole('button', { name: 'Send reset link' }).click();
      const status = alice2.getByRole('status');
      await status.waitFor();
      return (await status.innerText()).trim();
    };
    const forAlice = await resetMessage(ALICE);
    await shot(alice2, 'alice-forgot-password-answer');
    const forUnknown = await resetMessage('nobody-here@customer.test');
    const forCarol = await resetMessage('carol@customer.test');
    expect(forAlice).not.toBe('');
    expect(forAlice).toBe(forUnknown);
    expect(forAlice).toBe(forCarol);

    // The outbox (org admins): Carol's request sent a mail; nothing was sent to Alice after the revoke.
    type Mail = { to: string; subject: string; createdAt: string };
    const outbox = async () => {
      const res = await admin.request.get(`${portico.url}/api/orgs/${orgId}/outbox?limit=100`);
      expect(res.status()).toBe(200);
      return ((await res.json()) as { values: Mail[] }).values;
    };
    await expect.poll(async () => (await outbox()).some((m) => m.to === 'carol@customer.test' && Date.parse(m.createdAt) >= revokedAt - 1000), { timeout: 30_000 }).toBe(true);
    const mails = await outbox();
    expect(mails.filter((m) => m.to.toLowerCase() === ALICE)).toEqual([]);
    expect(mails.filter((m) => m.to.toLowerCase().startsWith('nobody-here'))).toEqual([]);
  });

  it('step 6: pickers — no picker offers her, in the agent view or in Bob’s help center', { timeout: STEP_TIMEOUT }, async () => {
    await openRequestAsAgent('HELP-1', 'Laptop will not connect to the VPN');
    expect(await pickerOffers(sam, 'Request participants', 'Ali')).toEqual([]);
    await shot(sam, 'agent-participants-no-alice');
    await closePicker(sam);
    expect(await pickerOffers(sam, 'Affected user', 'Ali')).toEqual([]);
    await shot(sam, 'agent-affected-user-no-alice');
    await closePicker(sam);
    expect(await pickerOffers(sam, 'Affected user', ALICE)).toEqual([]);
    await closePicker(sam);
    await openRequestAsAgent('HELP-3', 'New monitor for the design desk');
    expect(await pickerOffers(sam, 'Reporter', 'Ali')).toEqual([]);
    await shot(sam, 'agent-reporter-no-alice');
    await closePicker(sam);
    // the control still works: others are offered
    expect(await pickerOffers(sam, 'Reporter', 'Bob')).toContain('Bob Builder');
    await closePicker(sam);

    await bobOpensGetItHelp();
    expect(await pickerOffers(bob, 'Share with', 'Ali')).toEqual([]);
    await shot(bob, 'bob-share-with-no-alice');
    await closePicker(bob);
    expect(await pickerOffers(bob, 'Affected user', 'Ali')).toEqual([]);
    await closePicker(bob);
    expect(await pickerOffers(bob, 'Share with', 'Car')).toContain('Carol Customer');
    await closePicker(bob);
  });

  it('step 7: labels — "Alice Example (Deactivated)" as reporter, participant and Affected user', { timeout: STEP_TIMEOUT }, async () => {
    await openRequestAsAgent('HELP-1', 'Laptop will not connect to the VPN');
    await expect.poll(() => inputOf(sam, 'Reporter')).toBe(DEACTIVATED);
    await shot(sam, 'agent-help-1-reporter-deactivated');
    await openRequestAsAgent('HELP-2', 'Shared drive is read-only');
    await expect.poll(() => tagsOf(sam, 'Request participants')).toEqual([DEACTIVATED]);
    expect(await inputOf(sam, 'Affected user')).toBe(DEACTIVATED);
    await shot(sam, 'agent-help-2-participant-affected-user-deactivated');
    await openRequestAsAgent('HELP-3', 'New monitor for the design desk');
    expect(await inputOf(sam, 'Approver')).toBe(DEACTIVATED);

    // the queue's Reporter column
    await sam.goto(`/s/${SITE}/jira/servicedesk/projects/HELP/queues`);
    const queueRow = sam.getByRole('row').filter({ has: sam.getByRole('link', { name: 'HELP-1', exact: true }) });
    await expect.poll(() => queueRow.innerText()).toContain(DEACTIVATED);
    await shot(sam, 'agent-queue-deactivated');

    // Bob's help center: HELP-2 (Alice is participant and Affected user), and HELP-1 in his list
    await bobOpensHelp2();
    expect(await bob.getByTestId('reporter').innerText()).toBe('Bob Builder');
    const participants = bob.getByRole('list', { name: 'Participants' });
    await expect.poll(() => participants.innerText()).toContain(DEACTIVATED);
    const details = await bob.locator('.ui-details').innerText();
    expect(details).toMatch(new RegExp(`Affected user\\s+${DEACTIVATED.replace(/[()]/g, '\\$&')}`));
    await shot(bob, 'bob-help-2-deactivated');
    await bob.goto(REQUESTS_PATH);
    const help1 = bob.getByRole('row').filter({ has: bob.getByRole('link', { name: 'HELP-1', exact: true }) });
    await help1.waitFor();
    expect(await help1.innerText()).toContain(DEACTIVATED);
    await shot(bob, 'bob-my-requests-deactivated');
  });

  it('step 8: filters — by email still, by name not; the Reporter filter only for the full email; saved filters still work', { timeout: STEP_TIMEOUT }, async () => {
    expect(await search('reporter = "alice@customer.test"')).toEqual(['HELP-1']);
    expect(await searchResults(sam, 4)).toEqual([DEACTIVATED]);
    await shot(sam, 'jql-by-email-finds-help-1');
    // case-insensitive, surrounding spaces ignored
    expect(await search('reporter = "  ALICE@customer.TEST "')).toEqual(['HELP-1']);

    // by display name: Portico says the value names nobody (as Jira does for an unknown user)
    expect(await search('reporter = "Alice Example"')).toEqual([]);
    const alert = sam.getByRole('alert');
    expect(await alert.innerText()).toContain("The value 'Alice Example' does not exist for the field 'reporter'.");
    expect(await sam.getByRole('table', { name: 'Search results' }).count()).toBe(0);
    await shot(sam, 'jql-by-name-refused');

    // the basic Reporter filter: nothing for "Ali", her name or a partial email; the full email offers her, deactivated
    await sam.goto(`/s/${SITE}/issues`);
    await sam.getByRole('heading', { level: 1, name: 'Search issues' }).waitFor();
    for (const text of ['Ali', ALICE_NAME, 'alice@customer']) {
      expect(await pickerOffers(sam, 'Reporter', text)).toEqual([]);
      await closePicker(sam);
    }
    expect(await pickerOffers(sam, 'Reporter', ALICE)).toEqual([DEACTIVATED]);
    await shot(sam, 'reporter-filter-full-email-deactivated');
    await sam.getByRole('option', { name: new RegExp(DEACTIVATED.replace(/[()]/g, '\\$&')) }).click();
    await sam.waitForURL(/jql=reporter/);
    expect(await sam.getByRole('textbox', { name: 'JQL query' }).inputValue()).toBe('reporter = "alice@customer.test"');
    await expect.poll(() => searchResults(sam, 1)).toEqual(['HELP-1']);

    // the filters saved before the revoke
    for (const name of ['Alice by account', 'Alice by email']) {
      await sam.getByRole('list', { name: 'Your saved filters' }).getByRole('link', { name }).click();
      await sam.waitForURL(/jql=/);
      await expect.poll(() => searchResults(sam, 1)).toEqual(['HELP-1']);
      expect(await searchResults(sam, 4)).toEqual([DEACTIVATED]);
    }
    await shot(sam, 'saved-filter-still-finds-help-1');
  });

  it('step 9: Grant access — her old password works, old sessions stay dead, pickers and labels are back, references unchanged', { timeout: STEP_TIMEOUT }, async () => {
    await grantAlice(admin, shot);

    // the two sessions from before the revoke stay dead
    for (const page of [alice1, alice2]) await expectSignedOut(page);
    await shot(alice1, 'old-session-still-signed-out');

    // she logs in with her old password, in a new browser session
    const alice3 = await open();
    await aliceOnRequestsPage(alice3, portico.url);
    expect(await fetchStatus(alice3, `${REQUESTS_API}?filter=all`)).toBe(200);
    await shot(alice3, 'alice-logs-in-again');
    // her new session does not revive the old ones
    for (const page of [alice1, alice2]) expect(await fetchStatus(page, `${REQUESTS_API}?filter=all`)).toBe(401);
    // until she logs in there again
    await aliceOnRequestsPage(alice1, portico.url);
    expect(await fetchStatus(alice1, `${REQUESTS_API}?filter=all`)).toBe(200);
    await shot(alice1, 'old-context-after-new-login');

    // pickers offer her again
    await openRequestAsAgent('HELP-1', 'Laptop will not connect to the VPN');
    await expect.poll(() => inputOf(sam, 'Reporter')).toBe(ALICE_NAME);
    expect(await pickerOffers(sam, 'Request participants', 'Ali')).toContain(ALICE_NAME);
    await shot(sam, 'agent-picker-offers-alice-again');
    await closePicker(sam);
    expect(await pickerOffers(sam, 'Affected user', 'Ali')).toContain(ALICE_NAME);
    await closePicker(sam);
    await bobOpensGetItHelp();
    expect(await pickerOffers(bob, 'Share with', 'Ali')).toContain(ALICE_NAME);
    await shot(bob, 'bob-share-with-offers-alice-again');
    await closePicker(bob);

    // labels lose the suffix
    await openRequestAsAgent('HELP-2', 'Shared drive is read-only');
    await expect.poll(() => tagsOf(sam, 'Request participants')).toEqual([ALICE_NAME]);
    expect(await inputOf(sam, 'Affected user')).toBe(ALICE_NAME);
    await shot(sam, 'agent-help-2-labels-restored');
    await bobOpensHelp2();
    await expect.poll(() => bob.getByRole('list', { name: 'Participants' }).innerText()).toContain(ALICE_NAME);
    expect(await bob.getByRole('list', { name: 'Participants' }).innerText()).not.toContain('(Deactivated)');
    expect(await bob.locator('.ui-details').innerText()).not.toContain('(Deactivated)');
    await shot(bob, 'bob-help-2-labels-restored');

    // every reference exactly as before the revoke
    expect(await references()).toEqual(referencesBefore);

    // JQL by name finds HELP-1 again
    expect(await search('reporter = "Alice Example"')).toEqual(['HELP-1']);
    expect(await searchResults(sam, 4)).toEqual([ALICE_NAME]);
    await shot(sam, 'jql-by-name-finds-help-1-again');
    await alice3.context().close();
  });
});

// ---- two processes on one PostgreSQL database --------------------------------------------------------

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** How many Alices (customer accounts with her email, on any site) the database holds. */
async function countAlices(databaseUrl: string): Promise<number> {
  const check = new pg.Client({ connectionString: databaseUrl });
  await check.connect();
  try {
    const { rows } = await check.query<{ n: string }>("select count(*) as n from accounts where kind = 'customer' and lower(email) = $1", [ALICE]);
    return Number(rows[0].n);
  } finally {
    await check.end();
  }
}

describe('two Portico processes on one PostgreSQL database', () => {
  it('both start when started at the same moment on an empty database; the demo data is loaded once', { timeout: 600_000 }, async () => {
    expect(await postgresReachable(), `PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL}: the two-process test needs it`).toBe(true);
    const database = await createPostgresDatabase({ empty: true });
    const started = await Promise.allSettled([startPortico({ databaseUrl: database.url }), startPortico({ databaseUrl: database.url })]);
    try {
      for (const s of started) if (s.status === 'rejected') throw s.reason;
      expect(await countAlices(database.url)).toBe(2); // Acme's Alice and Globex's Alice, once each
    } finally {
      for (const s of started) if (s.status === 'fulfilled') await s.value.stop();
      await database.drop();
    }
  });

  it('R1, M1: Alice logs in through A, the admin revokes her through B, her next request to A is refused', { timeout: 600_000 }, async () => {
    expect(await postgresReachable(), `PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL}: the two-process test needs it`).toBe(true);
    const shot = shooter('consequences-pg');
    // a copy of the run's template: migrated, with the demo data (the test above starts on an empty one)
    const database = await createPostgresDatabase();
    let a: RunningPortico | undefined;
    let b: RunningPortico | undefined;
    let browser: Browser | undefined;
    try {
      // A and B on the same database: neither migrates or loads anything, both find the demo data.
      const started = await Promise.allSettled([startPortico({ databaseUrl: database.url }), startPortico({ databaseUrl: database.url })]);
      [a, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
      for (const s of started) if (s.status === 'rejected') throw s.reason;
      if (!a || !b) throw new Error('unreachable: both started');
      expect(a.url).not.toBe(b.url);
      expect(await countAlices(database.url)).toBe(2); // Acme's Alice and Globex's Alice, once each

      browser = await launchBrowser();
      const alice = await newPage(browser, a.url);
      await aliceOnRequestsPage(alice, a.url);
      expect(await fetchStatus(alice, `${REQUESTS_API}?filter=all`)).toBe(200);
      await shot(alice, 'alice-on-a');

      const admin = await newPage(browser, b.url);
      await openPortalCustomers(admin, b.url);
      await shot(admin, 'admin-on-b');
      await revokeAlice(admin, shot);

      // A never saw the revoke happen, yet her next page load and API call on A are refused
      await expectSignedOut(alice);
      await shot(alice, 'alice-refused-on-a');
      await loginCustomerUI(alice, a.url, SITE, ALICE);
      await alice.getByRole('alert').filter({ hasText: 'Incorrect email or password.' }).waitFor();
      await shot(alice, 'alice-login-refused-on-a');

      // Grant through B's REST API with an API token created through B; she logs in through A again.
      const session = await admin.request.get(`${b.url}/api/auth/session`);
      const csrf = ((await session.json()) as { csrfToken: string }).csrfToken;
      const created = await admin.request.post(`${b.url}/api/profile/tokens`, { data: { label: 'consequences e2e' }, headers: { 'x-csrf-token': csrf } });
      expect(created.status()).toBe(201);
      const token = ((await created.json()) as { token: string }).token;
      const list = await admin.request.get(`${b.url}/api/admin/sites/${SITE}/customers?query=${encodeURIComponent(ALICE)}`);
      const aliceId = ((await list.json()) as { values: Array<{ accountId: string; email: string }> }).values.find((c) => c.email === ALICE)!.accountId;
      const grant = await fetch(`${b.url}/s/${SITE}/rest/servicedeskapi/customer/user/${encodeURIComponent(aliceId)}/grant-portal-only-access`, {
        method: 'PUT',
        headers: { authorization: `Basic ${Buffer.from(`admin@acme.test:${token}`).toString('base64')}` },
      });
      expect(grant.status).toBe(204);
      await aliceOnRequestsPage(alice, a.url);
      expect(await fetchStatus(alice, `${REQUESTS_API}?filter=all`)).toBe(200);
      await shot(alice, 'alice-back-on-a');
    } finally {
      await browser?.close();
      await b?.stop();
      await a?.stop();
      await database.drop();
    }
  });
});
