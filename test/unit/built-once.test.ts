import { describe, expect, it } from 'vitest';
import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql, type CompiledQuery, type DatabaseConnection, type Driver } from 'kysely';
import { builtOnce } from '../../src/db/built-once.js';

// docs/architecture.md, "Statements built once": a statement whose text never changes is built by
// Kysely once per database handle, and each call runs it with its own values in place.

interface Db {
  accounts: { account_id: string; site_id: string; status: string; revoked_at: Date | null; revoke_reason: string | null };
}

/** A Kysely on a driver that keeps what it was asked to run and answers no rows: no database needed to see the statements. */
function recordingDb() {
  const ran: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    async executeQuery(query) {
      ran.push(query);
      return { rows: [] };
    },
    async *streamQuery() {},
  };
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      return connection;
    },
    async beginTransaction() {},
    async commitTransaction() {},
    async rollbackTransaction() {},
    async releaseConnection() {},
    async destroy() {},
  };
  const db = new Kysely<Db>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { db, ran };
}

type RevokeValues = { siteId: string; accountId: string; now: Date; reason: string | null; action: string; details: string };

/** The statement as Kysely builds it with the values themselves, for comparison. */
function revokeBuilder(db: Kysely<Db>, v: RevokeValues) {
  return db
    .updateTable('accounts')
    .set({ status: 'revoked', revoked_at: v.now, revoke_reason: v.reason })
    .where('site_id', '=', v.siteId)
    .where('account_id', 'in', [v.accountId])
    .where('status', '=', 'active')
    .where(sql<boolean>`${v.action}::text IS NOT NULL AND ${v.details}::jsonb IS NOT NULL AND account_id <> ${v.accountId}`)
    .returning(['account_id']);
}

describe('a statement built once', () => {
  it('is built once per database handle, and every call runs it with its own values where the placeholders were', async () => {
    const { db, ran } = recordingDb();
    let builds = 0;
    const revoke = builtOnce((k: Kysely<Db>, v: RevokeValues) => {
      builds++;
      return revokeBuilder(k, v);
    });
    const calls: RevokeValues[] = [
      { siteId: 'site-1', accountId: 'qm:1', now: new Date('2026-12-01T00:00:00Z'), reason: 'left the company', action: 'customer.access.revoked', details: '{"reason":"left"}' },
      { siteId: 'site-2', accountId: 'qm:2', now: new Date('2026-12-02T00:00:00Z'), reason: null, action: 'other', details: '{}' },
      { siteId: 'site-3', accountId: 'qm:3', now: new Date('2026-12-03T00:00:00Z'), reason: 'x', action: 'a', details: '[]' },
    ];
    for (const values of calls) await revoke(db, values);
    expect(builds).toBe(1);
    expect(ran).toHaveLength(3);
    calls.forEach((values, i) => {
      const expected = revokeBuilder(db, values).compile();
      expect(ran[i].sql).toBe(expected.sql);
      // the same values, the same objects (a date stays a date), in the same places; the constant 'revoked' and 'active' kept
      expect(ran[i].parameters).toEqual(expected.parameters);
      expect(ran[i].parameters).toContain(values.now);
      expect(ran[i].parameters).toContain('active');
    });
    // another handle builds its own
    const other = recordingDb();
    await revoke(other.db, calls[0]);
    expect(builds).toBe(2);
    expect(other.ran[0].parameters).toEqual(revokeBuilder(other.db, calls[0]).compile().parameters);
  });

  it('refuses a value that reached the statement changed, a value it does not take as a parameter, and an array', async () => {
    const { db } = recordingDb();
    const changed = builtOnce((k: Kysely<Db>, v: { details: Record<string, string> | string }) =>
      k.selectFrom('accounts').select('account_id').where(sql<boolean>`${JSON.stringify({ wrapped: v.details })}::jsonb IS NOT NULL`),
    );
    await expect(changed(db, { details: 'x' })).rejects.toThrow(/changed on its way/);

    // a branch on a value shapes the text: the value is then no parameter at all
    const shaped = builtOnce((k: Kysely<Db>, v: { siteId: string; reason: string | null }) => {
      const q = k.selectFrom('accounts').select('account_id').where('site_id', '=', v.siteId);
      return v.reason === 'never' ? q.where('revoke_reason', '=', v.reason) : q;
    });
    await expect(shaped(db, { siteId: 's', reason: null })).rejects.toThrow(/does not take 'reason'/);

    const listed = builtOnce((k: Kysely<Db>, v: { ids: string[] }) => k.selectFrom('accounts').select('account_id').where('account_id', 'in', v.ids));
    await expect(listed(db, { ids: ['a', 'b'] })).rejects.toThrow(/no array \('ids'\)/);
  });
});
