import { sql, type Kysely } from 'kysely';

// The statement that resolves every request's caller (src/db/queries/caller.ts) as a PL/pgSQL
// function: PL/pgSQL keeps the plan of the query it runs for the life of the connection, where the
// same statement sent from the app is parsed and planned again on every request. Planning that
// statement was most of its cost: 2.0 ms a call on the embedded database against 0.6 ms through the
// function (docs/benchmarks.md, "HTTP"). Same query, same answers, still one round trip and no
// cache: a revoke, role change or ended session is read by the very next request.
//
// Changing the statement means a new migration with CREATE OR REPLACE FUNCTION.
export async function up(db: Kysely<any>): Promise<void> {
  // one statement (its body holds semicolons, which executeScript would split on)
  await sql.raw(`
CREATE FUNCTION portico_resolve_caller(
  p_slug text, p_token text, p_staff text, p_customer text, p_idle_minutes int, p_staff_rank int, p_customer_rank int, p_touch_every_seconds int
) RETURNS TABLE (
  site_id uuid, org_id uuid, slug text, site_name text, org_name text, user_management text,
  via text, credential text, csrf_token text, account_id text, kind text, account_site_id uuid,
  email text, display_name text, org_admin_of json, site_admin_of json, agent_of json
) LANGUAGE plpgsql VOLATILE AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    WITH site AS (
      SELECT s.id, s.org_id, s.slug, s.name, o.name AS org_name, o.user_management
      FROM sites s JOIN organizations o ON o.id = s.org_id
      WHERE s.slug = p_slug
    ),
    candidates AS (
      SELECT 'token' AS via, 0 AS rank, t.id::text AS credential, NULL::text AS csrf_token, t.last_used_at AS last_seen,
             a.account_id, a.kind, a.site_id AS account_site_id, a.email, a.display_name
      FROM api_tokens t JOIN accounts a ON a.account_id = t.account_id
      WHERE t.token_hash = p_token AND t.revoked_at IS NULL AND a.status = 'active'
      UNION ALL
      SELECT 'session', CASE WHEN a.kind = 'staff' THEN p_staff_rank ELSE p_customer_rank END, s.id_hash, s.csrf_token, s.last_seen_at,
             a.account_id, a.kind, a.site_id, a.email, a.display_name
      FROM sessions s JOIN accounts a ON a.account_id = s.account_id
      WHERE s.id_hash IN (p_staff, p_customer)
        AND a.status = 'active' AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
        AND ((s.id_hash = p_staff AND a.kind = 'staff')
          OR (s.id_hash = p_customer AND a.kind = 'customer' AND a.site_id = (SELECT id FROM site)))
    ),
    chosen AS (
      SELECT *, (last_seen IS NULL OR last_seen < now() - make_interval(secs => p_touch_every_seconds)) AS touch_due FROM candidates ORDER BY rank LIMIT 1
    ),
    touched_token AS (
      UPDATE api_tokens SET last_used_at = now()
      WHERE id = (SELECT credential::uuid FROM chosen WHERE via = 'token' AND touch_due)
      RETURNING id
    ),
    touched_session AS (
      UPDATE sessions SET last_seen_at = now(), idle_expires_at = now() + make_interval(mins => p_idle_minutes)
      WHERE id_hash = (SELECT credential FROM chosen WHERE via = 'session' AND touch_due)
      RETURNING account_id
    ),
    touched_account AS (
      UPDATE accounts SET last_active_at = now()
      WHERE account_id = (SELECT account_id FROM touched_session)
      RETURNING account_id
    )
    SELECT site.id, site.org_id, site.slug, site.name, site.org_name, site.user_management,
           chosen.via, chosen.credential, chosen.csrf_token, chosen.account_id, chosen.kind, chosen.account_site_id,
           chosen.email, chosen.display_name,
           CASE WHEN chosen.kind = 'staff' THEN (
             SELECT coalesce(json_agg(oa.org_id), '[]'::json) FROM org_admins oa WHERE oa.account_id = chosen.account_id
           ) END,
           CASE WHEN chosen.kind = 'staff' THEN (
             SELECT coalesce(json_agg(json_build_array(sa.site_id, st.org_id)), '[]'::json)
             FROM site_admins sa JOIN sites st ON st.id = sa.site_id WHERE sa.account_id = chosen.account_id
           ) END,
           CASE WHEN chosen.kind = 'staff' THEN (
             SELECT coalesce(json_agg(json_build_array(pa.project_id::text, pa.site_id, st.org_id)), '[]'::json)
             FROM project_agents pa JOIN sites st ON st.id = pa.site_id WHERE pa.account_id = chosen.account_id
           ) END
    FROM (SELECT 1) AS one LEFT JOIN site ON true LEFT JOIN chosen ON true;
END
$fn$;
  `).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('DROP FUNCTION portico_resolve_caller(text, text, text, text, int, int, int, int)').execute(db);
}
