import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginStaff, loginCustomer, as, type TestApp, type Session } from '../support/app.js';
import { findSiteBySlug } from '../../src/db/queries/sites.js';
import { searchUsersForPicker } from '../../src/db/queries/user-picker.js';
import { IMPORT_MAX_BYTES } from '../../src/domain/customer-import.js';
import { SEARCH_TERMS_VERSION, searchTermsFor } from '../../src/domain/search-terms.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';

// "Import customers" (docs/product.md#import) through the admin console's JSON API, on both
// databases: what a row becomes, dry runs, re-runs, refusals, bad files and who may import.

let t: TestApp;
let ada: Session; // org admin of Acme
let greta: Session; // org admin of Globex
let sid: Session; // site admin of globex only
let sam: Session; // agent on HELP (acme)
let alice: Session; // customer of acme
const sites: Record<string, { id: string; orgId: string }> = {};

beforeAll(async () => {
  t = await createTestApp();
  [ada, greta, sid, sam, alice] = await Promise.all([
    loginStaff(t.app, 'admin@acme.test'),
    loginStaff(t.app, 'admin@globex.test'),
    loginStaff(t.app, 'siteadmin@globex.test'),
    loginStaff(t.app, 'agent@acme.test'),
    loginCustomer(t.app, 'acme', 'alice@customer.test'),
  ]);
  for (const s of ['acme', 'globex', 'globex-eu']) sites[s] = (await findSiteBySlug(t.db, s))!;
});
afterAll(() => t?.close());

const importUrl = (site: string, dryRun = false) => `/api/admin/sites/${site}/customers/import${dryRun ? '?dryRun=true' : ''}`;

async function upload(site: string, csv: string | Buffer, who: Session | null, options: { dryRun?: boolean; headers?: Record<string, string> } = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: importUrl(site, options.dryRun),
    headers: { ...(who ? as(who) : {}), 'content-type': 'text/csv', ...options.headers },
    payload: csv,
  });
  return { status: res.statusCode, json: () => res.json() };
}

const customersOf = async (site: string) =>
  (await t.db.selectFrom('accounts').select(['email', 'display_name', 'status', 'password_hash', 'revoked_by']).where('kind', '=', 'customer').where('site_id', '=', sites[site].id).orderBy('email').execute());
const count = async (table: 'accounts' | 'audit_events' | 'account_search_terms' | 'outbox') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
const snapshot = async () => ({ accounts: await count('accounts'), audit: await count('audit_events'), terms: await count('account_search_terms'), outbox: await count('outbox') });
const pickerEmails = async (site: string, query: string) =>
  (await searchUsersForPicker(t.db, { siteId: sites[site].id, query, audience: 'customers' })).users.map((u) => u.email);
const setPassword = async (site: string, email: string, password: string) => {
  const id = (await t.db.selectFrom('accounts').select('account_id').where('site_id', '=', sites[site].id).where('email_lower', '=', email).executeTakeFirstOrThrow()).account_id;
  const res = await t.app.inject({ method: 'PUT', url: `/api/admin/sites/${site}/customers/${id}/password`, headers: as(ada), payload: { password } });
  expect(res.statusCode).toBe(204);
};

