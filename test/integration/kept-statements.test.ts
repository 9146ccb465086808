import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { sql } from 'kysely';
import { listenToKeptStatements, PgliteStatements } from '../../src/db/pglite-statements.js';
import { keepStatements } from '../../src/db/postgres-statements.js';
import { createBarePglite, createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../support/db.js';

// Kept statements (docs/architecture.md, "Kept plans"): each SQL text is parsed once per connection
// and its plan kept by PostgreSQL; a bounded number per connection; a plan that no longer fits its
// table (a migration changed the columns) is prepared again. Read from pg_prepared_statements, the
// server's own list of a session's prepared statements, on PGlite and on the PostgreSQL server.

interface Runner {
  /** runs a statement with parameters the way the app's queries run */
  run(sql: string, values: unknown[]): Promise<Array<Record<string, unknown>>>;
  /** runs SQL outside the kept statements (DDL, and reading pg_prepared_statements) */
  raw(sql: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

const CAPACITY = 3;

async function openRunner(): Promise<{ runner: Runner; database?: TestDatabase; described?: () => number }> {
  if (TEST_DB_KIND === 'pglite') {
    const pglite = await createBarePglite({ parsers: { 20: (v: string) => v } });
    const statements = new PgliteStatements(pglite, CAPACITY);
    return {
      runner: {
        run: async (sql, values) => (await statements.execute<Record<string, unknown>>(sql, values, false)).rows,
        raw: async (sql) => (await pglite.query<Record<string, unknown>>(sql)).rows,
        close: () => pglite.close(),
      },
    };
  }
  const database = await createTestDatabase('postgres');
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const kept = keepStatements(client, CAPACITY);
  let rowDescriptions = 0;
  (client as unknown as { connection: { on(event: string, listener: () => void): void } }).connection.on('rowDescription', () => rowDescriptions++);
  return {
    database,
    described: () => rowDescriptions,
    runner: {
      run: async (sql, values) => (await kept.query(sql, values)).rows,
      raw: async (sql) => (await client.query(sql)).rows,
      close: async () => {
        await client.end();
        await database.close();
      },
    },
  };
}

let runner: Runner;
/** on the server, how many RowDescription messages the connection has received */
let described: (() => number) | undefined;
beforeAll(async () => {
  ({ runner, described } = await openRunner());
  await runner.raw('CREATE TABLE kept_things (id int PRIMARY KEY, name text)');
  await runner.raw("INSERT INTO kept_things SELECT i, 'thing ' || i FROM generate_series(1, 20) AS i");
});
afterAll(() => runner?.close());

const prepared = async () =>
  (await runner.raw('SELECT statement, generic_plans + custom_plans AS plans FROM pg_prepared_statements ORDER BY prepare_time'))
    .map((r) => ({ statement: String(r.statement), plans: Number(r.plans) }));

describe(`kept statements (${TEST_DB_KIND})`, () => {
  it('a statement run ten times is prepared once, its plan used for each call, and answers as a fresh one would', async () => {
    const sql = 'SELECT id, name FROM kept_things WHERE id = $1';
    for (let i = 1; i <= 10; i++) expect(await runner.run(sql, [i])).toEqual([{ id: i, name: `thing ${i}` }]);
    const mine = (await prepared()).filter((p) => p.statement === sql);
    expect(mine).toHaveLength(1);
    expect(mine[0].plans).toBe(10);
  });

  it(`keeps at most ${CAPACITY} statements, closing the least recently used`, async () => {
    const texts = [1, 2, 3, 4, 5].map((n) => `SELECT id FROM kept_things WHERE id = $1 AND ${n} = ${n}`);
    for (const sql of texts) expect(await runner.run(sql, [7])).toEqual([{ id: 7 }]);
    // the first is used again: it is the most recent now, and stays through the next new one
    await runner.run(texts[2], [7]);
    await runner.run('SELECT count(*)::int AS n FROM kept_things WHERE id > $1', [0]);
    // a statement is closed when the next one is prepared: at most one more than the capacity is open
    const open = (await prepared()).map((p) => p.statement);
    expect(open.length).toBeLessThanOrEqual(CAPACITY + 1);
    expect(open).toContain(texts[2]);
    expect(open).not.toContain(texts[0]);
    expect(open).not.toContain(texts[1]);
  });

  it('a kept SELECT * is prepared again after a migration adds a column, and answers with it', async () => {
    const sql = 'SELECT * FROM kept_things WHERE id = $1';
    expect(await runner.run(sql, [3])).toEqual([{ id: 3, name: 'thing 3' }]);
    await runner.raw("ALTER TABLE kept_things ADD COLUMN colour text NOT NULL DEFAULT 'blue'");
    expect(await runner.run(sql, [3])).toEqual([{ id: 3, name: 'thing 3', colour: 'blue' }]);
  });

  it('a kept statement on the server has its columns described on its first execution only, and every row answers as a fresh query would', async () => {
    if (!described) return; // PGlite: no wire protocol between the app and the database
    const sql = 'SELECT id, name, $2::text AS asked, now() > $3::timestamptz AS later FROM kept_things WHERE id <= $1 ORDER BY id';
    const before = described();
    for (let i = 1; i <= 6; i++) {
      const rows = await runner.run(sql, [i, `ask ${i}`, new Date(0)]);
      expect(rows).toEqual(Array.from({ length: i }, (_, n) => ({ id: n + 1, name: `thing ${n + 1}`, asked: `ask ${i}`, later: true })));
    }
    expect(described() - before).toBe(1);
    // a value that cannot be bound fails its query only; the next execution answers
    await expect(runner.run(sql, [1, { toPostgres: () => { throw new Error('unbindable'); } }, new Date(0)])).rejects.toThrow('unbindable');
    expect(await runner.run(sql, [1, 'after', new Date(0)])).toEqual([{ id: 1, name: 'thing 1', asked: 'after', later: true }]);
  });

  it('an error in a kept statement leaves the connection working, and the statement too', async () => {
    const sql = 'INSERT INTO kept_things (id, name) VALUES ($1, $2)';
    await runner.run(sql, [100, 'new']);
    await expect(runner.run(sql, [100, 'again'])).rejects.toMatchObject({ code: '23505' });
    await runner.run(sql, [101, 'next']);
    expect(await runner.run('SELECT name FROM kept_things WHERE id >= $1 ORDER BY id', [100])).toEqual([{ name: 'new' }, { name: 'next' }]);
  });

  it('values of every kind the app sends come back as they went in: null, dates, arrays, JSON', async () => {
    const at = new Date('2026-12-02T10:11:12.345Z');
    const [row] = await runner.run(
      'SELECT $1::text AS nothing, $2::timestamptz AS at, $3::text[] AS words, $4::jsonb AS doc, $5::bigint AS big, $6::boolean AS yes',
      [null, at, ['a', 'b c', 'd"e'], JSON.stringify({ k: [1, 'two'] }), '9007199254740993', true],
    );
    expect(row.nothing).toBeNull();
    expect(new Date(row.at as string).toISOString()).toBe(at.toISOString());
    expect(row.words).toEqual(['a', 'b c', 'd"e']);
    expect(row.doc).toEqual({ k: [1, 'two'] });
    expect(String(row.big)).toBe('9007199254740993');
    expect(row.yes).toBe(true);
  });
});

describe(`the app's database handle keeps its statements (${TEST_DB_KIND})`, () => {
  it("a Kysely query run twice on one connection is one prepared statement, used twice", async () => {
    const database = await createTestDatabase(TEST_DB_KIND);
    try {
      const stats = await database.db.connection().execute(async (db) => {
        for (let i = 0; i < 2; i++) await db.selectFrom('sites').select('id').where('slug', '=', `no-such-site-${i}`).execute();
        return sql<{ statement: string; plans: number }>`SELECT statement, (generic_plans + custom_plans)::int AS plans FROM pg_prepared_statements`.execute(db);
      });
      const mine = stats.rows.filter((r) => /from "sites" where "slug" = \$1/.test(r.statement));
      expect(mine).toEqual([{ statement: expect.any(String), plans: 2 }]);
    } finally {
      await database.close();
    }
  });
});

// On PGlite a kept statement's answer is read from PostgreSQL's bytes by Portico (db/pglite-statements.ts),
// not by PGlite: what PGlite would have done with them must still happen.
describe.skipIf(TEST_DB_KIND !== 'pglite')('kept statements read from the embedded database\'s bytes', () => {
  let pglite: PGlite;
  let statements: PgliteStatements;
  beforeAll(async () => {
    pglite = await createBarePglite();
    statements = new PgliteStatements(pglite);
    await pglite.exec('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
  });
  afterAll(() => pglite?.close());

  it('an answer larger than one write of the database (5,000 rows of 1 kB) comes back whole, in order', async () => {
    const { rows } = await statements.execute<{ n: number; body: string }>('SELECT n, repeat(chr(97 + n % 26), 1000) AS body FROM generate_series(1, $1::int) AS n', [5000], false);
    expect(rows).toHaveLength(5000);
    expect(rows[0]).toEqual({ n: 1, body: 'b'.repeat(1000) });
    expect(rows[4999]).toEqual({ n: 5000, body: 'i'.repeat(1000) });
    expect(rows.every((r, i) => r.n === i + 1 && r.body.length === 1000)).toBe(true);
  });

  it('counts the rows a write changed, and none for a read', async () => {
    const insert = await statements.execute('INSERT INTO notes SELECT n, $1::text FROM generate_series(1, 3) AS n', ['x'], false);
    expect(insert.numAffectedRows).toBe(3n);
    const update = await statements.execute('UPDATE notes SET body = $1 WHERE id >= $2', ['y', 2], false);
    expect(update.numAffectedRows).toBe(2n);
    const none = await statements.execute('UPDATE notes SET body = $1 WHERE id > $2', ['z', 100], false);
    expect(none.numAffectedRows).toBe(0n);
    expect((await statements.execute('SELECT id FROM notes WHERE body = $1', ['y'], false)).rows).toEqual([{ id: 2 }, { id: 3 }]);
  });

  it("a notification sent by a kept statement's commit reaches the kept statements' listeners once, and what query() returns reaches PGlite's", async () => {
    const heard: string[] = [];
    const byPglite: string[] = [];
    const stop = listenToKeptStatements(pglite, 'notes_changed', (p) => heard.push(p));
    const unlisten = await pglite.listen('notes_changed', (p) => byPglite.push(p));
    await statements.execute("SELECT pg_notify('notes_changed', $1)", ['kept'], false);
    await pglite.query("SELECT pg_notify('notes_changed', $1)", ['query']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heard).toEqual(['kept']);
    expect(byPglite).toEqual(['query']);
    // in a transaction, the commit sends it (not the statement)
    await pglite.exec('BEGIN');
    await statements.execute("SELECT pg_notify('notes_changed', $1)", ['in a transaction'], true);
    expect(heard).toEqual(['kept']);
    await pglite.exec('COMMIT');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(byPglite).toEqual(['query', 'in a transaction']);
    stop();
    await statements.execute("SELECT pg_notify('notes_changed', $1)", ['after'], false);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heard).toEqual(['kept']);
    await unlisten();
  });
});
