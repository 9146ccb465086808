import { sql, type Kysely } from 'kysely';

// What a JQL search reads before it binds its query (lookUpForQuery in
// src/use-cases/filters/jql-search.ts) as ONE PL/pgSQL function that always uses its generic plan.
// Sent as a kept statement, PostgreSQL planned it again on every call — its OR of five indexed arms
// estimated dearer as a generic plan than as a plan for the values at hand — and planning it cost
// about 1.2 ms of the database's time a search against 0.1 ms to run it (docs/benchmarks.md,
// "Plans planned again"). The values come as arrays, so the text and the plan are the same however
// many values a query names.
//
// Returns one row: the site's custom fields (by id), the candidate accounts of the written values,
// the site's projects when p_with_projects; each a JSON array of objects with the columns' names.
// Candidate accounts, by five indexed arms (the exact rules are the domain's, resolveCondition):
// - an account id (primary key) among the site's customers and staff;
// - a customer's email on this site (accounts_customer_email_uq) and a staff email
//   (accounts_staff_email_uq);
// - an ACTIVE customer's display name on this site and an active staff member's, on
//   lower(btrim(display_name));
// and only staff of the site's organization count (org admins, site admins and agents of any of its
// sites, as db/queries/organization-staff.ts says it).
//
// Changing it means a new migration with CREATE OR REPLACE FUNCTION.
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
CREATE FUNCTION portico_jql_look_up(
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
                                                  'email', a.email, 'display_name', a.display_name, 'status', a.status)), '[]'::json)
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
        (SELECT coalesce(json_agg(json_build_object('id', p.id::text, 'key', p.key, 'name', p.name)), '[]'::json)
         FROM projects p WHERE p.site_id = p_site)
      ELSE '[]'::json END;
END
$fn$;
  `).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('DROP FUNCTION portico_jql_look_up(uuid, text[], text[], text[], boolean)').execute(db);
}
