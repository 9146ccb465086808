import { describe, expect, it } from 'vitest';
import { TEST_DB_KIND } from '../support/db.js';
import type { CachedInstance } from '../support/cached-instances.js';
import { loginStaff, type Session } from '../support/app.js';
import { changeAccess, keptReadsDemo } from './kept-reads-helpers.js';
import { newCustomerAccountId } from '../../src/db/queries/customers.js';

// docs/architecture.md, "Kept look-ups": on an instance that hears every change to what a JQL
// look-up reads (its caller cache's notices, migration 20261207T1000_look_up_notices), a kept look-up
// is trusted while no such change of its site has been heard, and the page runs without re-reading
// the look-up's version. That is safe only if every change is heard before anyone can ask again:
// a change made through the app answers after every instance heard it, a change written straight
// to the database is heard at its commit, and an instance that cannot hear checks the version again.

const demo = keptReadsDemo();
const { instance } = demo;

/** One REST search on an instance: what it found, and the statements it ran and whether any re-read the look-up's version. */
async function search(i: CachedInstance, jql: string) {
  const { result: res, ran } = await i.log.during(() => i.app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: demo.ada, payload: { jql, fields: ['summary', 'reporter'] } }));
  const body = res.json() as { issues?: Array<{ key: string; fields: { reporter?: { emailAddress?: string } } }>; errorMessages?: string[] };
  return {
    status: res.statusCode,
    keys: (body.issues ?? []).map((x) => x.key).sort(),
    reporters: [...new Set((body.issues ?? []).map((x) => x.fields.reporter?.emailAddress))].sort(),
    statements: ran.length,
    versionChecks: ran.filter((e) => e.functions.includes('portico_jql_look_up_version')).length,
    lookUps: ran.filter((e) => e.functions.includes('portico_jql_look_up')).length,
  };
}

const access = (i: CachedInstance, admin: Session, verb: 'revoke' | 'grant') => changeAccess(i, admin, demo.aliceId, verb);

const BY_NAME = 'reporter = "Alice Example" ORDER BY key';
const BY_EMAIL = 'reporter = "alice@customer.test" ORDER BY key';

