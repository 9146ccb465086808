import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { provided, REPO_ROOT } from './server.js';
import { axeViolations, describeViolations, screenOf } from './axe.js';

export const DEMO_PASSWORD = 'portico-demo';
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results');

/**
 * Debian's Chromium, headless. Its headless shell (`/usr/bin/chromium-headless-shell`, package
 * chromium-headless-shell: the same Chromium build — Blink, V8, the same version — without the
 * browser's own UI, and what Playwright itself runs headless tests in) when it is installed: a new
 * context and its first page load take about a third of the time they take in the full browser
 * (docs/architecture.md, "End-to-end tests"); else `/usr/bin/chromium`. PORTICO_CHROMIUM overrides both.
 */
export const CHROMIUM_EXECUTABLE =
  process.env.PORTICO_CHROMIUM ?? (existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : '/usr/bin/chromium');

/** The worker's one Chromium (launchBrowser), started when its first file asks for a browser. */
let running: Promise<Browser> | undefined;

/** A Chromium of its own, as the tests run it (bench/page-load.ts uses it too); launchBrowser shares one per worker. */
export function startChromium(): Promise<Browser> {
  const launching = chromium.launch({
    executablePath: CHROMIUM_EXECUTABLE,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // a launch that failed is tried again by the next file, not handed to it as the same failure
  launching.catch(() => {
    if (running === launching) running = undefined;
  });
  return launching;
}

/**
 * A browser for one file (or one test): the worker's Chromium, launched once and shared by the files
 * the worker runs one after another (launching it cost about 0.9 s of CPU, 36 times a run:
 * docs/architecture.md, "How `npm test` spends its time"). What a file does in it is its own: every
 * page is in a context of its own (newPage), and `close()` closes the contexts this handle opened —
 * each page's accessibility checks settled first — not Chromium, which Playwright ends with the
 * worker. A Chromium that has gone away is launched again for the next file.
 */
export async function launchBrowser(): Promise<Browser> {
  let browser = await (running ??= startChromium());
  if (!browser.isConnected()) browser = await (running = startChromium());
  const shared = browser;
  const mine = new Set<BrowserContext>();
  const track = (context: BrowserContext) => {
    mine.add(context);
    context.on('close', () => mine.delete(context));
    return context;
  };
  return new Proxy(shared, {
    get(target, key) {
      if (key === 'close') return async () => void (await Promise.all([...mine].map((context) => context.close().catch(() => {}))));
      if (key === 'newContext') return async (...args: Parameters<Browser['newContext']>) => track(await target.newContext(...args));
      if (key === 'newPage') return async (...args: Parameters<Browser['newPage']>) => {
        const page = await target.newPage(...args);
        track(page.context());
        return page;
      };
      if (key === 'contexts') return () => [...mine];
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
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

// ---- axe on every page visited ---------------------------------------------------------------------

const axeFindings: string[] = [];

/**
 * The screens axe has checked in this run, by every worker: a screen is a page's structure as axe's
 * rules read it (screenOf, test/e2e/support/axe.ts) at one window size. The same screen reached again
 * — the login page before each sign-in, a request's page after each comment — is not checked again:
 * every screen is checked, once (the run's scans fell from 517 to 340, 2026-12-05;
 * docs/architecture.md, "End-to-end tests"). Noted in memory and, for the other workers, as an empty
 * file named by the screen in the run's directory (global-setup.ts); outside a run, in memory only.
 */
const screensChecked = new Set<string>();
const screensDir = provided()?.screensChecked;

function screenWasChecked(screen: string): boolean {
  if (screensChecked.has(screen)) return true;
  if (screensDir && existsSync(path.join(screensDir, screen))) {
    screensChecked.add(screen);
    return true;
  }
  return false;
}

function noteScreenChecked(screen: string) {
  screensChecked.add(screen);
  if (screensDir) writeFileSync(path.join(screensDir, screen), '');
}

/** The page's window while a scan runs: the observer AxeScanner put there (types only: the code runs in the page). */
type ScanWatchWindow = { __porticoScanWatch?: { changed: boolean; observer: MutationObserver } };
const scanners = new Map<Page, AxeScanner>();

/**
 * Watches one page: after each navigation (a load, or the web app's own history navigation) it waits
 * until the page is quiet — no request in flight, no "Loading…" status, nothing changed for a moment,
 * so the data is on the screen — and runs axe on it, once per address and page, and not at all when
 * the run has checked the same screen already (screenWasChecked; test/e2e/support/axe.ts). A scan
 * during which the page got busy again is done over, so a page is judged as it looks once loaded,
 * not half-drawn. What axe finds is collected for
 * test/e2e/support/axe-guard.ts, which fails the test.
 */
class AxeScanner {
  private inflight = 0;
  private lastActivity = Date.now();
  private queue: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** the addresses (path and query) of this page checked so far: each once */
  private readonly checked = new Set<string>();
  private readonly reported = new Set<string>();
  /** how many callers wait for the checks now (the test is idle meanwhile: an open list stays open) */
  private settling = 0;

  constructor(
    private readonly page: Page,
    /** Portico's origin: another site's page (an identity provider's sign-in) is not ours to check */
    private readonly origin: string,
  ) {
    const busy = () => {
      this.inflight++;
      this.lastActivity = Date.now();
    };
    const done = () => {
      this.inflight = Math.max(0, this.inflight - 1);
      this.lastActivity = Date.now();
    };
    page.on('request', busy);
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return;
      this.lastActivity = Date.now();
      this.schedule(false);
    });
    page.on('close', () => scanners.delete(page));
  }

  /** Queues a check of the page once it is quiet; `force` checks it even if its address was checked. */
  private schedule(force: boolean): Promise<void> {
    if (this.scheduled && !force) return this.queue;
    this.scheduled = true;
    // (scan() reports its own failures: the queue never rejects, so later scans still run)
    this.queue = this.queue.then(async () => {
      for (let attempt = 1; ; attempt++) {
        const quiet = await this.quiet();
        this.scheduled = false;
        if (!quiet) return;
        const started = Date.now();
        const outcome = await this.scan(force, attempt < 3 ? (changed) => !changed && this.lastActivity < started : () => true);
        if (outcome !== 'busy') return;
      }
    });
    return this.queue;
  }

  /**
   * What the page shows that is not the page itself yet: one of the web app's loading statuses
   * ("Loading…", "Searching…") or nothing at all, or a combobox's open list of options — while it is open, React
   * Aria hides the rest of the page from assistive technology (aria-hidden), a state of the list,
   * not of the page, that is checked once the list closes.
   */
  private interim(): Promise<'loading' | 'options' | undefined> {
    return this.page
      .evaluate(() => {
        if (document.querySelector('[role="combobox"][aria-expanded="true"]')) return 'options' as const;
        // nothing drawn yet: the app has replaced index.html's "Loading…" and its router has not yet
        // shown the page (it shows its pending page only after 200 ms; on a loaded machine the
        // surface's code can take longer than the 300 ms of network quiet to run)
        const root = document.getElementById('root');
        if (root && root.childElementCount === 0) return 'loading' as const;
        const loading = [...document.querySelectorAll('[role="status"]')].some((e) => {
          const text = (e.textContent ?? '').trim();
          return text.endsWith('…') || (e.matches('p.ui-muted') && text === '');
        });
        return loading ? ('loading' as const) : undefined;
      })
      .catch(() => undefined);
  }

  /**
   * Until no request has been in flight for 300 ms and nothing is loading (at most 30 s, as long as
   * a test waits for anything: then it checks what is there — on a machine that runs the other
   * suites too, a page has taken more than 10 s to load); false when a list of options is still open then (nothing to check yet).
   */
  private async quiet(): Promise<boolean> {
    const deadline = Date.now() + 30_000;
    let interim: 'loading' | 'options' | undefined;
    while (!this.page.isClosed() && Date.now() < deadline) {
      // the page is asked for its loading statuses only once the network has been quiet (each
      // question is a round trip to the browser, and most of the wait is for answers from the server)
      const networkQuiet = this.inflight === 0 && Date.now() - this.lastActivity >= 300;
      interim = networkQuiet || Date.now() + 100 >= deadline ? await this.interim() : interim;
      if (networkQuiet && !interim) return true;
      // a list of options open while the test waits for the checks (settle): nothing will close it
      if (networkQuiet && interim === 'options' && this.settling > 0) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return interim !== 'options';
  }

  /**
   * Runs axe unless the address was checked (unless `force`) or the screen as it is now was checked by
   * any scan of the run; 'busy' (nothing recorded) when `stable` says the page changed meanwhile.
   */
  private async scan(force: boolean, stable: (changedMeanwhile: boolean) => boolean): Promise<'done' | 'busy'> {
    if (this.page.isClosed()) return 'done';
    const url = new URL(this.page.url());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'done';
    if (url.origin !== this.origin) return 'done';
    // /api/docs is Swagger UI's own page (@fastify/swagger-ui), not one of the web app's: not ours to fix
    if (url.pathname.startsWith('/api/')) return 'done';
    const viewport = this.page.viewportSize();
    const address = `${url.pathname}${url.search}`;
    if (!force && this.checked.has(address)) return 'done';
    try {
      await this.watchForChange();
      const screen = `${viewport ? `${viewport.width}x${viewport.height}` : 'window'}-${await screenOf(this.page)}`;
      if (screenWasChecked(screen)) {
        await this.changedMeanwhile(); // (ends the watch)
        this.checked.add(address);
        return 'done';
      }
      const violations = await axeViolations(this.page);
      const changed = await this.changedMeanwhile();
      // A list of options opened while axe ran (the test went on typing): the rest of the page was
      // aria-hidden, so what axe saw is that state, not the page's; the page is checked once it closes.
      if ((await this.interim()) === 'options') return 'done';
      if (!stable(changed) || this.page.url() !== url.href) return 'busy';
      this.checked.add(address);
      noteScreenChecked(screen);
      const finding = violations.length ? describeViolations(address, violations, viewport ? `${viewport.width}×${viewport.height}` : undefined) : undefined;
      // the same finding once, however often the page is checked
      if (finding && !this.reported.has(finding)) {
        this.reported.add(finding);
        axeFindings.push(finding);
      }
    } catch (error) {
      // The page navigated or closed while axe ran (a new document has no axe in it: "reading 'run'"):
      // the next page gets its own scan.
      if (this.page.isClosed() || /context was destroyed|navigat|Target .*closed|has been closed|reading 'run'/i.test(String(error))) return 'done';
      axeFindings.push(`${address}: axe could not check the page: ${error instanceof Error ? error.message : String(error)}`);
    }
    return 'done';
  }

  /**
   * Watches, inside the page, for what would make a scan judge a passing state: something hidden
   * from or shown to assistive technology (aria-hidden, aria-expanded, aria-busy anywhere), or a
   * popover, dialog or list added at the top of the body, while axe runs.
   */
  private async watchForChange(): Promise<void> {
    await this.page.evaluate(() => {
      const w = window as unknown as ScanWatchWindow;
      w.__porticoScanWatch?.observer.disconnect();
      const watch = { changed: false, observer: new MutationObserver(() => (watch.changed = true)) };
      watch.observer.observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['aria-hidden', 'aria-expanded', 'aria-busy'] });
      if (document.body) watch.observer.observe(document.body, { childList: true });
      w.__porticoScanWatch = watch;
    });
  }

  /** Whether the page changed that way since watchForChange() (true when it cannot tell). */
  private changedMeanwhile(): Promise<boolean> {
    return this.page
      .evaluate(() => {
        const w = window as unknown as ScanWatchWindow;
        const watch = w.__porticoScanWatch;
        if (!watch) return true;
        watch.observer.disconnect();
        delete w.__porticoScanWatch;
        return watch.changed || watch.observer.takeRecords().length > 0;
      })
      .catch(() => true);
  }

  /**
   * Waits for the scans under way, then checks the page as it is now: with `force` whether or not its
   * address was checked, else only if it was not.
   */
  async settle(force: boolean) {
    this.settling++;
    try {
      await this.schedule(force);
    } finally {
      this.settling--;
    }
  }
}

/**
 * Checks every page of the context (or the one page) as it is now with axe, after the scans already
 * under way. Pages are checked by themselves after every navigation, before their context closes and
 * after every test; call this to check a state that no navigation leads to (an open dialog, a list of
 * options) or to be sure a page is checked in the state the test waited for. With `again: false` a
 * page whose address was already checked once loaded (by the scan after its navigation) is not
 * checked a second time. Either way a page that shows a screen the run has checked already (the same
 * structure at the same window size: screenOf in test/e2e/support/axe.ts) is not checked again.
 */
export async function checkAccessibility(target: Page | BrowserContext, options: { again?: boolean } = {}): Promise<void> {
  const pages = 'pages' in target && typeof target.pages === 'function' ? target.pages() : [target as Page];
  await Promise.all(pages.map((page) => scanners.get(page)?.settle(options.again ?? true)));
}

/** Waits for every scan of every open page (test/e2e/support/axe-guard.ts, after each test). */
export async function settleAccessibilityChecks(): Promise<void> {
  await Promise.all([...scanners.values()].map((scanner) => scanner.settle(false).catch(() => {})));
}

/** The axe violations found since the last call, one readable block per page; the list is emptied. */
export function takeAxeViolations(): string[] {
  return axeFindings.splice(0);
}

function watchForAxeViolations(page: Page, origin: string) {
  scanners.set(page, new AxeScanner(page, origin));
}

// ---- what a page did, for a failed test ------------------------------------------------------------

/** Each open page's last 40 events: where it went, which answers failed, what it logged as an error. */
const journals = new Map<Page, string[]>();

function keepJournal(page: Page) {
  const lines: string[] = [];
  journals.set(page, lines);
  const note = (line: string) => {
    lines.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (lines.length > 40) lines.shift();
  };
  page.on('framenavigated', (frame) => frame === page.mainFrame() && note(`at ${frame.url()}`));
  page.on('response', (response) => response.status() >= 400 && note(`${response.status()} ${response.request().method()} ${response.url()}`));
  // (a navigation aborts what the page it leaves was still fetching: not a failure)
  page.on('requestfailed', (request) => request.failure()?.errorText !== 'net::ERR_ABORTED' && note(`no answer: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? 'failed'})`));
  page.on('console', (message) => message.type() === 'error' && note(`console error: ${message.text()}`));
  page.on('pageerror', (error) => note(`uncaught: ${error.message}`));
  page.on('close', () => journals.delete(page));
}

/**
 * Every open page as a failed test left it (test/e2e/support/failure-report.ts prints this): its
 * address, its journal, the start of its text, and a screenshot saved as test-results/failed-….png.
 */
export async function describeOpenPages(testName: string): Promise<string> {
  const parts: string[] = [];
  let n = 0;
  for (const [page, journal] of journals) {
    if (page.isClosed()) continue;
    n++;
    const text = await page
      .evaluate(() => document.body?.innerText ?? '')
      .then((t) => t.replace(/\n{2,}/g, '\n').slice(0, 1500))
      .catch((error: unknown) => `(could not read the page: ${String(error)})`);
    const shot = await screenshot(page, `failed-${testName.slice(0, 60)}-${n}`).catch((error: unknown) => `(no screenshot: ${String(error)})`);
    parts.push([`page ${n}: ${page.url()} (${shot})`, ...journal.map((l) => `  ${l}`), '  its text:', ...text.split('\n').map((l) => `  | ${l}`)].join('\n'));
  }
  return parts.length ? parts.join('\n\n') : 'no page was open';
}

/** A page in a NEW browser context (its own cookies), with relative page.goto() resolved against baseUrl. */
export async function newPage(browser: Browser, baseUrl: string, options: { width?: number; height?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: options.width ?? 1280, height: options.height ?? 800 } });
  // Generous: the test machine may be running several suites at once.
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(60_000);
  context.on('page', watchForCspViolations);
  context.on('page', keepJournal);
  context.on('page', (page) => watchForAxeViolations(page, new URL(baseUrl).origin));
  // The last page a test leaves open is checked before its context goes away.
  const close = context.close.bind(context);
  context.close = async (...args: Parameters<BrowserContext['close']>) => {
    await Promise.all(context.pages().map((page) => scanners.get(page)?.settle(false)));
    return close(...args);
  };
  return context.newPage();
}

/**
 * Answers the page's requests for `pathname` `ms` late, as a busy server would, until `stop()`; a
 * test of what a page shows while one of its answers is still coming. `asked()` counts the requests.
 */
export async function answerLate(page: Page, pathname: string, ms = 1000): Promise<{ asked(): number; stop(): Promise<void> }> {
  let asked = 0;
  const matches = (url: URL) => url.pathname === pathname;
  await page.route(matches, async (route) => {
    asked++;
    await new Promise((resolve) => setTimeout(resolve, ms));
    await route.continue();
  });
  return {
    asked: () => asked,
    // waits for an answer still held back (a refetch may be), then answers on time again; removes
    // every route of the page (unroute alone would let a held-back answer go on its own, and the
    // handler's own continue then fail)
    stop: () => page.unrouteAll({ behavior: 'wait' }),
  };
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

/** Sam, the agent of HELP, signed in through the login page and on his projects page (at a desktop unless a viewport is given). */
export async function samAtHisProjects(browser: Browser, baseUrl: string, viewport: { width?: number; height?: number } = {}): Promise<Page> {
  const sam = await newPage(browser, baseUrl, viewport);
  await loginStaffUI(sam, baseUrl, 'agent@acme.test');
  await sam.waitForURL(/\/projects$/);
  return sam;
}

/**
 * Ada, Acme's org admin, signed in through the login page and on her organization's overview in the
 * centralized admin console (at a desktop unless a viewport is given), with the organization's id
 * that the console's paths carry (`/admin/o/{orgId}/…`).
 */
export async function adaAtHerOverview(browser: Browser, baseUrl: string, viewport: { width?: number; height?: number } = {}): Promise<{ page: Page; orgId: string }> {
  const page = await newPage(browser, baseUrl, viewport);
  await loginStaffUI(page, baseUrl, 'admin@acme.test');
  await page.waitForURL(/\/admin\/o\/[^/]+\/overview$/);
  return { page, orgId: new URL(page.url()).pathname.split('/')[3] };
}

/**
 * The two people most end-to-end tests follow, signed in through the login pages: Sam, the agent of
 * HELP, at a desktop, and Alice, a customer of acme, on a 390 px phone.
 */
export async function samAndAliceOnAPhone(browser: Browser, baseUrl: string): Promise<{ sam: Page; alice: Page }> {
  const sam = await samAtHisProjects(browser, baseUrl);
  const alice = await newPage(browser, baseUrl, { width: 390, height: 844 });
  await loginCustomerUI(alice, baseUrl, 'acme', 'alice@customer.test');
  await alice.waitForURL(/\/portals$/);
  return { sam, alice };
}

/**
 * A customer on a 390 px phone at acme's help-center login page who presses "Continue with
 * `provider`" (the site's identity provider) and signs in there with `signInAtProvider` (each test
 * provider has its own page). Answers the page once the provider has sent the browser back.
 */
export async function continueWithProviderOnAPhone(browser: Browser, baseUrl: string, provider: string, signInAtProvider: (page: Page) => Promise<void>, before?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await newPage(browser, baseUrl, { width: 390, height: 844 });
  await page.goto('/s/acme/servicedesk/customer/user/login');
  const button = page.getByRole('button', { name: `Continue with ${provider}` });
  await button.waitFor();
  await before?.(page);
  await button.click();
  await signInAtProvider(page);
  return page;
}

/** The help center, back from an identity provider, with `email` signed in: the portals page and the session it reads. */
export async function expectSignedInToHelpCenter(page: Page, email: string): Promise<void> {
  await page.waitForURL(/\/s\/acme\/servicedesk\/customer\/portals$/);
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  const session = (await page.evaluate(async () => (await fetch('/s/acme/api/portal/session')).json())) as { account?: { email?: string } };
  if (session.account?.email !== email) throw new Error(`signed in as ${session.account?.email ?? 'nobody'}, not ${email}`);
}

/** The help center, back from an identity provider, refusing the person with the wrong-password message and no session. */
export async function expectRefusedAtHelpCenter(page: Page): Promise<void> {
  await page.getByRole('alert').filter({ hasText: 'Incorrect email or password.' }).waitFor();
  if (new URL(page.url()).search !== '') throw new Error(`the page kept a query: ${page.url()}`);
  const status = await page.evaluate(async () => (await fetch('/s/acme/api/portal/session')).status);
  if (status !== 401) throw new Error(`the help center's session answered ${status}, not 401`);
}

/**
 * Follows the link named `name` to the page whose level-2 heading is `heading`, and clicks again if
 * the first click did not take: in a full run on a loaded machine the org admin's click on the
 * "Webhooks" tab of her overview, at 390 px, was lost (the page stayed on the overview, its tabs
 * under a pointer that had moved with the page's late sections) and the test waited out its 30 s.
 */
export async function followLink(page: Page, name: string, heading: string): Promise<void> {
  const arrived = page.getByRole('heading', { name: heading, level: 2 });
  const deadline = Date.now() + 20_000;
  for (;;) {
    await page.getByRole('link', { name, exact: true }).click();
    // a click that took shows its page within a few seconds; only then is another click a second try
    if (await arrived.waitFor({ timeout: 5_000 }).then(() => true, () => false)) return;
    if (Date.now() > deadline) throw new Error(`the link "${name}" did not lead to "${heading}" after clicks (at ${page.url()})`);
  }
}

/**
 * Ticks the checkbox named `name`: React Aria's input is visually hidden, so a person clicks its
 * label, and clicks again if the first click did not take (a full run on a loaded machine once lost
 * one, and the checkbox it enables stayed disabled). Never unticks: it clicks only while unticked.
 */
export async function tick(scope: Page | Locator, name: string): Promise<void> {
  const box = scope.getByRole('checkbox', { name });
  const label = box.locator('xpath=ancestor::label[1]');
  const deadline = Date.now() + 20_000;
  while (!(await box.isChecked())) {
    if (Date.now() > deadline) throw new Error(`the checkbox "${name}" stayed unticked after clicks on its label`);
    await label.click();
    // the click's state change shows within a moment; only then is another click a second try
    for (const until = Date.now() + 1_000; Date.now() < until && !(await box.isChecked()); ) await new Promise((r) => setTimeout(r, 50));
  }
}
