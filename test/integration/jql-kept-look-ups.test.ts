import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/deps.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { loadConfig } from '../../src/config.js';
import { loadDemoData } from '../../src/db/demo.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { StatementLog } from '../support/statement-log.js';
import { customerAuth, staffAuth, type Headers } from './rest-helpers.js';

// docs/architecture.md, "Kept look-ups": a JQL search that this instance ran before with the same
// values binds its query with the look-up it kept (the custom fields, the people and projects the
// values may name) and runs its page in ONE statement that also reads the look-up's version. When the
// database would now look up something else, that page is thrown away and the search runs again from
// a fresh look-up — so a kept look-up saves a round trip and is never what an answer rests on.

let database: TestDatabase;
let app: App;
const log = new StatementLog();
let ada: Headers;

beforeAll(async () => {
  database = await createTestDatabase(undefined, { demo: true });
  if (!database.hasDemo) await loadDemoData(database.db);
  const config = { ...loadConfig({}), publicUrl: 'http://localhost:80', logLevel: 'silent' as const };
  // the site stays cached for the whole file (a site re-read when its second is up would be a statement more)
  app = await buildApp({ db: database.db.withPlugin(log), mailer: createOutboxMailer(), config }, { siteCacheClock: () => 0 });
  await app.ready();
  ada = await staffAuth({ db: database.db } as never, 'admin@acme.test');
  await app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers: ada }); // a first use may record it
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** One REST search: its status, the issues' keys and reporters, and how many statements it ran. */
async function search(jql: string, headers: Headers = ada, page: { maxResults?: number; nextPageToken?: string } = {}) {
  const from = log.entries.length;
  const res = await app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers, payload: { jql, fields: ['summary', 'reporter'], ...page } });
  const body = res.json() as { issues?: Array<{ key: string; fields: { reporter?: { emailAddress?: string } } }>; errorMessages?: string[]; nextPageToken?: string };
  return {
    status: res.statusCode,
    keys: (body.issues ?? []).map((i) => i.key).sort(),
    reporters: new Set((body.issues ?? []).map((i) => i.fields.reporter?.emailAddress)),
    errors: body.errorMessages ?? [],
    statements: log.entries.length - from,
    nextPageToken: body.nextPageToken,
  };
}

/** How many queries a request compiled (StatementLog.compiled): a search that ran its kept statement compiles only its caller's. */
async function compiledBy<T>(run: () => Promise<T>): Promise<{ result: T; compiled: number }> {
  const from = log.compiled;
  const result = await run();
  return { result, compiled: log.compiled - from };
}

async function setEmail(from: string, to: string) {
  await database.db.updateTable('accounts').set({ email: to, email_lower: to }).where('email_lower', '=', from).where('kind', '=', 'customer').execute();
}

describe('kept look-ups of JQL searches', () => {
  it('a search run again with the same values is the caller and one statement; the first is the caller, the look-up and the page', async () => {
    const first = await search('reporter = "carol@customer.test" ORDER BY key');
    expect(first.status).toBe(200);
    expect(first.keys.length).toBeGreaterThan(0);
    expect(first.statements).toBe(3);
    const again = await search('reporter = "carol@customer.test" ORDER BY key');
    expect(again).toEqual({ ...first, statements: 2 });
  });

  it('an email moved to another customer: the kept look-up is refused and the search finds the new owner, not the old', async () => {
    const bobs = await search('reporter = "bob@customer.test"');
    const carols = await search('reporter = "carol@customer.test"');
    expect(bobs.reporters).toEqual(new Set(['bob@customer.test']));
    expect(carols.keys.length).toBeGreaterThan(0);
    expect(carols.keys).not.toEqual(bobs.keys);
    await search('reporter = "bob@customer.test"'); // kept

    // Bob takes a new email, and Carol takes his old one
    await setEmail('bob@customer.test', 'bob.builder@customer.test');
    await setEmail('carol@customer.test', 'bob@customer.test');
    try {
      const now = await search('reporter = "bob@customer.test"');
      expect(now.status).toBe(200);
      expect(now.keys).toEqual(carols.keys);
      // the caller, the page with its look-up's version (refused), the look-up, the page
      expect(now.statements).toBe(4);
      // and the next one is one statement again, with the look-up read then
      expect(await search('reporter = "bob@customer.test"')).toEqual({ ...now, statements: 2 });
    } finally {
      await setEmail('bob@customer.test', 'carol@customer.test');
      await setEmail('bob.builder@customer.test', 'bob@customer.test');
    }
    const back = await search('reporter = "bob@customer.test"');
    expect(back.keys).toEqual(bobs.keys);
  });

  it('a custom field renamed: a kept look-up does not let the old name through, and the new name works at once', async () => {
    const field = await database.db.selectFrom('custom_fields').innerJoin('sites', 'sites.id', 'custom_fields.site_id').select(['custom_fields.id', 'custom_fields.name']).where('sites.slug', '=', 'acme').executeTakeFirstOrThrow();
    const old = await search(`"${field.name}" IS NOT EMPTY`);
    expect(old.status).toBe(200);
    await search(`"${field.name}" IS NOT EMPTY`); // kept
    await database.db.updateTable('custom_fields').set({ name: 'Person affected' }).where('id', '=', field.id).execute();
    try {
      const stale = await search(`"${field.name}" IS NOT EMPTY`);
      expect(stale.status).toBe(400);
      expect(stale.errors.join(' ')).toMatch(new RegExp(field.name));
      const renamed = await search('"Person affected" IS NOT EMPTY');
      expect(renamed).toMatchObject({ status: 200, keys: old.keys });
    } finally {
      await database.db.updateTable('custom_fields').set({ name: field.name }).where('id', '=', field.id).execute();
    }
  });

  it('a name that named nobody: once a customer has it, a kept look-up does not keep the search empty (a customer searching)', async () => {
    const alice = await customerAuth({ app } as never, 'acme', 'alice@customer.test');
    // a customer's search for a name that matches nobody finds nothing, rather than failing
    const before = await search('reporter = "Alice Renamed"', alice);
    expect(before).toMatchObject({ status: 200, keys: [] });
    await search('reporter = "Alice Renamed"', alice); // kept
    await database.db.updateTable('accounts').set({ display_name: 'Alice Renamed' }).where('email_lower', '=', 'alice@customer.test').where('kind', '=', 'customer').execute();
    try {
      const after = await search('reporter = "Alice Renamed"', alice);
      expect(after.status).toBe(200);
      expect(after.keys.length).toBeGreaterThan(0);
      expect(after.reporters).toEqual(new Set(['alice@customer.test']));
    } finally {
      await database.db.updateTable('accounts').set({ display_name: 'Alice Example' }).where('email_lower', '=', 'alice@customer.test').where('kind', '=', 'customer').execute();
    }
  });
});

