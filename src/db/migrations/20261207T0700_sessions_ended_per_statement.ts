import { sql, type Kysely } from 'kysely';

// The caller cache's announcement that sessions ended (migration 20261205T0500_principal_cache;
// docs/architecture.md, "The caller cache") ran its function once per deleted row: a revoke of a
// customer with 1,000 live sessions called it 1,000 times to notify one account. It now runs once
// per statement and notifies each account whose sessions the statement deleted, read from the
// statement's transition table. Deleting 1,000 sessions of one account in a transaction: 20 → 8.5 ms
// on the embedded database, 11.8 → 9.1 ms on the server (docs/benchmarks.md, "a revoke in fewer
// round trips"). What is announced, and when (at commit), is unchanged.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION portico_sessions_ended() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      ended_account text;
    BEGIN
      FOR ended_account IN SELECT DISTINCT account_id FROM ended LOOP
        PERFORM pg_notify('portico_principals', 'a ' || ended_account);
      END LOOP;
      RETURN NULL;
    END $$`.execute(db);
  await sql`DROP TRIGGER sessions_principal_changed_delete ON sessions`.execute(db);
  await sql`
    CREATE TRIGGER sessions_principal_changed_delete AFTER DELETE ON sessions
    REFERENCING OLD TABLE AS ended FOR EACH STATEMENT EXECUTE FUNCTION portico_sessions_ended()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER sessions_principal_changed_delete ON sessions`.execute(db);
  await sql`DROP FUNCTION portico_sessions_ended()`.execute(db);
  await sql`CREATE TRIGGER sessions_principal_changed_delete AFTER DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION portico_principal_changed()`.execute(db);
}
