import { sql, type Kysely } from 'kysely';

// The picker's function (20261202T1300_picker_function) keeps its statements' plans, but PostgreSQL
// decides per call whether to use the kept generic plan or plan again for the values at hand, and
// for the picker's term range (term >= $2 AND term < $3) it estimated the generic plan dearer and
// planned again on EVERY call: 630 µs of the database's time a search, against 243 µs with the
// generic plan (pgbench, 8 clients; docs/benchmarks.md, "Plans planned again"). The generic plan is
// the one the picker is built for whatever the values — the range scan of the (site_id, term,
// sort_name, account_id) B-tree that stops after the page — so the function always uses it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw('ALTER FUNCTION portico_pick_users(uuid, text, text, text[], text[], text[], int, text[], boolean) SET plan_cache_mode = force_generic_plan')
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('ALTER FUNCTION portico_pick_users(uuid, text, text, text[], text[], text[], int, text[], boolean) RESET plan_cache_mode').execute(db);
}
