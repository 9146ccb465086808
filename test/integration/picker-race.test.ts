import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, as, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';
import { TEST_DB_KIND } from '../support/db.js';
import { findSiteBySlug, type SiteRow } from '../../src/db/queries/sites.js';
import { applyRevoke } from '../../src/db/queries/customer-access.js';
import { lockCustomerInSite } from '../../src/db/queries/customer-records.js';
import { insertCustomer } from '../../src/db/queries/customers.js';

// A revoke racing a write that picks the customer (share, picker field, agent's people, project
// customers). The revoke below is held open at the point where it has locked the customer's row and
// revoked them; the write starts, and — on PostgreSQL, where the two run on their own connections —
// the test waits until the database reports the write waiting for a lock (a blocking peer, no
// timing). Then the revoke commits. The write must answer 400 and have stored nothing: a reference
// created after the revoke committed would be a new use of a revoked account. Without the shared
// lock on the picked accounts the write reads "active" at once and, merely delayed by its foreign
// key check, stores the reference right after the commit. On PGlite the one connection serializes
// the two, so there the write simply runs after the commit.

let t: TestApp;
let site: SiteRow;
let ada: Session;
let alice: Session;
let sam: Session;
const ids: Record<string, string> = {};
let helpId: string;
let getItHelpId: string;
let affectedKey: string;

beforeAll(async () => {
  t = await createTestApp();
  site = (await findSiteBySlug(t.db, 'acme'))!;
  ada = await loginStaff(t.app, 'admin@acme.test');
  sam = await loginStaff(t.app, 'agent@acme.test');
  alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
  ids.ada = ada.accountId;
  ids.carol = await accountIdOf(t.db, 'carol@customer.test', 'acme');
  // a customer of the site who is not (yet) a customer of HELP
  ids.pat = await insertCustomer(t.db, { siteId: site.id, email: 'pat@customer.test', displayName: 'Pat Pending', passwordHash: null });
  helpId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
  getItHelpId = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id);
  const affected = await t.db.selectFrom('custom_fields').select('id').where('site_id', '=', site.id).where('name', '=', 'Affected user').executeTakeFirstOrThrow();
  affectedKey = `customfield_${affected.id}`;
});
afterAll(() => t?.close());

/** A revoke of `accountId` that has locked and revoked the row, and commits when told to. */
async function holdRevoke(accountId: string): Promise<{ commit: () => Promise<void> }> {
  let reached!: () => void;
  let release!: () => void;
  const atLockPoint = new Promise<void>((r) => (reached = r));
  const released = new Promise<void>((r) => (release = r));
  const done = t.db.transaction().execute(async (trx) => {
    await lockCustomerInSite(trx, site.id, accountId);
    await applyRevoke(trx, [accountId], ids.ada, new Date());
    reached();
    await released;
  });
  await Promise.race([atLockPoint, done]);
  return {
    commit: async () => {
      release();
      await done;
    },
  };
}

/** Resolves once PostgreSQL shows a session of this database waiting for a lock, or once `write` settles. */
async function untilWaitingForLock(write: Promise<unknown>): Promise<'waiting' | 'finished'> {
  if (TEST_DB_KIND === 'pglite') {
    // one connection: the write cannot reach the database before the revoke commits
    await new Promise((r) => setImmediate(r));
    return 'waiting';
  }
  let settled = false;
  void write.finally(() => (settled = true));
  for (;;) {
    if (settled) return 'finished';
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
    if (rows[0].n > 0) return 'waiting';
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function grant(accountId: string) {
  const r = await t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${accountId}/grant`, headers: as(ada) });
  expect(r.statusCode).toBe(200);
}

/**
 * Races `write` (which picks `accountId`) against a held revoke of that account, and checks that
 * the write was refused with 400 naming them as deactivated and that `stored()` finds nothing.
 */
async function raceAgainstRevoke(accountId: string, write: () => Promise<LightMyRequestResponse>, stored: () => Promise<number>) {
  const before = await stored();
  const revoke = await holdRevoke(accountId);
  try {
    const pending = write();
    const state = await untilWaitingForLock(pending);
    await revoke.commit();
    const res = await pending;
    expect(state).toBe('waiting');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errorMessages.join(' ')).toMatch(/deactivated and cannot be selected/);
    expect(await stored()).toBe(before);
  } finally {
    await revoke.commit();
    await grant(accountId);
  }
}

const count = async (q: Promise<{ n: string | number }>) => Number((await q).n);

describe('R12: a picker write racing a revoke of the picked customer', () => {
  it('R12: sharing a request with a customer being revoked: 400, and no participant stored', async () => {
    await raceAgainstRevoke(
      ids.carol,
      () => t.app.inject({ method: 'POST', url: '/s/acme/api/portal/requests/HELP-1/participants', headers: as(alice), payload: { accountIds: [ids.carol] } }),
      () => count(t.db.selectFrom('request_participants').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', ids.carol).executeTakeFirstOrThrow()),
    );
  });

  it('R12: raising a request with the customer being revoked in a user-picker field: 400, and no request stored', async () => {
    await raceAgainstRevoke(
      ids.carol,
      () => t.app.inject({
        method: 'POST', url: '/s/acme/api/portal/requests', headers: as(alice),
        payload: { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'Race', [affectedKey]: ids.carol } },
      }),
      () => count(t.db.selectFrom('requests').select((eb) => eb.fn.countAll<string>().as('n')).where('site_id', '=', site.id).executeTakeFirstOrThrow()),
    );
  });

  it('R12: an agent adding the customer being revoked as a participant: 400, and nothing stored', async () => {
    await raceAgainstRevoke(
      ids.carol,
      () => t.app.inject({ method: 'PUT', url: '/s/acme/api/agent/requests/HELP-3/people', headers: as(sam), payload: { participants: [ids.carol] } }),
      () => count(t.db.selectFrom('request_participants').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', ids.carol).executeTakeFirstOrThrow()),
    );
  });

  it('R12: adding the customer being revoked to a service project: 400, and not added', async () => {
    await raceAgainstRevoke(
      ids.pat,
      () => t.app.inject({ method: 'POST', url: '/s/acme/api/agent/projects/HELP/customers', headers: as(sam), payload: { accountIds: [ids.pat] } }),
      () => count(t.db.selectFrom('project_customers').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', ids.pat).executeTakeFirstOrThrow()),
    );
  });

  it('R12: the same writes after the grant succeed (the refusals above were the revoke, nothing else)', async () => {
    const share = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/requests/HELP-1/participants', headers: as(alice), payload: { accountIds: [ids.carol] } });
    expect(share.statusCode).toBe(200);
    const add = await t.app.inject({ method: 'POST', url: '/s/acme/api/agent/projects/HELP/customers', headers: as(sam), payload: { accountIds: [ids.pat] } });
    expect(add.json().added).toEqual([ids.pat]);
  });
});
