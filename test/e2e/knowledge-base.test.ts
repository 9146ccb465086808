import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startPortico, type RunningPortico } from './support/server.js';
import { launchBrowser, loginCustomerUI, newPage, samAtHisProjects, screenshot } from './support/browser.js';

// Knowledge-base authoring and search (docs/product.md#knowledge-base), as Sam (agent on HELP)
// writes and publishes an article and Alice (a customer of HELP, on a phone) finds it — and only
// once it is published. The article's text carries raw HTML and a script link that must never run.
// It runs on the embedded database; the search's ranking (PostgreSQL's own full text) is proven alike
// on both databases by the integration tests (test/integration/knowledge-base.test.ts).

const TITLE = 'Connect to the guest Wi-Fi';
const BODY = [
  'Choose **Acme-Guest** in the list of networks.',
  '',
  '1. Open the browser',
  '2. Accept the terms',
  '',
  '<img src="x" onerror="window.__kbXss = 1">',
  '<script>window.__kbXss = 2</script>',
  '[Click me](javascript:window.__kbXss=3)',
  '<a href="#" onclick="window.__kbXss = 4">also me</a>',
].join('\n');

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
const xssRan = (page: Page) => page.evaluate(() => (window as unknown as { __kbXss?: number }).__kbXss ?? null);

const kind = 'pglite';

