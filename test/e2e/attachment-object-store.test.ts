/**
 * Attachments in an S3-compatible object store, in Chromium (docs/product.md#attachments): the
 * built server started with PORTICO_S3_* pointing at s3rver on loopback; Alice attaches a file in
 * the help center on a phone, it lands in the bucket (listed through the S3 API), and Sam downloads
 * it from the agent view. The screens are those of the database mode, unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createPostgresDatabase, startPortico, type RunningPortico } from './support/server.js';
import { checkAccessibility, launchBrowser, loginCustomerUI, newPage, samAtHisProjects, screenshot } from './support/browser.js';
import { onDatabase } from './support/lifecycle.js';
import { TestS3Server } from '../support/s3.js';

onDatabase('postgres', 'attachments in an object store', (database) => {
  let s3: TestS3Server;
  let portico: RunningPortico;
  let browser: Browser;
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    s3 = await TestS3Server.start();
    const settings = s3.settings();
    let databaseUrl: string | undefined;
    if (database === 'postgres') {
      const created = await createPostgresDatabase();
      databaseUrl = created.url;
      dropDatabase = created.drop;
    }
    portico = await startPortico({
      ...(databaseUrl ? { databaseUrl } : {}),
      env: {
        PORTICO_S3_ENDPOINT: settings.endpoint!,
        PORTICO_S3_BUCKET: settings.bucket,
        PORTICO_S3_ACCESS_KEY_ID: settings.accessKeyId!,
        PORTICO_S3_SECRET_ACCESS_KEY: settings.secretAccessKey!,
        PORTICO_S3_FORCE_PATH_STYLE: '1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
    await dropDatabase?.();
    await s3?.stop();
  });

  it('E5: Alice attaches a file in the help center on a phone; it is in the bucket, and Sam downloads it from the agent view', { timeout: 120_000 }, async () => {
    expect(await s3.keys()).toEqual([]);
    const alice = await newPage(browser, portico.url, { width: 390, height: 844 });
    await loginCustomerUI(alice, portico.url, 'acme', 'alice@customer.test');
    await alice.waitForURL(/\/s\/acme\/servicedesk\/customer\/portals$/);
    await alice.goto('/s/acme/servicedesk/customer/portal/1/HELP-1');
    await alice.getByRole('heading', { name: 'Attachments' }).waitFor();
    await alice.locator('input[type=file]').setInputFiles({ name: 'router-log.txt', mimeType: 'text/plain', buffer: Buffer.from('link down at 07:55') });
    await alice.getByText('router-log.txt is attached.').waitFor();
    await alice.getByRole('link', { name: 'router-log.txt' }).waitFor();
    expect(await alice.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkAccessibility(alice);
    await screenshot(alice, `object-store-portal-attachment-${database}`);
    await alice.context().close();

    const keys = await s3.keys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^portico\/attachments\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/);
    expect((await s3.read(keys[0]!)).toString()).toBe('link down at 07:55');

    const sam = await samAtHisProjects(browser, portico.url);
    await sam.goto('/s/acme/browse/HELP-1');
    const link = sam.getByRole('link', { name: 'router-log.txt' });
    await link.waitFor();
    const href = await link.getAttribute('href');
    const downloaded = await sam.evaluate(async (url) => {
      const res = await fetch(url!);
      return { status: res.status, text: await res.text(), disposition: res.headers.get('content-disposition') };
    }, href);
    expect(downloaded).toEqual({ status: 200, text: 'link down at 07:55', disposition: `attachment; filename="router-log.txt"; filename*=UTF-8''router-log.txt` });
    await checkAccessibility(sam);
    await sam.context().close();
  });
});
