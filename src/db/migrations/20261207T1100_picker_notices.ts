import { sql, type Kysely } from 'kysely';

// The user picker keeps its answers (db/queries/user-picker.ts) and trusts a kept one while the
// instance's notices vouch for it (docs/architecture.md, "Kept picker answers"), as a JQL search
// trusts its kept look-up. What a picker reads beyond what migration 20261207T1000_look_up_notices
// already announces — accounts' names, emails and statuses, staff roles, sites' organizations — is
// the search terms: added when a customer is created, verified or granted access again, removed on a
// revoke or a deletion, written again when a name or an email changes. Every statement that adds,
// removes or changes terms now says so once, on the caller cache's channel: "l <site id>" for each
// site whose terms it touched (an update tells the sites of the rows as they were and as they are).
// PostgreSQL delivers one notification of the same payload per transaction, so a revoke that also
// changes the account's status still sends "l <site id>" once.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `CREATE TRIGGER account_search_terms_look_ups_added AFTER INSERT ON account_search_terms
       REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_look_ups_changed()`,
    `CREATE TRIGGER account_search_terms_look_ups_removed AFTER DELETE ON account_search_terms
       REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_look_ups_changed()`,
    `CREATE TRIGGER account_search_terms_look_ups_changed_from AFTER UPDATE ON account_search_terms
       REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_look_ups_changed()`,
    `CREATE TRIGGER account_search_terms_look_ups_changed_to AFTER UPDATE ON account_search_terms
       REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_look_ups_changed()`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['added', 'removed', 'changed_from', 'changed_to']) {
    await sql.raw(`DROP TRIGGER account_search_terms_look_ups_${name} ON account_search_terms`).execute(db);
  }
}
