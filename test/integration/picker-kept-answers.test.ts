import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { TEST_DB_KIND } from '../support/db.js';
import type { CachedInstance } from '../support/cached-instances.js';
import { loginStaff, type Session } from '../support/app.js';
import { changeAccess, keptReadsDemo } from './kept-reads-helpers.js';
import { newCustomerAccountId } from '../../src/db/queries/customers.js';

// docs/architecture.md, "Kept picker answers": an instance that hears every change to what the user
// picker reads (its caller cache's notices; migrations 20261207T1000_look_up_notices and
// 20261207T1100_picker_notices) answers the same picker search again from memory while no such
// change of its site has been heard. That is safe only if every change is heard before anyone can
// ask again: a change made through the app answers after every instance heard it, a change written
// straight to the database is heard at its commit, and an instance that cannot hear reads every time.

const demo = keptReadsDemo();
const { instance } = demo;

/** One REST picker search on an instance: whom it offered, its total, and how many statements it ran (and read the picker). */
async function pick(i: CachedInstance, query: string, extra = '') {
  const { result: res, ran } = await i.log.during(() => i.app.inject({ method: 'GET', url: `/s/acme/rest/api/3/user/picker?query=${encodeURIComponent(query)}${extra}`, headers: demo.ada }));
  const body = res.json() as { users?: Array<{ accountId: string }>; total?: number };
  return {
    status: res.statusCode,
    ids: (body.users ?? []).map((u) => u.accountId),
    total: body.total,
    statements: ran.length,
    reads: ran.filter((e) => e.functions.includes('portico_pick_users')).length,
  };
}

/** A search asked twice: kept from its second ask on (the doorkeeper), its answer then. */
async function keep(i: CachedInstance, query: string, extra = '') {
  await pick(i, query, extra);
  return pick(i, query, extra);
}

const access = (i: CachedInstance, admin: Session, verb: 'revoke' | 'grant') => changeAccess(i, admin, demo.aliceId, verb);

const staffId = async (email: string) =>
  (await demo.database.db.selectFrom('accounts').select('account_id').where('kind', '=', 'staff').where('email_lower', '=', email).executeTakeFirstOrThrow()).account_id;

/** Renames a staff account in the database; `announced: false` with the triggers off for that transaction, so no notice goes out. */
async function renameStaff(accountId: string, name: string, { announced }: { announced: boolean }) {
  await demo.database.db.transaction().execute(async (trx) => {
    if (!announced) await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await trx.updateTable('accounts').set({ display_name: name, sort_name: name.toLowerCase() }).where('account_id', '=', accountId).execute();
  });
}

