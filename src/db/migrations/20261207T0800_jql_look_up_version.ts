import { sql, type Kysely } from 'kysely';

// A JQL search may bind its query with a look-up it read earlier (the kept look-ups of
// src/use-cases/filters/jql-search.ts) and run its page in ONE statement, as long as that statement
// also says what the look-up would read now: portico_jql_look_up_version, a digest of exactly what
// portico_jql_look_up returns. When the digest differs from the kept one, the page is thrown away and
// the search runs again from a fresh look-up (docs/architecture.md, "Kept look-ups"). For two reads of
// an unchanged database to give the same digest, the look-up's arrays now come in a fixed order (the
// accounts and the projects had none: their order followed the plan).
//
// Changing either function means a new migration with CREATE OR REPLACE FUNCTION.
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
CREATE OR REPLACE FUNCTION portico_jql_look_up(
  p_site uuid, p_exact text[], p_emails text[], p_folded text[], p_with_projects boolean
) RETURNS TABLE (custom_fields json, accounts json, projects json)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    SELECT
      (SELECT coalesce(json_agg(json_build_object('id', f.id::text, 'name', f.name, 'type', f.type) ORDER BY f.id), '[]'::json)
       FROM custom_fields f WHERE f.site_id = p_site),
      (SELECT coalesce(json_agg(json_build_object('account_id', a.account_id, 'kind', a.kind, 'site_id', a.site_id,
                                                  'email', a.email, 'display_name', a.display_name, 'status', a.status)
                                ORDER BY a.account_id), '[]'::json)
       FROM accounts a
       WHERE (a.kind = 'customer' OR (
               EXISTS (SELECT 1 FROM org_admins oa
                       WHERE oa.account_id = a.account_id AND oa.org_id = (SELECT org_id FROM sites WHERE id = p_site))
               OR EXISTS (SELECT 1 FROM site_admins sa JOIN sites s ON s.id = sa.site_id
                          WHERE sa.account_id = a.account_id AND s.org_id = (SELECT org_id FROM sites WHERE id = p_site))
               OR EXISTS (SELECT 1 FROM project_agents pa JOIN sites s ON s.id = pa.site_id
                          WHERE pa.account_id = a.account_id AND s.org_id = (SELECT org_id FROM sites WHERE id = p_site))))
         AND ((a.account_id = ANY (p_exact) AND (a.kind = 'staff' OR a.site_id = p_site))
           OR (a.kind = 'customer' AND a.site_id = p_site AND a.email_lower = ANY (p_emails))
           OR (a.kind = 'staff' AND a.email_lower = ANY (p_emails))
           OR (a.kind = 'customer' AND a.site_id = p_site AND a.status = 'active' AND lower(btrim(a.display_name)) = ANY (p_folded))
           OR (a.kind = 'staff' AND a.status = 'active' AND lower(btrim(a.display_name)) = ANY (p_folded)))),
      CASE WHEN p_with_projects THEN
        (SELECT coalesce(json_agg(json_build_object('id', p.id::text, 'key', p.key, 'name', p.name) ORDER BY p.id), '[]'::json)
         FROM projects p WHERE p.site_id = p_site)
      ELSE '[]'::json END;
END
$fn$
  `).execute(db);
  await sql.raw(`
CREATE FUNCTION portico_jql_look_up_digest(p_custom_fields json, p_accounts json, p_projects json) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT encode(sha256(convert_to(json_build_array(p_custom_fields, p_accounts, p_projects)::text, 'UTF8')), 'hex')
$fn$
  `).execute(db);
  await sql.raw(`
CREATE FUNCTION portico_jql_look_up_version(
  p_site uuid, p_exact text[], p_emails text[], p_folded text[], p_with_projects boolean
) RETURNS text
LANGUAGE sql STABLE AS $fn$
  SELECT portico_jql_look_up_digest(l.custom_fields, l.accounts, l.projects)
  FROM portico_jql_look_up(p_site, p_exact, p_emails, p_folded, p_with_projects) l
$fn$
  `).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('DROP FUNCTION portico_jql_look_up_version(uuid, text[], text[], text[], boolean)').execute(db);
  await sql.raw('DROP FUNCTION portico_jql_look_up_digest(json, json, json)').execute(db);
}
