import { sql, type Kysely } from 'kysely';

// A JQL search's kept look-up (src/use-cases/filters/jql-search.ts) is trusted without a check in
// the page's statement while the instance hears every change to what a look-up reads
// (docs/architecture.md, "Kept look-ups"). Every such change tells every instance at commit, on the
// caller cache's channel `portico_principals` (migration 20261205T0500_principal_cache), which
// site's look-ups to drop: "l <site id>", or "l *" for all sites (a staff account, whose email or name
// any site of its organization may look up, or a role that makes an account staff of a site).
//
// What a look-up reads (portico_jql_look_up, migration 20261207T0800_jql_look_up_version): the site's
// custom fields; the accounts an account id, an email or a name names, with their kind, site, email,
// name and status; the staff roles that make an account one of the site's staff; the site's
// organization; the site's projects. A site moved to another organization or deleted already says
// "*", which drops everything. Inserts and deletes are announced once per statement (an import adds
// thousands of customers in one), from the statement's transition table.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION portico_look_ups_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      changed_site text;
    BEGIN
      FOR changed_site IN SELECT DISTINCT coalesce(site_id::text, '*') FROM changed LOOP
        PERFORM pg_notify('portico_principals', 'l ' || changed_site);
      END LOOP;
      RETURN NULL;
    END $$`.execute(db);
  // an account's update, once per row and only when it changed what a look-up reads (an UPDATE OF
  // with a column list cannot have transition tables)
  await sql`
    CREATE FUNCTION portico_account_look_up_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('portico_principals', 'l ' || coalesce(OLD.site_id::text, '*'));
      IF NEW.site_id IS DISTINCT FROM OLD.site_id THEN
        PERFORM pg_notify('portico_principals', 'l ' || coalesce(NEW.site_id::text, '*'));
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE FUNCTION portico_staff_look_ups_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('portico_principals', 'l *');
      RETURN NULL;
    END $$`.execute(db);

  const statements = [
    `CREATE TRIGGER accounts_look_ups_added AFTER INSERT ON accounts
       REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_look_ups_changed()`,
    `CREATE TRIGGER accounts_look_ups_removed AFTER DELETE ON accounts
       REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_look_ups_changed()`,
    accountsLookUpsChangedTrigger(ACCOUNT_LOOK_UP_COLUMNS),
  ];
  for (const table of ['custom_fields', 'projects']) {
    statements.push(
      `CREATE TRIGGER ${table}_look_ups_added AFTER INSERT ON ${table}
         REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_look_ups_changed()`,
      `CREATE TRIGGER ${table}_look_ups_removed AFTER DELETE ON ${table}
         REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_look_ups_changed()`,
      // an update, by the rows as they were and as they are (a row moved to another site tells both)
      `CREATE TRIGGER ${table}_look_ups_changed_from AFTER UPDATE ON ${table}
         REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_look_ups_changed()`,
      `CREATE TRIGGER ${table}_look_ups_changed_to AFTER UPDATE ON ${table}
         REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_look_ups_changed()`,
    );
  }
  for (const table of ['org_admins', 'site_admins', 'project_agents']) {
    statements.push(`CREATE TRIGGER ${table}_look_ups_changed AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION portico_staff_look_ups_changed()`);
  }
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** The accounts' columns a look-up reads, as this migration watches them (20261208T0100_picker_staff_email_lower adds one). */
export const ACCOUNT_LOOK_UP_COLUMNS = ['status', 'kind', 'site_id', 'email', 'email_lower', 'display_name'];

/** The accounts' look-up notice on an update: once per row, only when one of `columns` changed value. */
export const accountsLookUpsChangedTrigger = (columns: readonly string[]): string => `
    CREATE TRIGGER accounts_look_ups_changed AFTER UPDATE OF ${columns.join(', ')} ON accounts
       FOR EACH ROW WHEN (${columns.map((c) => `NEW.${c} IS DISTINCT FROM OLD.${c}`).join(' OR ')})
       EXECUTE FUNCTION portico_account_look_up_changed()`;

export async function down(db: Kysely<any>): Promise<void> {
  const triggers: Array<[string, string]> = [
    ['accounts_look_ups_added', 'accounts'],
    ['accounts_look_ups_removed', 'accounts'],
    ['accounts_look_ups_changed', 'accounts'],
  ];
  for (const table of ['custom_fields', 'projects']) {
    for (const name of ['added', 'removed', 'changed_from', 'changed_to']) triggers.push([`${table}_look_ups_${name}`, table]);
  }
  for (const table of ['org_admins', 'site_admins', 'project_agents']) triggers.push([`${table}_look_ups_changed`, table]);
  for (const [trigger, table] of triggers) await sql.raw(`DROP TRIGGER ${trigger} ON ${table}`).execute(db);
  await sql`DROP FUNCTION portico_staff_look_ups_changed()`.execute(db);
  await sql`DROP FUNCTION portico_account_look_up_changed()`.execute(db);
  await sql`DROP FUNCTION portico_look_ups_changed()`.execute(db);
}