describe(`kept picker answers vouched for by the instance's notices (${TEST_DB_KIND})`, () => {
  it('a search asked again is kept from then on and read no more; another query, page or exclusion reads', async () => {
    const a = await instance();
    const first = await pick(a, 'ali');
    expect(first).toMatchObject({ status: 200, reads: 1 });
    expect(first.ids).toContain(demo.aliceId);
    // the doorkeeper: a first ask is only remembered; the second reads again and keeps its answer
    expect(await pick(a, 'ali')).toMatchObject({ status: 200, ids: first.ids, total: first.total, reads: 1 });
    expect(await pick(a, 'ali')).toMatchObject({ status: 200, ids: first.ids, total: first.total, statements: 0 });
    expect(await pick(a, 'ALI')).toMatchObject({ ids: first.ids, statements: 0 }); // the same words
    expect((await pick(a, 'al')).reads).toBe(1);
    expect((await pick(a, 'ali', '&maxResults=1')).reads).toBe(1);
    const without = await pick(a, 'ali', `&excludeAccountIds=${demo.aliceId}`);
    expect(without.reads).toBe(1);
    expect(without.ids).not.toContain(demo.aliceId);
    expect((await pick(a, 'ali')).statements).toBe(0);
  });

  it('searches asked once are not kept: a thousand of them leave the kept answers as they were, and any of them asked again is kept', async () => {
    const a = await instance();
    await keep(a, 'ali');
    const once = Array.from({ length: 1000 }, (_, n) => `&excludeAccountIds=nobody-${n}`);
    for (const extra of once) expect((await pick(a, 'car', extra)).reads).toBe(1);
    // had they been kept, the thousand would have pushed the first search out of the last 1,000 answers
    expect((await pick(a, 'ali')).statements).toBe(0);
    // (an ask the doorkeeper forgot, its slot taken by a later search, reads once more before it is kept)
    for (const extra of once.slice(0, 3)) await keep(a, 'car', extra);
    for (const extra of once.slice(0, 3)) expect((await pick(a, 'car', extra)).statements, extra).toBe(0);
  });

  it('P2, M2: revoking a customer through the admin console: the very next picker search no longer offers her, and a grant offers her again', async () => {
    const a = await instance();
    const admin = await loginStaff(a.app, 'admin@acme.test');
    const before = await keep(a, 'alice');
    expect(before.ids).toContain(demo.aliceId);
    expect((await pick(a, 'alice')).statements).toBe(0); // kept and vouched for
    await access(a, admin, 'revoke');
    try {
      const after = await pick(a, 'alice');
      expect(after).toMatchObject({ status: 200, reads: 1 });
      expect(after.ids).not.toContain(demo.aliceId);
      expect(after.total).toBe(before.total! - 1);
    } finally {
      await access(a, admin, 'grant');
    }
    expect(await pick(a, 'alice')).toMatchObject({ status: 200, ids: before.ids, total: before.total, reads: 1 });
  });

  it('a change to the search terms written straight to the database is heard at its commit: the next search reads again', async () => {
    const a = await instance();
    const before = await keep(a, 'alice');
    expect(before.ids).toContain(demo.aliceId);
    expect((await pick(a, 'alice')).statements).toBe(0);
    const terms = await demo.database.db.selectFrom('account_search_terms').selectAll().where('account_id', '=', demo.aliceId).execute();
    expect(terms.length).toBeGreaterThan(0);
    // only the terms: the account itself is untouched, so only the terms' own notice can tell
    await demo.database.db.deleteFrom('account_search_terms').where('account_id', '=', demo.aliceId).execute();
    try {
      await a.callers.settle(); // heard by then
      const gone = await pick(a, 'alice');
      expect(gone.reads).toBe(1);
      expect(gone.ids).not.toContain(demo.aliceId);
    } finally {
      await demo.database.db.insertInto('account_search_terms').values(terms.map((t) => ({ ...t, words: '' }))).execute();
    }
    await a.callers.settle();
    expect(await pick(a, 'alice')).toMatchObject({ ids: before.ids, reads: 1 });
    // an update of a term (no code of the app makes one; a hand-made fix might) is heard too
    expect((await pick(a, 'alice')).statements).toBe(0);
    const [term] = terms;
    const renamed = { sort_name: 'aaa first in the picker' };
    await demo.database.db.updateTable('account_search_terms').set(renamed).where('account_id', '=', demo.aliceId).where('term', '=', term.term).execute();
    try {
      await a.callers.settle();
      expect((await pick(a, 'alice')).reads).toBe(1);
    } finally {
      await demo.database.db.updateTable('account_search_terms').set({ sort_name: term.sort_name }).where('account_id', '=', demo.aliceId).where('term', '=', term.term).execute();
    }
  });

  it("a change of another site keeps the answer; a new customer of the site is offered by the very next search", async () => {
    const a = await instance();
    const before = await keep(a, 'notice');
    expect(before.ids).toEqual([]);
    expect((await pick(a, 'notice')).statements).toBe(0);
    const add = async (siteId: string, n: number) => {
      const accountId = newCustomerAccountId();
      await demo.database.db.insertInto('accounts').values({ account_id: accountId, kind: 'customer', site_id: siteId, email: `notice${n}@customer.test`, email_lower: `notice${n}@customer.test`, display_name: `Notice ${n}` }).execute();
      await demo.database.db.insertInto('account_search_terms').values([`notice${n}@customer.test`, 'notice', `${n}`].map((term) => ({ site_id: siteId, term, account_id: accountId, sort_name: `notice ${n}` }))).execute();
      return accountId;
    };
    try {
      await add(demo.globexId, 1);
      await a.callers.settle();
      expect(await pick(a, 'notice')).toMatchObject({ ids: [], statements: 0 });
      const added = await add(demo.acmeId, 2);
      await a.callers.settle();
      expect(await pick(a, 'notice')).toMatchObject({ ids: [added], reads: 1 });
    } finally {
      await demo.database.db.deleteFrom('account_search_terms').where('term', '=', 'notice').execute();
      await demo.database.db.deleteFrom('accounts').where('email_lower', 'like', 'notice%@customer.test').execute();
    }
  });

  it("the organization's staff are kept too: a search of new words matches the kept staff, and a change of a staff account is heard", async () => {
    const a = await instance();
    const sam = await staffId('agent@acme.test');
    expect((await pick(a, 'ada')).reads).toBe(1); // no exclusion: the staff are read whole, and kept
    // Sam renamed with nothing announced (the triggers off for that one transaction), as no code of
    // Portico ever writes: only keeping explains a search finding him by the old name afterwards
    await renameStaff(sam, 'Zed Quiet', { announced: false });
    try {
      const bySam = await pick(a, 'sam');
      expect(bySam.reads).toBe(1); // the customers are read; the staff are the kept ones
      expect(bySam.ids).toContain(sam);
      expect((await pick(a, 'zed')).ids).not.toContain(sam);
      expect((await pick(a, 'sam', `&excludeAccountIds=${sam}`)).ids).not.toContain(sam);
      // a rename written as anything writes it is announced ("l *": a staff account), heard, and the next search matches the new name
      await renameStaff(sam, 'Zed Loud', { announced: true });
      await a.callers.settle();
      expect((await pick(a, 'zed')).ids).toContain(sam);
      expect((await pick(a, 'loud')).ids).toContain(sam);
      expect((await pick(a, 'quiet')).ids).not.toContain(sam);
      // the sort name alone, the name the match reads, changed as a hand-made fix might: heard too
      await demo.database.db.updateTable('accounts').set({ sort_name: 'pat loud' }).where('account_id', '=', sam).execute();
      await a.callers.settle();
      expect((await pick(a, 'pat')).ids).toContain(sam);
    } finally {
      await renameStaff(sam, 'Sam Agent', { announced: true });
      await a.callers.settle();
    }
    expect((await pick(a, 'sam a')).ids).toContain(sam);
  });

  it("a first search that excludes someone keeps the staff too: all of them are read beside it, none left out, and its own answer is the statement's", async () => {
    const a = await instance();
    const deaf = await instance();
    await deaf.callers.close(); // matches the staff in its statement every time
    const sam = await staffId('agent@acme.test');
    const ada = await staffId('admin@acme.test');
    // the first search of the site excludes Ada: the staff (Ada among them) are read by a call of their own
    const first = await pick(a, 'a', `&excludeAccountIds=${ada}`);
    expect(first).toMatchObject({ status: 200, reads: 2 });
    expect(first.ids).not.toContain(ada);
    const read = await pick(deaf, 'a', `&excludeAccountIds=${ada}`);
    expect(first.ids).toEqual(read.ids);
    expect(first.total).toBe(read.total);
    // renamed with nothing announced: only the kept staff explain finding Sam by his old name
    await renameStaff(sam, 'Zed Quiet', { announced: false });
    try {
      const bySam = await pick(a, 'sam', `&excludeAccountIds=${ada}`);
      expect(bySam.reads).toBe(1); // the customers only
      expect(bySam.ids).toContain(sam);
      // Ada was left out of the first answer, not out of what was kept
      expect((await pick(a, 'ada')).ids).toContain(ada);
      expect((await pick(a, 'zed')).ids).not.toContain(sam);
    } finally {
      await renameStaff(sam, 'Sam Agent', { announced: true });
      await a.callers.settle();
    }
  });

  it('the kept staff are matched as the statement matches them — every prefix of every word, two words, exclusions — on an instance that keeps and one that cannot', async () => {
    const keeps = await instance();
    const reads = await instance();
    await reads.callers.close(); // deaf: matches the staff in its statement every time
    // a name whose later words start no word of the email, so each way of matching is needed somewhere
    const sam = await staffId('agent@acme.test');
    await renameStaff(sam, 'Samuel Quincy Rhodes', { announced: true });
    try {
      const staff = await demo.database.db.selectFrom('accounts').select(['account_id', 'email_lower', 'sort_name']).where('kind', '=', 'staff').execute();
      const queries = new Set(['zz', 'agent@acme', 'sam a', 'a s', 'admin ada', 'rhodes samuel', 'quincy agent', 'sid s', 'orgadmin greta', '@', 'test']);
      for (const s of staff) {
        for (const word of [s.email_lower!, ...s.sort_name!.split(' ')]) for (let n = 1; n <= word.length; n += 2) queries.add(word.slice(0, n));
      }
      await keeps.callers.settle();
      expect(await pick(keeps, 'ada')).toMatchObject({ status: 200 }); // the staff kept from here on
      for (const q of queries) {
        for (const extra of ['', `&excludeAccountIds=${staff[0].account_id}`]) {
          const [kept, read] = [await pick(keeps, q, extra), await pick(reads, q, extra)];
          expect(kept.ids, `"${q}"${extra}`).toEqual(read.ids);
          expect(kept.total, `"${q}"${extra}`).toBe(read.total);
        }
      }
      expect((await pick(keeps, 'rhodes')).ids).toContain(sam);
    } finally {
      await renameStaff(sam, 'Sam Agent', { announced: true });
      await keeps.callers.settle();
    }
  });

  it('an instance that can no longer hear changes reads every picker search, and finds what the database says', async () => {
    const a = await instance();
    const kept = await keep(a, 'alice');
    expect((await pick(a, 'alice')).statements).toBe(0);
    await a.callers.close(); // deaf: as when its listening connection is lost
    expect(await pick(a, 'alice')).toMatchObject({ ids: kept.ids, reads: 1 });
    await demo.database.db.updateTable('accounts').set({ status: 'revoked' }).where('account_id', '=', demo.aliceId).execute();
    try {
      const revoked = await pick(a, 'alice');
      expect(revoked.reads).toBe(1);
      expect(revoked.ids).not.toContain(demo.aliceId);
    } finally {
      await demo.database.db.updateTable('accounts').set({ status: 'active' }).where('account_id', '=', demo.aliceId).execute();
    }
  });
});

describe.skipIf(TEST_DB_KIND !== 'postgres')('kept picker answers on two instances of one PostgreSQL database', () => {
  it("P2, M2: B keeps a picker search for her; A revokes her: B's very next search does not offer her, and after A grants her again B does, three times over", async () => {
    const a = await instance();
    const b = await instance();
    const admin = await loginStaff(a.app, 'admin@acme.test');
    for (let round = 0; round < 3; round++) {
      const before = await keep(b, 'alice');
      expect(before.ids, `round ${round}`).toContain(demo.aliceId);
      expect((await pick(b, 'alice')).statements, `round ${round}: kept on B`).toBe(0);
      await access(a, admin, 'revoke');
      try {
        expect((await pick(b, 'alice')).ids, `round ${round}: B after A's revoke`).not.toContain(demo.aliceId);
      } finally {
        await access(a, admin, 'grant');
      }
      expect(await pick(b, 'alice'), `round ${round}: B after A's grant`).toMatchObject({ status: 200, ids: before.ids });
    }
  });
});
