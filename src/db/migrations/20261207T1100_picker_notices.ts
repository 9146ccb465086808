import { sql, type Kysely } from 'kysely';

// The user picker keeps its answers (db/queries/user-picker.ts) and trusts a kept one while the
// instance's notices vouch for it (docs/architecture.md, "Kept picker answers"), as a JQL search
// trusts its kept look-up. What a picker reads beyond what migration 20261207T1000_look_up_notices
// already announces — accounts' names, emails and statuses, staff roles, sites' organizations — is
// the search terms: added when a customer is created, verified or granted access again, removed on a
// revoke or a deletion, written again when a name or an email changes. Every statement that adds or
// removes terms now says so once, on the caller cache's channel: "l <site id>" for each site whose
// terms it touched; an update of a term (no code of the app makes one) says it for the site of the
// row as it was and as it is.
// PostgreSQL delivers one notification of the same payload per transaction, so a revoke that also
// changes the account's status still sends "l <site id>" once.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `CREATE TRIGGER account_search_terms_look_ups_added AFTER INSERT ON account_search_terms
       REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_look_ups_changed()`,
    `CREATE TRIGGER account_search_terms_look_ups_removed AFTER DELETE ON account_search_terms
       REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_look_ups_changed()`,
    // an update of what a search reads, per row (the site as it was and as it is); not the database's own
    // upkeep of the row's other terms (`words`, migration 20261207T0900), which follows every insert
    // and delete of terms, already announced
    `CREATE TRIGGER account_search_terms_look_ups_changed AFTER UPDATE OF site_id, term, sort_name, account_id ON account_search_terms
       FOR EACH ROW EXECUTE FUNCTION portico_account_look_up_changed()`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['added', 'removed', 'changed']) {
    await sql.raw(`DROP TRIGGER account_search_terms_look_ups_${name} ON account_search_terms`).execute(db);
  }
}
