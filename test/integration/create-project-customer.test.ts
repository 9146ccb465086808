import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../support/app.js';
import { agentSession, type AgentTestSession } from './agent-sessions.js';

// "Create customer" on a project's customers page creates the account AND adds it to the project in
// one transaction: either both happen (with both audit events) or neither does.

let t: TestApp;
let sam: AgentTestSession; // agent on HELP (acme)

beforeAll(async () => {
  t = await createTestApp();
  sam = await agentSession(t, 'agent@acme.test');
});
afterAll(() => t?.close());

const create = (displayName: string, email: string) =>
  t.app.inject({ method: 'POST', url: '/s/acme/api/agent/projects/HELP/customers/new', payload: { displayName, email }, headers: sam.headers });

/** Everything "Create customer" writes for an email on acme: the account, its picker terms, its HELP membership, its audit events. */
async function tracesOf(email: string) {
  const accounts = await t.db
    .selectFrom('accounts as a')
    .innerJoin('sites as s', 's.id', 'a.site_id')
    .select('a.account_id')
    .where('s.slug', '=', 'acme')
    .where('a.email_lower', '=', email.toLowerCase())
    .execute();
  const ids = accounts.map((a) => a.account_id);
  if (ids.length === 0) return { accounts: 0, searchTerms: 0, memberships: [] as string[], audit: [] as string[] };
  const searchTerms = await t.db.selectFrom('account_search_terms').select('account_id').where('account_id', 'in', ids).execute();
  const memberships = await t.db
    .selectFrom('project_customers as pc')
    .innerJoin('projects as p', 'p.id', 'pc.project_id')
    .select('p.key')
    .where('pc.account_id', 'in', ids)
    .execute();
  const audit = await t.db.selectFrom('audit_events').select('action').where('target_id', 'in', ids).orderBy('id').execute();
  return { accounts: ids.length, searchTerms: searchTerms.length, memberships: memberships.map((m) => m.key), audit: audit.map((a) => a.action) };
}

async function countAll() {
  const [accounts, memberships, audit] = await Promise.all([
    t.db.selectFrom('accounts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    t.db.selectFrom('project_customers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    t.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { accounts: Number(accounts.n), memberships: Number(memberships.n), audit: Number(audit.n) };
}

describe('Create customer on a project', () => {
  it('creates the account and adds it to the project, with both audit events', async () => {
    const res = await create('Hedy Lamarr', 'hedy@customer.test');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ label: 'Hedy Lamarr', email: 'hedy@customer.test', statusLabel: 'Active' });
    const traces = await tracesOf('hedy@customer.test');
    expect(traces.accounts).toBe(1);
    expect(traces.searchTerms).toBeGreaterThan(0);
    expect(traces.memberships).toEqual(['HELP']);
    expect(traces.audit).toEqual(['customer.created', 'project.customer.added']);
  });

  it('writes nothing when the email is already taken on the site, whatever its case', async () => {
    const before = await countAll();
    const dup = await create('Hedy Again', 'HEDY@customer.test');
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors).toHaveProperty('email');
    expect(await countAll()).toEqual(before);
    // an existing (here revoked) customer of the site counts too
    const dave = await create('Dave Again', 'dave@customer.test');
    expect(dave.statusCode).toBe(400);
    expect(await countAll()).toEqual(before);
  });

  it('rolls the created account back when adding it to the project fails', async () => {
    // No product path fails the add once the project and the agent's right to work it were checked
    // (both come first), so the database itself refuses the membership row of this one email.
    await sql`
      CREATE FUNCTION test_refuse_membership() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM accounts WHERE account_id = NEW.account_id AND email_lower = 'lise@customer.test') THEN
          RAISE EXCEPTION 'membership refused by the test';
        END IF;
        RETURN NEW;
      END $$`.execute(t.db);
    await sql`CREATE TRIGGER test_refuse_membership BEFORE INSERT ON project_customers FOR EACH ROW EXECUTE FUNCTION test_refuse_membership()`.execute(t.db);
    try {
      const before = await countAll();
      const failed = await create('Lise Meitner', 'lise@customer.test');
      expect(failed.statusCode).toBe(500);
      expect(await tracesOf('lise@customer.test')).toEqual({ accounts: 0, searchTerms: 0, memberships: [], audit: [] });
      expect(await countAll()).toEqual(before);
      // the trigger refuses only her: others are still created and added
      expect((await create('Emmy Noether', 'emmy@customer.test')).statusCode).toBe(201);
      expect((await tracesOf('emmy@customer.test')).memberships).toEqual(['HELP']);
    } finally {
      await sql`DROP TRIGGER test_refuse_membership ON project_customers`.execute(t.db);
      await sql`DROP FUNCTION test_refuse_membership()`.execute(t.db);
    }
    // nothing of the failed attempt is left to collide with: the same email now goes through
    const retry = await create('Lise Meitner', 'lise@customer.test');
    expect(retry.statusCode, retry.body).toBe(201);
    expect(await tracesOf('lise@customer.test')).toMatchObject({ accounts: 1, memberships: ['HELP'], audit: ['customer.created', 'project.customer.added'] });
  });
});
