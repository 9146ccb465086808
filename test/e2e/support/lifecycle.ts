import { afterAll, beforeAll, describe } from 'vitest';
import type { Browser } from 'playwright-core';
import pg from 'pg';
import { launchBrowser } from './browser.js';
import { createPostgresDatabase, startPortico, type RunningPortico } from './server.js';
import { TestSmtpServer } from '../../support/smtp.js';

export type E2eDatabase = 'pglite' | 'postgres';

/**
 * A Portico of the file's (or describe block's) own and a browser: started before its tests, handed
 * to `ready` (which may sign people in too, or change the data: on `postgres` it gets the database's URL), closed and stopped after them. On `postgres` the
 * Portico runs on a fresh copy of the run's PostgreSQL template (demo data loaded), dropped after.
 */
export function withPorticoAndBrowser(
  ready: (portico: RunningPortico, browser: Browser, databaseUrl: string | undefined) => void | Promise<void>,
  database: E2eDatabase = 'pglite',
): void {
  let portico: RunningPortico | undefined;
  let browser: Browser | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (database === 'postgres') {
      const created = await createPostgresDatabase();
      databaseUrl = created.url;
      dropDatabase = created.drop;
    }
    portico = await startPortico(databaseUrl ? { databaseUrl } : {});
    browser = await launchBrowser();
    await ready(portico, browser, databaseUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
    await dropDatabase?.();
  });
}

/**
 * A Portico of the file's own that mails through a real SMTP server on loopback (its mail jobs
 * polled every half second, a failed delivery retried after a second), and a browser: started before
 * the file's tests and handed to `ready`, stopped after them.
 */
export function withMailingPorticoAndBrowser(ready: (portico: RunningPortico, browser: Browser, smtp: TestSmtpServer) => void): void {
  let portico: RunningPortico | undefined;
  let browser: Browser | undefined;
  let smtp: TestSmtpServer | undefined;
  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    portico = await startPortico({ env: { SMTP_URL: smtp.url, PORTICO_JOB_POLL_SECONDS: '0.5', PORTICO_MAIL_RETRY_DELAY_SECONDS: '1' } });
    browser = await launchBrowser();
    ready(portico, browser, smtp);
  });
  afterAll(async () => {
    await browser?.close();
    await portico?.stop();
    await smtp?.down();
  });
}

/**
 * A file's tests in Chromium on the one database it names (in the title too). The files are spread
 * over both databases: every rule they show is proven on both by the integration tests, and running
 * each browser file twice doubled the suite's time without finding anything those miss
 * (docs/architecture.md, "How npm test spends its time").
 */
export function onDatabase(database: E2eDatabase, title: string, body: (database: E2eDatabase) => void): void {
  describe(`${title} (${database})`, () => body(database));
}

/** One statement on a test's PostgreSQL database (a file that ages its demo data, or reads what a screen saved), on a connection of its own. */
export async function queryDatabase<R extends pg.QueryResultRow>(databaseUrl: string, text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query<R>(text, values);
  } finally {
    await client.end();
  }
}
