import { sql, type Kysely } from 'kysely';

// The instance's cache of callers (docs/architecture.md, "The caller cache"). Every change to what
// the caller statement reads — an account's status, kind, site, email or name; a token revoked; a
// session ended or shortened; a role given or taken; a site moved — tells every instance at commit,
// on the channel `portico_principals`, whose cached callers to drop ("a <account id>", or "*").
// A session's sliding idle timeout is not such a change (it only lengthens a session): the
// once-a-minute bookkeeping writes no notification.
//
// `principal_cache_instances` holds each PostgreSQL instance's lease: the instances a change must
// hear back from before it answers, renewed by each instance's own notification loop.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE principal_cache_instances (
      instance_id uuid PRIMARY KEY,
      lease_until timestamptz NOT NULL
    )`.execute(db);
  await sql`
    CREATE FUNCTION portico_principal_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_TABLE_NAME = 'sites' THEN
        PERFORM pg_notify('portico_principals', '*');
        RETURN NULL;
      END IF;
      IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('portico_principals', 'a ' || OLD.account_id::text);
      END IF;
      IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.account_id IS DISTINCT FROM OLD.account_id) THEN
        PERFORM pg_notify('portico_principals', 'a ' || NEW.account_id::text);
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  const on = (trigger: string, table: string, events: string, when = '') =>
    sql.raw(`CREATE TRIGGER ${trigger} AFTER ${events} ON ${table} FOR EACH ROW ${when} EXECUTE FUNCTION portico_principal_changed()`).execute(db);
  await on('accounts_principal_changed', 'accounts', 'UPDATE OF status, kind, site_id, email, display_name OR DELETE');
  await on('api_tokens_principal_changed', 'api_tokens', 'UPDATE OF revoked_at, token_hash, account_id OR DELETE');
  await on(
    'sessions_principal_changed_update',
    'sessions',
    'UPDATE',
    `WHEN (NEW.idle_expires_at < OLD.idle_expires_at OR NEW.absolute_expires_at < OLD.absolute_expires_at
       OR NEW.account_id IS DISTINCT FROM OLD.account_id OR NEW.csrf_token IS DISTINCT FROM OLD.csrf_token
       OR NEW.id_hash IS DISTINCT FROM OLD.id_hash)`,
  );
  await on('sessions_principal_changed_delete', 'sessions', 'DELETE');
  for (const table of ['org_admins', 'site_admins', 'project_agents']) {
    await on(`${table}_principal_changed`, table, 'INSERT OR UPDATE OR DELETE');
  }
  await on('sites_principal_changed', 'sites', 'UPDATE OF org_id OR DELETE');
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [trigger, table] of [
    ['accounts_principal_changed', 'accounts'],
    ['api_tokens_principal_changed', 'api_tokens'],
    ['sessions_principal_changed_update', 'sessions'],
    ['sessions_principal_changed_delete', 'sessions'],
    ['org_admins_principal_changed', 'org_admins'],
    ['site_admins_principal_changed', 'site_admins'],
    ['project_agents_principal_changed', 'project_agents'],
    ['sites_principal_changed', 'sites'],
  ]) {
    await sql.raw(`DROP TRIGGER ${trigger} ON ${table}`).execute(db);
  }
  await sql`DROP FUNCTION portico_principal_changed()`.execute(db);
  await sql`DROP TABLE principal_cache_instances`.execute(db);
}
