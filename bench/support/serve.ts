// A server for bench/http.ts, in a process of its own so that the load generator does not share its
// event loop: `tsx bench/support/serve.ts pglite|postgres|bare`. Prints one JSON line — the URL and
// the Authorization header of an org admin's API token — when it listens. `lookup-pglite` and
// `lookup-postgres` serve the reference of one indexed look-up per request (below).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { benchApp } from './bench-app.js';
import { openPglite, openPostgres, type DbHandle } from '../../src/db/connection.js';
import { adminQuery, urlFor } from '../../test/support/postgres-admin.js';

const kind = process.argv[2];
if (kind === 'bare') {
  const app = Fastify();
  app.get('/hello', async () => ({ hello: 'world' }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ url, headers: {} }));
} else if (kind === 'lookup-pglite' || kind === 'lookup-postgres') {
  // What one indexed look-up costs over HTTP: bare Fastify, one route, one kept statement through
  // Portico's own database layer (a new data directory, or a new database of the server) reading one
  // row of 10,000 by a unique text key, as the caller statement reads a token by its hash.
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-bench-lookup-'));
  const database = `portico_bench_lookup_${process.pid}`;
  let handle: DbHandle;
  if (kind === 'lookup-pglite') {
    handle = await openPglite(path.join(dir, 'data'));
  } else {
    await adminQuery(`DROP DATABASE IF EXISTS ${database}`, `CREATE DATABASE ${database}`);
    handle = openPostgres(urlFor(database));
  }
  process.once('SIGTERM', () => {
    void handle
      .close()
      .then(() => (kind === 'lookup-postgres' ? adminQuery(`DROP DATABASE IF EXISTS ${database}`) : undefined))
      .finally(() => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      });
  });
  await sql`CREATE TABLE lookup (key text PRIMARY KEY, value text NOT NULL)`.execute(handle.db);
  await sql`INSERT INTO lookup SELECT md5(i::text), 'value ' || i FROM generate_series(1, 10000) AS i`.execute(handle.db);
  await sql`ANALYZE lookup`.execute(handle.db);
  const key = 'c4ca4238a0b923820dcc509a6f75849b'; // md5('1')
  const app = Fastify();
  app.get('/lookup', async () => (await sql<{ value: string }>`SELECT value FROM lookup WHERE key = ${key}`.execute(handle.db)).rows[0]);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ url, headers: {} }));
} else if (kind === 'pglite' || kind === 'postgres') {
  const b = await benchApp(kind, Number(process.env.BENCH_REQUESTS ?? 0));
  const url = await b.app.listen({ port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ url, headers: b.ada }));
} else {
  throw new Error('usage: serve.ts pglite|postgres|bare|lookup-pglite|lookup-postgres');
}
