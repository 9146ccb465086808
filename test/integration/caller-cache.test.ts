import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/db/demo.js';
import { CHANNEL, LEASE_MS } from '../../src/db/caller-cache.js';
import type { SessionPrincipal } from '../../src/db/queries/caller.js';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../support/db.js';
import { CachedInstances, type CachedInstance } from '../support/cached-instances.js';
import { accountIdOf, as, loginCustomer, loginStaff, type Session } from '../support/app.js';
import { changeAccess } from './kept-reads-helpers.js';

// docs/architecture.md, "The caller cache": an instance keeps who a token or a session is, so a
// credential in steady use costs no statement before the handler — and it is never stale (M2): a
// change that takes access away answers only after every instance dropped what it touched, and an
// instance that cannot hear changes stops using its cache.

let database: TestDatabase;
const instances = new CachedInstances(() => database);
const instance = () => instances.start();

beforeAll(async () => {
  database = await createTestDatabase(undefined, { demo: true });
  if (!database.hasDemo) await loadDemoData(database.db);
});

afterAll(async () => {
  await instances.close();
  await database?.close();
});

/**
 * One request to an instance: its status, how many statements it ran, and how many of them read
 * the caller (the caller statement names sessions or api_tokens: db/queries/caller.ts).
 */
async function counted(i: CachedInstance, method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) {
  const { result: res, ran } = await i.log.during(() => i.app.inject({ method, url, headers, payload: payload as never }));
  return { status: res.statusCode, statements: ran.length, callerReads: ran.filter((e) => e.tables.includes('sessions') || e.tables.includes('api_tokens')).length, res };
}

const session = (i: CachedInstance, s: Session) => counted(i, 'GET', '/s/acme/api/portal/session', as(s));

const revoke = (i: CachedInstance, admin: Session, accountId: string, verb: 'revoke' | 'grant' = 'revoke') => changeAccess(i, admin, accountId, verb);

describe(`the caller cache (${TEST_DB_KIND})`, () => {
  it('M2: a session in steady use asks nothing before its handler; revoking her answers only once she is dropped, and her very next request is refused', async () => {
    const a = await instance();
    const admin = await loginStaff(a.app, 'admin@acme.test');
    const alice = await loginCustomer(a.app, 'acme', 'alice@customer.test');
    expect((await session(a, alice)).callerReads, 'the first use reads the caller').toBeGreaterThanOrEqual(1);
    const kept = await session(a, alice);
    expect(kept.status).toBe(200);
    expect(kept.callerReads, 'a kept caller is not read again').toBe(0);
    const plain = await counted(a, 'GET', '/healthz', {});
    expect(plain.statements).toBe(0);

    await revoke(a, admin, alice.accountId);
    expect((await session(a, alice)).status).toBe(401);
    await revoke(a, admin, alice.accountId, 'grant');
  });

  it('M2: logging out and deleting an API token end the kept caller at once', async () => {
    const a = await instance();
    const sam = await loginStaff(a.app, 'agent@acme.test');
    const made = await a.app.inject({ method: 'POST', url: '/api/profile/tokens', headers: as(sam), payload: { label: 'cache test' } });
    expect(made.statusCode, made.body).toBeLessThan(300);
    const { id, token } = made.json() as { id: string; token: string };
    const basic = { authorization: `Basic ${Buffer.from(`agent@acme.test:${token}`).toString('base64')}` };
    await counted(a, 'GET', '/s/acme/rest/api/3/myself', basic);
    const byToken = await counted(a, 'GET', '/s/acme/rest/api/3/myself', basic);
    expect(byToken.status).toBe(200);
    expect(byToken.callerReads, 'a kept token is not read again').toBe(0);

    const gone = await a.app.inject({ method: 'DELETE', url: `/api/profile/tokens/${id}`, headers: as(sam) });
    expect(gone.statusCode, gone.body).toBeLessThan(300);
    expect((await counted(a, 'GET', '/s/acme/rest/api/3/myself', basic)).status).toBe(401);

    const bob = await loginCustomer(a.app, 'acme', 'bob@customer.test');
    await session(a, bob);
    expect((await session(a, bob)).status).toBe(200);
    const out = await a.app.inject({ method: 'POST', url: '/s/acme/api/portal/logout', headers: as(bob) });
    expect(out.statusCode, out.body).toBeLessThan(300);
    expect((await session(a, bob)).status).toBe(401);
  });

  it('M2: a change written straight to the database drops the kept caller when its notification is heard, and a read it overtook is not kept', async () => {
    const a = await instance();
    const bob = await loginCustomer(a.app, 'acme', 'bob@customer.test');
    await session(a, bob);
    expect((await session(a, bob)).callerReads).toBe(0);

    const ticket = a.callers.ticket();
    expect(ticket).not.toBeNull();
    await database.db.updateTable('accounts').set({ status: 'revoked' }).where('account_id', '=', bob.accountId).execute();
    await a.callers.settle();
    expect((await session(a, bob)).status).toBe(401);
    // a read that began before the change and answers after it is used once, never kept
    a.callers.put('overtaken', ticket!, bob.accountId, { accountId: bob.accountId } as SessionPrincipal, 60_000);
    expect(a.callers.get('overtaken')).toBeUndefined();
    await database.db.updateTable('accounts').set({ status: 'active' }).where('account_id', '=', bob.accountId).execute();
  });
});

