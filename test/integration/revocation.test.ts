import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { StatementLog } from '../support/statement-log.js';
import { createTestApp, loginCustomer, loginStaff, as, accountIdOf, type TestApp, type Session } from '../support/app.js';
import { buildApp } from '../../src/http/app.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { hashSecret, newSecret } from '../../src/domain/secrets.js';

// The revocation requirements, one customer (Alice of acme) revoked and granted back through each of
// the three ways an admin can: the admin console's API, the Atlassian-compatible REST API and the
// bulk action. Every test leaves her active again.

type Way = 'admin API' | 'REST API' | 'bulk action';
const WAYS: Way[] = ['admin API', 'REST API', 'bulk action'];

let t: TestApp;
let ada: Session;
let alice: string;
let acmeOrgId: string;
let helpProjectId: string;
let getItHelpId: string;

beforeAll(async () => {
  t = await createTestApp();
  ada = await loginStaff(t.app, 'admin@acme.test');
  alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
  acmeOrgId = (await t.db.selectFrom('sites').select('org_id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).org_id;
  helpProjectId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
  getItHelpId = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id);
});
afterAll(() => t?.close());
// A test that fails half-way must not leave her revoked for the next one.
afterEach(async () => {
  if (t && (await statusOf()) !== 'active') await change('grant', 'admin API');
});

/** Revoke or grant Alice (or `who`) as Ada, the org admin of acme, one of the three ways. */
async function change(verb: 'revoke' | 'grant', way: Way, who = alice, extra: { remoteAddress?: string; userAgent?: string } = {}) {
  const headers: Record<string, string> = { ...as(ada), ...(extra.userAgent ? { 'user-agent': extra.userAgent } : {}) };
  const common = { headers, ...(extra.remoteAddress ? { remoteAddress: extra.remoteAddress } : {}) };
  if (way === 'admin API') return t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${who}/${verb}`, ...common });
  if (way === 'REST API') {
    return t.app.inject({
      method: 'PUT',
      url: `/s/acme/rest/servicedeskapi/customer/user/${encodeURIComponent(who)}/${verb}-portal-only-access`,
      ...common,
      headers: { ...headers, 'content-type': 'application/json' },
    });
  }
  return t.app.inject({ method: 'POST', url: '/api/admin/sites/acme/customers/bulk', ...common, payload: { action: verb, accountIds: [who] } });
}
const OK: Record<Way, number> = { 'admin API': 200, 'REST API': 204, 'bulk action': 200 };

async function statusOf(id = alice) {
  return (await t.db.selectFrom('accounts').select('status').where('account_id', '=', id).executeTakeFirstOrThrow()).status;
}
async function sessionsOf(id = alice) {
  return (await t.db.selectFrom('sessions').select('id_hash').where('account_id', '=', id).execute()).length;
}
async function auditEventsOf(id = alice) {
  return t.db
    .selectFrom('audit_events')
    .selectAll()
    .where('target_id', '=', id)
    .where('action', 'in', ['customer.access.revoked', 'customer.access.granted'])
    .orderBy('id')
    .execute();
}

/**
 * What a customer of acme does with a session: help-center pages' API, the picker, the REST API,
 * and three kinds of write. Each write carries a fresh marker, so the database can be searched for it.
 */
function customerCalls(marker: string) {
  return [
    { method: 'GET', url: '/s/acme/api/portal/session', ok: 200 },
    { method: 'GET', url: '/s/acme/api/portal/portals', ok: 200 },
    { method: 'GET', url: '/s/acme/api/portal/requests?filter=all', ok: 200 },
    { method: 'GET', url: '/s/acme/api/portal/requests/HELP-1', ok: 200 },
    { method: 'GET', url: '/s/acme/api/portal/requests/HELP-1/comments', ok: 200 },
    { method: 'GET', url: '/s/acme/api/portal/kb?query=vpn', ok: 200 },
    { method: 'GET', url: '/s/acme/api/users/picker?query=bo', ok: 200 },
    { method: 'GET', url: '/s/acme/rest/api/3/myself', ok: 200 },
    { method: 'GET', url: '/s/acme/rest/servicedeskapi/request/HELP-1', ok: 200 },
    { method: 'POST', url: '/s/acme/api/portal/requests/HELP-1/comments', payload: { body: `help-center ${marker}` }, ok: 201 },
    { method: 'POST', url: '/s/acme/rest/servicedeskapi/request/HELP-1/comment', payload: { body: `rest ${marker}`, public: true }, ok: 201 },
    {
      method: 'POST',
      url: '/s/acme/api/portal/requests',
      payload: { projectId: helpProjectId, requestTypeId: getItHelpId, fields: { summary: `raised ${marker}` } },
      ok: 201,
    },
  ] as const;
}

async function callAll(session: Session, marker: string): Promise<Array<{ url: string; method: string; ok: number; res: LightMyRequestResponse }>> {
  const out = [];
  for (const c of customerCalls(marker)) {
    const res = await t.app.inject({ method: c.method, url: c.url, headers: as(session), ...('payload' in c ? { payload: c.payload } : {}) });
    out.push({ url: c.url, method: c.method, ok: c.ok, res });
  }
  return out;
}

/** Rows a marker left: comments (both APIs) and raised requests. */
async function rowsWith(marker: string): Promise<number> {
  const comments = await t.db.selectFrom('comments').select('id').where('body', 'like', `%${marker}`).execute();
  const requests = await t.db.selectFrom('requests').select('id').where('summary', 'like', `%${marker}`).execute();
  return comments.length + requests.length;
}

describe('revoking and granting back, each of the three ways', () => {
  for (const way of WAYS) {
    it(`R1, R2, R8: through the ${way}: no session is left when it answers, every earlier cookie gets 401 on its next request, and a grant revives none`, async () => {
      const cookies = [await loginCustomer(t.app, 'acme', 'alice@customer.test'), await loginCustomer(t.app, 'acme', 'alice@customer.test')];
      // the control: both cookies work for every call, reading and writing
      for (const s of cookies) {
        const marker = randomUUID();
        for (const r of await callAll(s, marker)) expect(r.res.statusCode, `${r.method} ${r.url}: ${r.res.body}`).toBe(r.ok);
        expect(await rowsWith(marker)).toBe(3);
      }
      expect(await sessionsOf()).toBeGreaterThanOrEqual(2);

      const revoke = await change('revoke', way);
      expect(revoke.statusCode).toBe(OK[way]);
      // R2: the very first look after the answer finds no session at all
      expect(await sessionsOf()).toBe(0);

      // R1: the next request with each earlier cookie is refused, whatever it asks for; writes leave nothing
      for (const s of cookies) {
        const marker = randomUUID();
        for (const r of await callAll(s, marker)) {
          expect(r.res.statusCode, `${r.method} ${r.url}`).toBe(401);
          expect(r.res.json()).toMatchObject({ errorMessages: [expect.any(String)], errors: {} });
        }
        expect(await rowsWith(marker)).toBe(0);
      }

      // R8: the grant brings none of them back; a new login is needed, and it works
      expect((await change('grant', way)).statusCode).toBe(OK[way]);
      expect(await statusOf()).toBe('active');
      for (const s of cookies) {
        for (const r of await callAll(s, randomUUID())) expect(r.res.statusCode, `${r.method} ${r.url}`).toBe(401);
      }
      expect(await sessionsOf()).toBe(0);
      const again = await loginCustomer(t.app, 'acme', 'alice@customer.test');
      expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/requests', headers: as(again) })).statusCode).toBe(200);
    });
  }

  it('R3: a status set to revoked (or deleted) directly in the database refuses the next request of an open session', async () => {
    const s = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    for (const status of ['revoked', 'deleted'] as const) {
      for (const r of await callAll(s, randomUUID())) expect(r.res.statusCode, `${r.method} ${r.url}`).toBe(r.ok);
      // nothing but the status column changes: the session row is still there
      await t.db.updateTable('accounts').set({ status }).where('account_id', '=', alice).execute();
      try {
        expect(await sessionsOf()).toBeGreaterThan(0);
        const marker = randomUUID();
        for (const r of await callAll(s, marker)) expect(r.res.statusCode, `${status}: ${r.method} ${r.url}`).toBe(401);
        expect(await rowsWith(marker)).toBe(0);
      } finally {
        await t.db.updateTable('accounts').set({ status: 'active' }).where('account_id', '=', alice).execute();
      }
    }
  });

  it('R9: revoking twice, then granting twice, each of the three ways: no error, the same state, one audit event each', async () => {
    const state = async () => {
      const row = await t.db.selectFrom('accounts').select(['status', 'revoked_at', 'revoked_by']).where('account_id', '=', alice).executeTakeFirstOrThrow();
      const terms = await t.db.selectFrom('account_search_terms').select('term').where('account_id', '=', alice).orderBy('term').execute();
      const tokens = await t.db.selectFrom('one_time_tokens').select(['id', 'invalidated_at']).where('account_id', '=', alice).orderBy('id').execute();
      return JSON.parse(JSON.stringify({ row, terms, tokens, sessions: await sessionsOf() }));
    };
    for (const first of WAYS) {
      for (const second of WAYS) {
        await loginCustomer(t.app, 'acme', 'alice@customer.test');
        const events = (await auditEventsOf()).length;
        for (const verb of ['revoke', 'grant'] as const) {
          const once = await change(verb, first);
          expect(once.statusCode).toBe(OK[first]);
          const after = await state();
          const twice = await change(verb, second);
          expect(twice.statusCode, `${verb} by ${first} then by ${second}: ${twice.body}`).toBe(OK[second]);
          if (second === 'admin API') expect(twice.json().changed).toBe(false);
          if (second === 'bulk action') expect(twice.json()).toMatchObject({ changed: 0, results: [{ outcome: 'unchanged' }] });
          expect(await state()).toEqual(after);
          expect(after.row.status).toBe(verb === 'revoke' ? 'revoked' : 'active');
        }
        const added = (await auditEventsOf()).slice(events);
        expect(added.map((e) => e.action), `${first} then ${second}`).toEqual(['customer.access.revoked', 'customer.access.granted']);
      }
    }
  });

  it('R11: every revoke and grant, each of the three ways, writes an audit event naming actor, target, action, time and address', async () => {
    for (const [i, way] of WAYS.entries()) {
      for (const verb of ['revoke', 'grant'] as const) {
        const address = `203.0.113.${10 + i * 2 + (verb === 'grant' ? 1 : 0)}`;
        const before = (await sql<{ now: Date }>`select now() as now`.execute(t.db)).rows[0].now;
        const res = await change(verb, way, alice, { remoteAddress: address, userAgent: `audit-test ${way}` });
        expect(res.statusCode).toBe(OK[way]);
        const after = (await sql<{ now: Date }>`select now() as now`.execute(t.db)).rows[0].now;
        const event = (await auditEventsOf()).at(-1)!;
        expect(event).toMatchObject({
          action: verb === 'revoke' ? 'customer.access.revoked' : 'customer.access.granted',
          actor_id: ada.accountId,
          target_id: alice,
          org_id: acmeOrgId,
          ip: address,
          user_agent: `audit-test ${way}`,
        });
        const at = new Date(event.created_at).getTime();
        expect(at).toBeGreaterThanOrEqual(new Date(before).getTime());
        expect(at).toBeLessThanOrEqual(new Date(after).getTime());
      }
    }
    // the org admin reads the same in the audit log
    const log = await t.app.inject({ method: 'GET', url: `/api/admin/orgs/${acmeOrgId}/audit-log?limit=6`, headers: as(ada) });
    expect(log.statusCode).toBe(200);
    const shown = log.json().values.map((e: any) => [e.action, e.actor.accountId, e.target.accountId, e.ip, typeof e.createdAt]);
    expect(shown).toEqual(
      [...WAYS.entries()].flatMap(([i]) => [
        ['customer.access.revoked', ada.accountId, alice, `203.0.113.${10 + i * 2}`, 'string'],
        ['customer.access.granted', ada.accountId, alice, `203.0.113.${11 + i * 2}`, 'string'],
      ]).reverse(),
    );
  });

  it('M3: a revoke that fails inside its transaction (the audit insert raises) leaves her fully active: sessions, picker, reset link, status', async () => {
    const s = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    const { password_hash: demoPasswordHash } = await t.db.selectFrom('accounts').select('password_hash').where('account_id', '=', alice).executeTakeFirstOrThrow();
    const resetToken = newSecret();
    await t.db
      .insertInto('one_time_tokens')
      .values({
        id: randomUUID(),
        token_hash: hashSecret(resetToken),
        account_id: alice,
        site_id: (await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).id,
        purpose: 'password_reset',
        expires_at: new Date(Date.now() + 3600_000),
      })
      .execute();
    const bob = await loginCustomer(t.app, 'acme', 'bob@customer.test');
    const pickerOffersAlice = async () => {
      const r = await t.app.inject({ method: 'GET', url: `/s/acme/api/users/picker?query=alice&projectId=${helpProjectId}`, headers: as(bob) });
      expect(r.statusCode).toBe(200);
      return r.json().users.some((u: any) => u.accountId === alice);
    };
    const snapshot = async () => ({
      account: await t.db.selectFrom('accounts').select(['status', 'revoked_at', 'revoked_by']).where('account_id', '=', alice).executeTakeFirstOrThrow(),
      sessions: await sessionsOf(),
      terms: (await t.db.selectFrom('account_search_terms').select('term').where('account_id', '=', alice).orderBy('term').execute()).map((r) => r.term),
      liveTokens: (await t.db.selectFrom('one_time_tokens').select('id').where('account_id', '=', alice).where('invalidated_at', 'is', null).where('used_at', 'is', null).execute()).length,
      events: (await auditEventsOf()).length,
    });
    const before = await snapshot();
    expect(before.account.status).toBe('active');
    expect(before.terms.length).toBeGreaterThan(0);
    expect(before.liveTokens).toBeGreaterThan(0);
    expect(await pickerOffersAlice()).toBe(true);

    await sql`CREATE FUNCTION portico_test_fail_revoke() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.action = 'customer.access.revoked' THEN RAISE EXCEPTION 'forced failure inside the revoke'; END IF;
        RETURN NEW;
      END $$`.execute(t.db);
    await sql`CREATE TRIGGER portico_test_fail_revoke BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION portico_test_fail_revoke()`.execute(t.db);
    try {
      for (const way of WAYS) {
        const r = await change('revoke', way);
        expect(r.statusCode, way).toBe(500);
        expect(r.json()).toMatchObject({ errorMessages: [expect.any(String)], errors: {} });
        expect(await snapshot(), way).toEqual(before);
        expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/requests', headers: as(s) })).statusCode, way).toBe(200);
        expect(await pickerOffersAlice(), way).toBe(true);
      }
    } finally {
      await sql`DROP TRIGGER portico_test_fail_revoke ON audit_events`.execute(t.db);
      await sql`DROP FUNCTION portico_test_fail_revoke()`.execute(t.db);
    }
    // her reset link still works (and, like any password change, ends her sessions)
    const reset = await t.app.inject({
      method: 'POST',
      url: '/s/acme/api/portal/password-reset/complete',
      payload: { token: resetToken, password: 'a new long passphrase' },
    });
    expect(reset.statusCode).toBe(204);
    const login = await loginCustomer(t.app, 'acme', 'alice@customer.test', 'a new long passphrase');
    expect((await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/session', headers: as(login) })).statusCode).toBe(200);
    await t.db.updateTable('accounts').set({ password_hash: demoPasswordHash }).where('account_id', '=', alice).execute();
    // the control: without the trigger the same revoke goes through
    expect((await change('revoke', 'admin API')).statusCode).toBe(200);
    expect(await statusOf()).toBe('revoked');
    expect((await change('grant', 'admin API')).statusCode).toBe(200);
  });

  it('P2: the first picker search after a revoke commits leaves her out, in every picker (help center, agent, REST)', async () => {
    const bob = await loginCustomer(t.app, 'acme', 'bob@customer.test');
    const sam = await loginStaff(t.app, 'agent@acme.test');
    const token = (await t.app.inject({ method: 'POST', url: '/api/profile/tokens', headers: as(ada), payload: { label: 'P2' } })).json().token as string;
    const pickers: Array<[string, () => Promise<LightMyRequestResponse>, (body: any) => string[]]> = [
      ['customer web picker', () => t.app.inject({ method: 'GET', url: `/s/acme/api/users/picker?query=ali&projectId=${helpProjectId}`, headers: as(bob) }), (b) => b.users.map((u: any) => u.accountId)],
      ['agent web picker', () => t.app.inject({ method: 'GET', url: '/s/acme/api/users/picker?query=ali&fieldKey=participants', headers: as(sam) }), (b) => b.users.map((u: any) => u.accountId)],
      ['REST user/picker', () => t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/user/picker?query=ali', headers: { authorization: `Bearer ${token}` } }), (b) => b.users.map((u: any) => u.accountId)],
      ['REST user/search', () => t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/user/search?query=ali', headers: { authorization: `Bearer ${token}` } }), (b) => b.map((u: any) => u.accountId)],
    ];
    for (const way of WAYS) {
      for (const [name, search, ids] of pickers) {
        const r = await search();
        expect(r.statusCode, name).toBe(200);
        expect(ids(r.json()), name).toContain(alice);
      }
      expect((await change('revoke', way)).statusCode).toBe(OK[way]);
      for (const [name, search, ids] of pickers) {
        const r = await search();
        expect(r.statusCode, name).toBe(200);
        expect(ids(r.json()), `${name} after a revoke through the ${way}`).not.toContain(alice);
      }
      expect((await change('grant', way)).statusCode).toBe(OK[way]);
    }
  });
});

/** Counts the queries that read the sessions table, by looking at each query's tables. */
describe('no cache of who may do what', () => {
  it('M2: every request re-reads the session and the account: one session read per request, and a status flipped in the database is felt by the very next request on the same instance', async () => {
    const counter = new StatementLog();
    const sessionReads = () => counter.reads('sessions');
    const app = await buildApp({ db: t.db.withPlugin(counter), mailer: createOutboxMailer(), config: t.config });
    await app.ready();
    try {
      const s = await loginCustomer(app, 'acme', 'alice@customer.test');
      const get = async (url: string) => {
        const before = sessionReads();
        const res = await app.inject({ method: 'GET', url, headers: as(s) });
        return { status: res.statusCode, sessionReads: sessionReads() - before };
      };
      // the same request five times: five reads, never an answer from memory
      for (let i = 0; i < 5; i++) expect(await get('/s/acme/api/portal/requests')).toEqual({ status: 200, sessionReads: 1 });
      for (const url of ['/s/acme/api/users/picker?query=bo', '/s/acme/rest/api/3/myself', '/s/acme/api/portal/requests/HELP-1']) {
        expect((await get(url)).sessionReads, url).toBeGreaterThanOrEqual(1);
      }
      // flip the status under the instance's feet, both ways: each answer follows the database
      for (const [status, expected] of [['revoked', 401], ['active', 200], ['revoked', 401], ['active', 200]] as const) {
        await t.db.updateTable('accounts').set({ status }).where('account_id', '=', alice).execute();
        expect((await get('/s/acme/api/portal/requests')).status, `after setting ${status}`).toBe(expected);
      }
    } finally {
      await t.db.updateTable('accounts').set({ status: 'active' }).where('account_id', '=', alice).execute();
      await app.close();
    }
  });
});