describe(`kept look-ups vouched for by the instance's notices (${TEST_DB_KIND})`, () => {
  it('a search run again is one statement that does not re-read the look-up; the first read it once', async () => {
    const a = await instance();
    const first = await search(a, BY_EMAIL);
    expect(first.status).toBe(200);
    expect(first.reporters).toEqual(['alice@customer.test']);
    expect(first.lookUps).toBe(1);
    const again = await search(a, BY_EMAIL);
    expect(again).toMatchObject({ status: 200, keys: first.keys, statements: 1, versionChecks: 0, lookUps: 0 });
    const third = await search(a, BY_EMAIL);
    expect(third).toMatchObject({ keys: first.keys, statements: 1, versionChecks: 0, lookUps: 0 });
  });

  it('P5, M2: revoking a customer through the admin console: the very next search by her name no longer finds her, by email it still does, and a grant brings her back', async () => {
    const a = await instance();
    const admin = await loginStaff(a.app, 'admin@acme.test');
    const before = await search(a, BY_NAME);
    expect(before.reporters).toEqual(['alice@customer.test']);
    expect((await search(a, BY_NAME)).versionChecks).toBe(0); // kept and vouched for
    const byEmail = await search(a, BY_EMAIL);
    await access(a, admin, 'revoke');
    try {
      const after = await search(a, BY_NAME);
      expect(after.reporters).not.toContain('alice@customer.test');
      expect(await search(a, BY_EMAIL)).toMatchObject({ status: 200, keys: byEmail.keys });
    } finally {
      await access(a, admin, 'grant');
    }
    expect(await search(a, BY_NAME)).toMatchObject({ status: 200, keys: before.keys });
  });

  it('a change written straight to the database is heard at its commit: the kept look-up is dropped and the next search reads it again', async () => {
    const a = await instance();
    const field = await demo.database.db.selectFrom('custom_fields').select(['id', 'name']).where('site_id', '=', demo.acmeId).executeTakeFirstOrThrow();
    const jql = `"${field.name}" IS NOT EMPTY`;
    const old = await search(a, jql);
    expect(old.status).toBe(200);
    expect((await search(a, jql)).lookUps).toBe(0);
    await demo.database.db.updateTable('custom_fields').set({ name: 'Person affected' }).where('id', '=', field.id).execute();
    try {
      await a.callers.settle(); // heard by then
      const stale = await search(a, jql);
      expect(stale.status).toBe(400);
      expect(stale.lookUps).toBe(1);
      expect(await search(a, '"Person affected" IS NOT EMPTY')).toMatchObject({ status: 200, keys: old.keys });
    } finally {
      await demo.database.db.updateTable('custom_fields').set({ name: field.name }).where('id', '=', field.id).execute();
    }
  });

  it('a ticket taken before a change of its site stops holding once the change is heard; a ticket of another site still holds', async () => {
    const a = await instance();
    const acme = a.callers.lookUpTicket(demo.acmeId)!;
    const globex = a.callers.lookUpTicket(demo.globexId)!;
    expect(acme).not.toBeNull();
    await demo.database.db.updateTable('accounts').set({ display_name: 'Alice Changed' }).where('account_id', '=', demo.aliceId).execute();
    try {
      await a.callers.settle();
      expect(a.callers.lookUpHolds(demo.acmeId, acme)).toBe(false);
      expect(a.callers.lookUpHolds(demo.globexId, globex)).toBe(true);
      // a change that does not touch what a look-up reads says nothing
      const quiet = a.callers.lookUpTicket(demo.acmeId)!;
      await demo.database.db.updateTable('accounts').set({ display_name: 'Alice Changed' }).where('account_id', '=', demo.aliceId).execute();
      await a.callers.settle();
      expect(a.callers.lookUpHolds(demo.acmeId, quiet)).toBe(true);
      // a new customer of a site, added in one statement with others, is heard for that site
      const added = a.callers.lookUpTicket(demo.acmeId)!;
      await demo.database.db
        .insertInto('accounts')
        .values([1, 2].map((n) => ({ account_id: newCustomerAccountId(), kind: 'customer' as const, site_id: demo.acmeId, email: `notice${n}@customer.test`, email_lower: `notice${n}@customer.test`, display_name: `Notice ${n}` })))
        .execute();
      await a.callers.settle();
      expect(a.callers.lookUpHolds(demo.acmeId, added)).toBe(false);
      expect(a.callers.lookUpHolds(demo.globexId, globex)).toBe(true);
      const removed = a.callers.lookUpTicket(demo.acmeId)!;
      await demo.database.db.deleteFrom('accounts').where('email_lower', 'like', 'notice%@customer.test').execute();
      await a.callers.settle();
      expect(a.callers.lookUpHolds(demo.acmeId, removed)).toBe(false);
      // a staff role makes an account one of the staff of every site of the organization: every site's look-ups
      const role = await demo.database.db.selectFrom('project_agents').selectAll().limit(1).executeTakeFirstOrThrow();
      await demo.database.db.deleteFrom('project_agents').where('site_id', '=', role.site_id).where('project_id', '=', role.project_id).where('account_id', '=', role.account_id).execute();
      await demo.database.db.insertInto('project_agents').values(role).execute();
      await a.callers.settle();
      expect(a.callers.lookUpHolds(demo.globexId, globex)).toBe(false);
    } finally {
      await demo.database.db.updateTable('accounts').set({ display_name: 'Alice Example' }).where('account_id', '=', demo.aliceId).execute();
    }
  });

  it('an instance that can no longer hear changes checks every kept look-up in the page statement, and finds what the database says', async () => {
    const a = await instance();
    const kept = await search(a, BY_EMAIL);
    expect((await search(a, BY_EMAIL)).versionChecks).toBe(0);
    await a.callers.close(); // deaf: as when its listening connection is lost
    const checked = await search(a, BY_EMAIL);
    expect(checked).toMatchObject({ status: 200, keys: kept.keys, versionChecks: 1 });
    // a change it cannot hear is still seen: the check refuses the kept look-up
    await demo.database.db.updateTable('accounts').set({ email: 'alice.moved@customer.test', email_lower: 'alice.moved@customer.test' }).where('account_id', '=', demo.aliceId).execute();
    try {
      const moved = await search(a, BY_EMAIL);
      expect(moved.reporters).not.toContain('alice@customer.test');
      expect(moved.keys).not.toEqual(kept.keys);
    } finally {
      await demo.database.db.updateTable('accounts').set({ email: 'alice@customer.test', email_lower: 'alice@customer.test' }).where('account_id', '=', demo.aliceId).execute();
    }
  });
});

describe.skipIf(TEST_DB_KIND !== 'postgres')('kept look-ups on two instances of one PostgreSQL database', () => {
  it('P5, M2: B keeps a search by her name; A revokes her: B\'s very next search does not find her by name, and after A grants her again B finds her, three times over', async () => {
    const a = await instance();
    const b = await instance();
    const admin = await loginStaff(a.app, 'admin@acme.test');
    for (let round = 0; round < 3; round++) {
      const before = await search(b, BY_NAME);
      expect(before.reporters, `round ${round}`).toEqual(['alice@customer.test']);
      expect((await search(b, BY_NAME)).versionChecks, `round ${round}: vouched for on B`).toBe(0);
      await access(a, admin, 'revoke');
      try {
        expect((await search(b, BY_NAME)).reporters, `round ${round}: B after A's revoke`).not.toContain('alice@customer.test');
      } finally {
        await access(a, admin, 'grant');
      }
      expect(await search(b, BY_NAME), `round ${round}: B after A's grant`).toMatchObject({ status: 200, keys: before.keys });
    }
  });
});
