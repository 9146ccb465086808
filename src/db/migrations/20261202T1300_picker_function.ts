import { sql, type Kysely } from 'kysely';

// The one user picker's search (src/db/queries/user-picker.ts) as ONE PL/pgSQL function, for the same
// reason as portico_resolve_caller (20261202T0800_caller_function): PL/pgSQL keeps its plans for the
// life of the connection, where statements sent from the app are parsed and planned on every call —
// and the picker used to send four or five of them (customer hits page by page, the staff who match,
// the page's accounts, the total; REST user search then read the accounts again). Now a picker search
// is this one round trip after the caller's.
//
// What it returns, one row each:
// - 'customer': the first p_want customers of the site in the picker's order (matched term, sort name,
//   account id), each at its smallest term matching the first (longest) query word, every other word
//   prefixing some term of the same account, none of p_exclude; with the account's fields. The B-tree
//   on account_search_terms (site_id, term, sort_name, account_id) yields them in that order, so the
//   scan stops after p_want rows however many of a million customers share the prefix; an account's
//   smaller matching term is looked up by account (account_search_terms_account_idx).
// - 'staff' (only when p_staff_likes is not null): every active staff account of the site's
//   organization whose email or a word of whose name starts with each word (LIKE patterns, escaped by
//   the caller) — a site's staff are few; the caller orders them by their matched term.
// - 'total' (only when p_with_total): the number of distinct customers matching, in column total.
//
// Changing it means a new migration with CREATE OR REPLACE FUNCTION.
export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
CREATE FUNCTION portico_pick_users(
  p_site uuid, p_first text, p_first_upper text, p_rest text[], p_rest_upper text[], p_exclude text[],
  p_want int, p_staff_likes text[], p_with_total boolean
) RETURNS TABLE (
  source text, account_id text, term text, sort_name text, display_name text, email text, kind text,
  status text, account_site_id uuid, total bigint
) LANGUAGE plpgsql STABLE AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    SELECT 'customer'::text, a.account_id, hit.term::text, hit.sort_name::text, a.display_name, a.email, a.kind,
           a.status, a.site_id, NULL::bigint
    FROM (
      SELECT t.account_id, t.term, t.sort_name
      FROM account_search_terms t
      WHERE t.site_id = p_site AND t.term >= p_first AND t.term < p_first_upper
        AND NOT (t.account_id = ANY (p_exclude))
        AND NOT EXISTS (
          SELECT 1 FROM account_search_terms d
          WHERE d.account_id = t.account_id AND d.site_id = p_site AND d.term >= p_first AND d.term < t.term)
        AND NOT EXISTS (
          SELECT 1 FROM unnest(p_rest, p_rest_upper) AS w(lo, hi)
          WHERE NOT EXISTS (
            SELECT 1 FROM account_search_terms r
            WHERE r.account_id = t.account_id AND r.site_id = p_site AND r.term >= w.lo AND r.term < w.hi))
      ORDER BY t.term, t.sort_name, t.account_id
      LIMIT p_want
    ) AS hit
    JOIN accounts a ON a.account_id = hit.account_id AND a.status = 'active';

  IF p_staff_likes IS NOT NULL THEN
    RETURN QUERY
      SELECT 'staff'::text, a.account_id, NULL::text, coalesce(a.sort_name, '')::text, a.display_name, a.email, a.kind,
             a.status, a.site_id, NULL::bigint
      FROM accounts a
      WHERE a.kind = 'staff' AND a.status = 'active'
        AND NOT (a.account_id = ANY (p_exclude))
        AND NOT EXISTS (
          SELECT 1 FROM unnest(p_staff_likes) AS l(pattern)
          WHERE NOT (a.email_lower LIKE l.pattern OR a.sort_name LIKE l.pattern OR a.sort_name LIKE '% ' || l.pattern))
        AND (
          EXISTS (SELECT 1 FROM org_admins oa JOIN sites s ON s.org_id = oa.org_id
                  WHERE oa.account_id = a.account_id AND s.id = p_site)
          OR EXISTS (SELECT 1 FROM site_admins sa JOIN sites s ON s.id = sa.site_id JOIN sites me ON me.org_id = s.org_id
                     WHERE sa.account_id = a.account_id AND me.id = p_site)
          OR EXISTS (SELECT 1 FROM project_agents pa JOIN sites s ON s.id = pa.site_id JOIN sites me ON me.org_id = s.org_id
                     WHERE pa.account_id = a.account_id AND me.id = p_site));
  END IF;

  IF p_with_total THEN
    RETURN QUERY
      SELECT 'total'::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::uuid,
             count(DISTINCT t.account_id)
      FROM account_search_terms t
      WHERE t.site_id = p_site AND t.term >= p_first AND t.term < p_first_upper
        AND NOT (t.account_id = ANY (p_exclude))
        AND NOT EXISTS (
          SELECT 1 FROM unnest(p_rest, p_rest_upper) AS w(lo, hi)
          WHERE NOT EXISTS (
            SELECT 1 FROM account_search_terms r
            WHERE r.account_id = t.account_id AND r.site_id = p_site AND r.term >= w.lo AND r.term < w.hi));
  END IF;
END
$fn$;
  `).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('DROP FUNCTION portico_pick_users(uuid, text, text, text[], text[], text[], int, text[], boolean)').execute(db);
}