describe('kept statements of JQL searches', () => {
  // The caller's own statement is compiled on every request; a search whose statement was kept
  // compiles nothing more.
  const callerOnly = () => compiledBy(() => app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers: ada }));

  it('a search run a third time compiles nothing: the statement kept by the second runs, and answers the same', async () => {
    const jql = 'reporter = "alice@customer.test" ORDER BY key';
    const first = await compiledBy(() => search(jql));
    const second = await compiledBy(() => search(jql));
    const caller = (await callerOnly()).compiled;
    const third = await compiledBy(() => search(jql));
    expect(first.result.keys.length).toBeGreaterThan(0);
    expect(second.result).toEqual({ ...first.result, statements: 2 });
    expect(third.result).toEqual(second.result);
    expect(second.compiled).toBeGreaterThan(caller);
    expect(third.compiled).toBe(caller);
  });

  it('a statement kept for the org admin is not what a customer or an agent runs: each sees only what they may see', async () => {
    const jql = 'project = HELP ORDER BY key';
    for (let i = 0; i < 3; i++) await search(jql); // kept for Ada
    const all = await search(jql);
    const alice = await customerAuth({ app } as never, 'acme', 'alice@customer.test');
    for (let i = 0; i < 3; i++) {
      const hers = await search(jql, alice);
      expect(hers.status).toBe(200);
      expect(hers.keys.length).toBeGreaterThan(0);
      expect(hers.keys.length).toBeLessThan(all.keys.length);
      expect(hers.reporters).not.toContain('bob@customer.test');
    }
    expect((await search(jql)).keys).toEqual(all.keys);
  });

  it('a kept first page is not the second: the page is part of what a statement is kept by', async () => {
    const jql = 'project = HELP ORDER BY key';
    for (let i = 0; i < 3; i++) await search(jql, ada, { maxResults: 2 });
    const first = await search(jql, ada, { maxResults: 2 });
    expect(first.keys).toHaveLength(2);
    expect(first.nextPageToken).toBeTruthy();
    for (let i = 0; i < 3; i++) {
      const second = await search(jql, ada, { maxResults: 2, nextPageToken: first.nextPageToken });
      expect(second.keys).toHaveLength(2);
      expect(second.keys.filter((k) => first.keys.includes(k))).toEqual([]);
    }
  });

  it('a query with a relative date is bound at each search, never kept (it would hold the time it was bound at)', async () => {
    const jql = 'created >= "-3650d" AND reporter = "alice@customer.test"';
    for (let i = 0; i < 2; i++) await search(jql);
    const caller = (await callerOnly()).compiled;
    const again = await compiledBy(() => search(jql));
    expect(again.result.keys.length).toBeGreaterThan(0);
    expect(again.compiled).toBeGreaterThan(caller);
  });
});