describe.skipIf(TEST_DB_KIND !== 'postgres')('two instances with caller caches on one PostgreSQL database', () => {
  let a: CachedInstance;
  let b: CachedInstance;
  let admin: Session;
  let aliceId: string;

  beforeAll(async () => {
    a = await instance();
    b = await instance();
    admin = await loginStaff(a.app, 'admin@acme.test');
    aliceId = await accountIdOf(database.db, 'alice@customer.test', 'acme');
  });

  it('M1, M2: Alice kept by B is refused by B on her very next request after A revokes her, ten times over', async () => {
    for (let round = 0; round < 10; round++) {
      const alice = await loginCustomer(b.app, 'acme', 'alice@customer.test');
      await session(b, alice);
      const kept = await session(b, alice);
      expect(kept.status).toBe(200);
      expect(kept.callerReads, `round ${round}: kept on B`).toBe(0);
      try {
        await revoke(a, admin, aliceId);
        expect((await session(b, alice)).status, `round ${round}: B after A's revoke`).toBe(401);
      } finally {
        await revoke(a, admin, aliceId, 'grant');
      }
    }
  });

  it('M2: changes that settle at once share barriers (ten at once send two), and each still answers only after B dropped what it touched', async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    const barriers: string[] = [];
    listener.on('notification', (m) => {
      if (m.payload?.startsWith(`barrier ${a.callers.instanceId} `)) barriers.push(m.payload);
    });
    await listener.query(`LISTEN ${CHANNEL}`);
    const customers = await Promise.all(['alice', 'bob', 'carol'].map((name) => loginCustomer(b.app, 'acme', `${name}@customer.test`)));
    try {
      for (const c of customers) {
        await session(b, c);
        expect((await session(b, c)).callerReads, 'kept on B').toBe(0);
      }
      // ten calls in one moment: the first sends its barrier, the nine after it share the next
      const started = performance.now();
      await Promise.all(Array.from({ length: 10 }, () => a.callers.settle()));
      expect(performance.now() - started, 'B acknowledged both: no call waited out the lease').toBeLessThan(LEASE_MS / 2);
      await new Promise((r) => setTimeout(r, 100)); // the listener hears what A sent
      expect(barriers.length).toBe(2);
      // three revokes written straight to the database, each settling as soon as it commits
      await Promise.all(
        customers.map(async (c) => {
          await database.db.updateTable('accounts').set({ status: 'revoked' }).where('account_id', '=', c.accountId).execute();
          await a.callers.settle();
          expect((await session(b, c)).status, 'B right after her change settled').toBe(401);
        }),
      );
    } finally {
      await database.db.updateTable('accounts').set({ status: 'active' }).where('account_id', 'in', customers.map((c) => c.accountId)).execute();
      await a.callers.settle();
      await listener.end();
    }
  });

  it('M2: when B cannot hear changes (its listening connection stuck behind a lock), A\'s revoke waits for B until B\'s cache has lapsed, and B refuses her next request', async () => {
    const alice = await loginCustomer(b.app, 'acme', 'alice@customer.test');
    await session(b, alice);
    expect((await session(b, alice)).callerReads).toBe(0);
    // Each instance's ping renews its lease row: hold B's row, and B's next ping waits on the lock,
    // and with it everything B's listening connection would hear. A is not held up.
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM principal_cache_instances WHERE instance_id = $1 FOR UPDATE', [b.callers.instanceId]);
      await new Promise((r) => setTimeout(r, 300)); // B's next ping is now stuck
      const started = performance.now();
      await revoke(a, admin, aliceId);
      const took = performance.now() - started;
      expect(took, 'A waited for B, which could not answer').toBeGreaterThan(LEASE_MS / 2);
      expect(took, 'and no longer than the lease').toBeLessThan(LEASE_MS + 1500);
      expect(b.callers.usable(), 'B knows it may not trust its cache').toBe(false);
      expect((await session(b, alice)).status, 'B after the revoke').toBe(401);
    } finally {
      await blocker.query('ROLLBACK').catch(() => {});
      await blocker.end();
      await revoke(a, admin, aliceId, 'grant');
    }
    for (let i = 0; i < 150 && !b.callers.usable(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(b.callers.usable(), 'B trusts its cache again once it hears its pings').toBe(true);
  });

  it('M2: when B\'s listening connection is cut, B drops its cache, and A\'s revoke refuses B\'s next request', async () => {
    const alice = await loginCustomer(b.app, 'acme', 'alice@customer.test');
    await session(b, alice);
    expect((await session(b, alice)).status).toBe(200);
    try {
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ${`portico callers ${b.callers.instanceId}`}`.execute(database.db);
      await revoke(a, admin, aliceId);
      expect((await session(b, alice)).status).toBe(401);
    } finally {
      await revoke(a, admin, aliceId, 'grant');
    }
    for (let i = 0; i < 150 && !b.callers.usable(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(b.callers.usable(), 'B listens again').toBe(true);
  });
});