describe(`knowledge base (${kind})`, () => {
  let portico: RunningPortico;
  let browser: Browser;
  let sam: Page;
  let alice: Page;
  let helpPortalId: string;

  beforeAll(async () => {
    portico = await startPortico();
    browser = await launchBrowser();
    sam = await samAtHisProjects(browser, portico.url);
    alice = await newPage(browser, portico.url, { width: 390, height: 844 });
    await loginCustomerUI(alice, portico.url, 'acme', 'alice@customer.test');
    await alice.waitForURL(/\/portals$/);
    const portals = (await (await alice.request.get('/s/acme/api/portal/portals')).json()) as { values: { id: string; name: string }[] };
    helpPortalId = portals.values.find((p) => p.name === 'Acme IT Help Center')!.id;
  });
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
  });

  async function searchAsAlice(words: string) {
    await alice.goto(`/s/acme/servicedesk/customer/portal/${helpPortalId}`);
    await alice.getByRole('searchbox', { name: 'Search the knowledge base' }).fill(words);
    // the search goes into the URL once typing pauses, and the list shows what the URL says
    await alice.waitForURL((url) => url.searchParams.get('q') === words);
  }

  it('an agent writes a draft with a preview; customers do not find it until it is published', async () => {
    await sam.goto('/s/acme/jira/servicedesk/projects/HELP/knowledge-base');
    await sam.getByRole('heading', { level: 1, name: 'Knowledge base' }).waitFor();
    const list = sam.getByRole('list', { name: 'Articles' });
    await list.getByRole('link', { name: 'Printer troubleshooting' }).waitFor();
    // the demo's draft is listed for agents, marked as one
    await list.getByRole('listitem').filter({ hasText: 'New laptop checklist' }).getByText('Draft').waitFor();
    await screenshot(sam, `kb-${kind}-01-agent-list`);

    await sam.getByRole('link', { name: 'New article' }).click();
    await sam.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
    await sam.getByRole('textbox', { name: 'Title' }).fill(TITLE);
    await sam.getByRole('textbox', { name: 'Category' }).fill('Network');
    await sam.getByRole('textbox', { name: 'Text (Markdown)' }).fill(BODY);
    await sam.getByRole('tab', { name: 'Preview' }).click();
    const preview = sam.getByRole('tabpanel', { name: 'Preview' });
    await preview.locator('strong', { hasText: 'Acme-Guest' }).waitFor();
    expect(await preview.locator('ol li').allInnerTexts()).toEqual(['Open the browser', 'Accept the terms']);
    // HTML in the text is shown as text; the javascript: link keeps its text and loses its address
    await preview.getByText('<script>window.__kbXss = 2</script>').waitFor();
    expect(await preview.locator('script, img, [onerror], [onclick]').count()).toBe(0);
    expect(await preview.getByText('Click me').getAttribute('href')).toBeNull();
    expect(await preview.locator('[href^="javascript"]').count()).toBe(0);
    await screenshot(sam, `kb-${kind}-02-agent-preview`);
    await sam.getByRole('button', { name: 'Save draft' }).click();
    await sam.getByRole('heading', { level: 1, name: 'Edit article' }).waitFor();
    await sam.getByRole('status').filter({ hasText: 'Draft saved.' }).waitFor();
    await sam.getByText('A draft: only agents see it.').waitFor();
    expect(await xssRan(sam)).toBeNull();

    await searchAsAlice('guest wifi');
    await alice.getByText('No articles match “guest wifi”.').waitFor();
  });

  it('once published, a customer on a phone finds it by other word forms, reads it safely rendered, and the search survives a reload', async () => {
    await sam.getByRole('button', { name: 'Publish' }).click();
    await sam.getByRole('status').filter({ hasText: 'Published: customers can read it now.' }).waitFor();
    await screenshot(sam, `kb-${kind}-03-agent-published`);

    await searchAsAlice('connecting to guest networks');
    const results = alice.getByRole('list', { name: 'Matching articles' });
    await results.getByRole('link', { name: TITLE }).waitFor();
    await alice.reload();
    await alice.getByRole('list', { name: 'Matching articles' }).getByRole('link', { name: TITLE }).waitFor();
    expect(await alice.getByRole('searchbox', { name: 'Search the knowledge base' }).inputValue()).toBe('connecting to guest networks');
    expect(await noSidewaysScroll(alice)).toBe(true);
    await screenshot(alice, `kb-${kind}-04-customer-search-phone`);

    await alice.getByRole('link', { name: TITLE }).click();
    await alice.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    const article = alice.locator('.portal-article-body');
    await article.locator('strong', { hasText: 'Acme-Guest' }).waitFor();
    await article.getByText('<a href="#" onclick="window.__kbXss = 4">also me</a>').waitFor();
    expect(await article.locator('script, img, [onerror], [onclick]').count()).toBe(0);
    await article.getByText('Click me').click();
    expect(await xssRan(alice)).toBeNull();
    expect(await noSidewaysScroll(alice)).toBe(true);
    await screenshot(alice, `kb-${kind}-05-customer-article-phone`);
  });

  it('finds "Printer troubleshooting" for "printers not working", lists every article for an empty search, and suggests articles beside the request form', async () => {
    await searchAsAlice('printers not working');
    const first = alice.getByRole('list', { name: 'Matching articles' }).getByRole('listitem').first();
    await first.getByRole('link', { name: 'Printer troubleshooting' }).waitFor();

    await alice.getByRole('searchbox', { name: 'Search the knowledge base' }).fill('');
    await alice.waitForURL((url) => !url.searchParams.has('q'));
    const all = alice.getByRole('list', { name: 'Articles' });
    await all.getByRole('link', { name: 'Reset your VPN password' }).waitFor();
    await all.getByRole('link', { name: TITLE }).waitFor();
    expect(await all.getByRole('link', { name: 'New laptop checklist' }).count()).toBe(0);

    await alice.getByRole('link', { name: 'Get IT help' }).click();
    await alice.getByRole('textbox', { name: 'Summary' }).fill('my vpn password is wrong');
    const suggested = alice.getByRole('list', { name: 'Suggested articles' });
    await suggested.getByRole('listitem').first().getByRole('link', { name: 'Reset your VPN password' }).waitFor();
    expect(await noSidewaysScroll(alice)).toBe(true);
    await screenshot(alice, `kb-${kind}-06-suggestions-phone`);
  });

  it('unpublishing takes the article away from customers at once; the editor works at 390 px too', async () => {
    await sam.getByRole('button', { name: 'Unpublish' }).click();
    await sam.getByRole('status').filter({ hasText: 'Unpublished: customers no longer see it.' }).waitFor();
    const url = new URL(sam.url());
    const id = url.pathname.split('/').pop();
    await alice.goto(`/s/acme/servicedesk/customer/article/${id}`);
    await alice.getByRole('alert').filter({ hasText: /not found/i }).waitFor();

    await sam.setViewportSize({ width: 390, height: 844 });
    await sam.reload();
    await sam.getByRole('heading', { level: 1, name: 'Edit article' }).waitFor();
    expect(await noSidewaysScroll(sam)).toBe(true);
    await screenshot(sam, `kb-${kind}-07-agent-editor-phone`);
    await sam.goto('/s/acme/jira/servicedesk/projects/HELP/knowledge-base?q=printer');
    await sam.getByRole('list', { name: 'Articles' }).getByRole('link', { name: 'Printer troubleshooting' }).waitFor();
    expect(await sam.getByRole('searchbox', { name: 'Search articles' }).inputValue()).toBe('printer');
    expect(await noSidewaysScroll(sam)).toBe(true);
  });
});