describe('an import on acme', () => {
  const file = [
    'Email,Name,Status,Last active,Created',
    'new.active@import.test,Nora Newcomer,Active,,',
    'NEW.REVOKED@import.test,Rex Revoked (Deactivated),Access revoked,,',
    'alice@customer.test,Alice Again,Active,,',
    'not an email,Bad Row,Active,,',
    'odd.status@import.test,Odd Status,Suspended,,',
    'new.active@IMPORT.test,Nora Twice,Active,,',
    'nameless@import.test,,,,',
  ].join('\r\n');

  it('a dry run reports what would happen, every refused row with its line and reason, and writes nothing', async () => {
    const before = await snapshot();
    const r = await upload('acme', file, ada, { dryRun: true });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({
      dryRun: true,
      rows: 7,
      created: 3,
      createdRevoked: 1,
      present: 1,
      refused: 3,
      refusals: [
        { line: 5, email: 'not an email', reason: 'The email address is not valid.' },
        { line: 6, email: 'odd.status@import.test', reason: expect.stringContaining('The status "Suspended" is not one of') },
        { line: 7, email: 'new.active@IMPORT.test', reason: 'The email is already on line 2 of the file.' },
      ],
    });
    expect(await snapshot()).toEqual(before);
  });

  it('the import creates what the dry run said, with no password, sends no mail, and writes one audit event', async () => {
    const before = await snapshot();
    const r = await upload('acme', file, ada);
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ dryRun: false, rows: 7, created: 3, createdRevoked: 1, present: 1, refused: 3 });
    const created = (await customersOf('acme')).filter((c) => c.email!.endsWith('@import.test'));
    expect(created).toEqual([
      { email: 'NEW.REVOKED@import.test', display_name: 'Rex Revoked', status: 'revoked', password_hash: null, revoked_by: ada.accountId },
      { email: 'nameless@import.test', display_name: 'nameless@import.test', status: 'active', password_hash: null, revoked_by: null },
      { email: 'new.active@import.test', display_name: 'Nora Newcomer', status: 'active', password_hash: null, revoked_by: null },
    ]);
    // Alice was already a customer: left as she was
    expect((await customersOf('acme')).find((c) => c.email === 'alice@customer.test')!.display_name).toBe('Alice Example');
    const after = await snapshot();
    expect(after.accounts).toBe(before.accounts + 3);
    expect(after.outbox).toBe(before.outbox);
    expect(after.audit).toBe(before.audit + 1);
    const event = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'customers.imported').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_id: ada.accountId, site_id: sites.acme.id, org_id: sites.acme.orgId, target_id: null });
    expect(event.details).toEqual({ via: 'admin_console', rows: 7, created: 3, createdRevoked: 1, present: 1, refused: 3 });
  });

  it('the active customer is in pickers and can log in once she has a password; the revoked one is in no picker and refused like a wrong password', async () => {
    expect(await pickerEmails('acme', 'nora')).toEqual(['new.active@import.test']);
    expect(await pickerEmails('acme', 'new.active@')).toEqual(['new.active@import.test']);
    expect(await pickerEmails('acme', 'rex')).toEqual([]);
    expect(await pickerEmails('acme', 'new.revoked')).toEqual([]);

    // no password yet: nobody can log in as them
    const login = (email: string, password: string) =>
      t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', payload: { email, password } });
    expect((await login('new.active@import.test', DEMO_PASSWORD)).statusCode).toBe(401);

    await setPassword('acme', 'new.active@import.test', 'imported-and-fine-1');
    await setPassword('acme', 'new.revoked@import.test', 'imported-and-fine-2');
    expect((await login('new.active@import.test', 'imported-and-fine-1')).statusCode).toBe(200);
    const revoked = await login('new.revoked@import.test', 'imported-and-fine-2');
    const wrong = await login('new.active@import.test', 'not-the-password');
    expect(revoked.statusCode).toBe(401);
    expect(revoked.body).toBe(wrong.body);

    // the admin list shows the revoked one as revoked, labelled (Deactivated)
    const list = await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/customers?query=rex', headers: as(ada) });
    expect(list.json().values).toMatchObject([{ email: 'NEW.REVOKED@import.test', status: 'revoked', label: 'Rex Revoked (Deactivated)' }]);
  });

  it('granting the imported revoked customer puts her into pickers like any grant, from the terms the import kept for her as a revoke keeps them', async () => {
    const id = (await t.db.selectFrom('accounts').select('account_id').where('email_lower', '=', 'new.revoked@import.test').executeTakeFirstOrThrow()).account_id;
    const made = searchTermsFor('Rex Revoked', 'NEW.REVOKED@import.test');
    const kept = await t.db.selectFrom('dormant_search_terms').selectAll().where('account_id', '=', id).executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ site_id: sites.acme.id, display_name: 'Rex Revoked', email: 'NEW.REVOKED@import.test', made_by: SEARCH_TERMS_VERSION, sort_name: 'rex revoked' });
    expect([...kept.terms].sort()).toEqual([...made].sort());
    const res = await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${id}/grant`, headers: as(ada) });
    expect(res.statusCode).toBe(200);
    expect(await pickerEmails('acme', 'rex')).toEqual(['NEW.REVOKED@import.test']);
    const terms = await t.db.selectFrom('account_search_terms').select('term').where('account_id', '=', id).execute();
    expect(terms.map((r) => r.term).sort()).toEqual([...made].sort());
    expect(await t.db.selectFrom('dormant_search_terms').select('account_id').where('account_id', '=', id).executeTakeFirst()).toBeUndefined();
  });
});

describe('re-running an import', () => {
  const rows = Array.from({ length: 2500 }, (_, i) => `resume${String(i).padStart(4, '0')}@import.test,Resume Person ${i}`);
  const csv = (lines: string[]) => ['Email address,Display name', ...lines].join('\n');

  it('after an interruption (half the file imported), the whole file creates only the rest: no duplicates, batches of 1,000', async () => {
    const half = await upload('globex', csv(rows.slice(0, 1200)), greta);
    expect(half.json()).toMatchObject({ created: 1200, present: 0, refused: 0 });
    const dry = await upload('globex', csv(rows), greta, { dryRun: true });
    expect(dry.json()).toMatchObject({ dryRun: true, rows: 2500, created: 1300, present: 1200, refused: 0 });
    const all = await upload('globex', csv(rows), greta);
    expect(all.json()).toMatchObject({ dryRun: false, rows: 2500, created: 1300, present: 1200, refused: 0 });
    const again = await upload('globex', csv(rows), greta);
    expect(again.json()).toMatchObject({ created: 0, present: 2500 });
    const n = await t.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('site_id', '=', sites.globex.id)
      .where('email_lower', 'like', 'resume%')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(2500);
    // each import wrote one audit event
    const events = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'customers.imported').where('site_id', '=', sites.globex.id).execute();
    expect(events.map((e) => (e.details as { created: number }).created).sort((a, b) => a - b)).toEqual([0, 1200, 1300]);
  });

  it('an email that is a customer of another site is a new customer here (emails are unique per site)', async () => {
    const r = await upload('globex-eu', csv(['erin@customer.test,Erin Elsewhere']), greta);
    expect(r.json()).toMatchObject({ created: 1, present: 0 });
  });
});

describe('refused rows and bad files', () => {
  it('names and emails follow the rules of creating a customer and editing a name', async () => {
    const r = await upload(
      'acme',
      [
        'Full Name,E-mail,Status',
        `${'x'.repeat(256)},long@import.test,Active`,
        '"Bell\u0007Name",bell@import.test,Active',
        `"Ok Name",${'a'.repeat(250)}@import.test,Active`,
        'Spaced,"  spaced@import.test  ",Inactive',
        'No Email,,Active',
        '"Quoted, Name",quoted@import.test,deactivated',
      ].join('\n'),
      ada,
      { dryRun: true },
    );
    expect(r.status).toBe(200);
    expect(r.json().refusals).toEqual([
      { line: 2, email: 'long@import.test', reason: 'The name must be at most 255 characters.' },
      { line: 3, email: 'bell@import.test', reason: 'The name cannot contain control characters or text-direction controls.' },
      { line: 4, email: expect.any(String), reason: 'The email address is not valid.' },
      { line: 6, email: '', reason: 'The email address is empty.' },
    ]);
    expect(r.json()).toMatchObject({ rows: 6, created: 2, createdRevoked: 2, refused: 4 });
  });

  it('counts lines as a text editor does, across quoted line breaks and empty lines', async () => {
    const r = await upload('acme', 'Name,Email\r\n"Two\r\nLines",two.lines@import.test\r\n\r\nX,broken\r\n"Three\rLines\n!",x@y\rY,mac.line@import\r', ada, { dryRun: true });
    expect(r.json().refusals).toEqual([
      { line: 2, email: 'two.lines@import.test', reason: 'The name cannot contain control characters or text-direction controls.' },
      { line: 5, email: 'broken', reason: 'The email address is not valid.' },
      { line: 6, email: 'x@y', reason: 'The email address is not valid.' },
      { line: 9, email: 'mac.line@import', reason: 'The email address is not valid.' },
    ]);
  });

  it('a file without an Email column, an empty file, a header alone, broken CSV or non-UTF-8 text is a clear 400 and changes nothing', async () => {
    const before = await snapshot();
    const cases: Array<[string | Buffer, RegExp]> = [
      ['Name,Status\nAda,Active\n', /no Email column/],
      ['', /empty/],
      ['Email,Name\n', /only its header line/],
      ['Email,Name\n"unterminated@import.test,Ada\n', /not a CSV file/],
      ['{"email": "json@import.test"}', /not a CSV file/],
      [Buffer.from([0x45, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xff, 0xfe, 0x0a]), /not UTF-8/],
      ['Email\nnul\u0000@import.test\n', /NUL/],
    ];
    for (const [body, message] of cases) {
      const r = await upload('acme', body, ada);
      expect(r.status, String(body)).toBe(400);
      expect(r.json().errorMessages[0]).toMatch(message);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a file over the limit is refused (413) before it is read; a JSON body is no file (415)', async () => {
    const big = 'Email\n' + 'x'.repeat(IMPORT_MAX_BYTES);
    const r = await upload('acme', big, ada);
    expect(r.status).toBe(413);
    expect(r.json().code).toBe('payload_too_large');
    const json = await t.app.inject({ method: 'POST', url: importUrl('acme'), headers: { ...as(ada), 'content-type': 'application/json' }, payload: '"Email\\nx@import.test"' });
    expect(json.statusCode).toBe(415);
  });
});

describe('who may import (docs/product.md#roles)', () => {
  const file = 'Email,Name\nwho.may@import.test,Who May\n';

  it('org admins and the site admin may; an agent 403; another organization or site admin 404; a customer and anonymous 401; nothing written', async () => {
    const before = await snapshot();
    expect((await upload('acme', file, sam, { dryRun: true })).status).toBe(403);
    expect((await upload('acme', file, sam)).status).toBe(403);
    expect((await upload('acme', file, greta)).status).toBe(404);
    expect((await upload('acme', file, sid)).status).toBe(404);
    expect((await upload('globex-eu', file, sid)).status).toBe(404);
    expect((await upload('acme', file, alice)).status).toBe(401);
    expect((await upload('acme', file, null)).status).toBe(401);
    expect((await upload('nowhere', file, ada)).status).toBe(404);
    expect(await snapshot()).toEqual(before);
    expect((await upload('globex', file, sid)).json()).toMatchObject({ created: 1 });
  });

  it('a cookie-authenticated import without the CSRF token is refused (403) and changes nothing', async () => {
    const before = await snapshot();
    const res = await t.app.inject({ method: 'POST', url: importUrl('acme'), headers: { cookie: ada.cookie, 'content-type': 'text/csv' }, payload: 'Email\ncsrf@import.test\n' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf');
    expect(await snapshot()).toEqual(before);
  });
});

describe('an import of many batches', () => {
  // Every batch of the same size is the same statement, which each connection keeps prepared; from
  // its sixth run PostgreSQL may plan it generically, and an ON CONFLICT whose index predicate was a
  // parameter (kind = $n) then matched no index: the sixth batch of 1,000 failed, so an import of
  // more than 5,000 customers stopped halfway (bench/import.ts found it).
  it('writes its twelfth batch like its first', async () => {
    for (let i = 0; i < 12; i++) {
      const r = await upload('acme', `Email,Name,Status\nbatch${i}@many.test,Batch Person ${i},Active\n`, ada);
      expect(r.status, JSON.stringify(r.json())).toBe(200);
      expect(r.json()).toMatchObject({ created: 1, refused: 0 });
    }
    expect((await customersOf('acme')).filter((c) => c.email!.endsWith('@many.test'))).toHaveLength(12);
  });
});
