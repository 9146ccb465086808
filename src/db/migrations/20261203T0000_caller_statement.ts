import { sql, type Kysely } from 'kysely';

// The caller of every request is read by a kept statement of the app again (db/queries/caller.ts),
// not by the PL/pgSQL function of 20261202T0800_caller_function: since every statement keeps its
// plan per connection (docs/architecture.md, "Kept plans") the function no longer saves planning,
// and calling it cost the database about 70 µs more per request than the same query sent directly
// (docs/benchmarks.md, "The caller statement").
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('DROP FUNCTION IF EXISTS portico_resolve_caller(text, text, text, text, int, int, int, int)').execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The function is the older migration's; running that migration's up again restores it.
  const { up: restore } = await import('./20261202T0800_caller_function.js');
  await restore(db);
}
