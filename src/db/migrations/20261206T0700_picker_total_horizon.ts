import { sql, type Kysely } from 'kysely';

// The REST user picker's `total` counted EVERY customer matching a prefix, exactly: for "a" on a site
// of a million customers that is 133,000 accounts (234,000 matching terms) deduplicated with
// count(DISTINCT), 250 ms of the database's time on a quiet machine for a page of 20
// (docs/benchmarks.md, "Scale over HTTP"). Atlassian's user searches look at matches "up to the
// thousandth user" and no further; the picker now does the same (docs/product.md#picker-search): the
// total is the number of matching people up to 1,000 (PICKER_TOTAL_HORIZON in
// db/queries/user-picker.ts), counted by the page's own walk of the term index — each account once,
// at its smallest matching term — which stops at the thousandth.
//
// That walk and the page's probe for an account's smaller matching term, or for its other query
// words, look terms up by account: an index on (account_id, term) answers both from the index alone
// (the former one on account_id read the table for each probe). The probes no longer say the site:
// an account's terms are all of its own site. The index on account_id alone is then redundant (the
// new one serves the cascade from accounts and the terms' rewrite by account) and is dropped.
//
// The function keeps its signature and always its generic plan (20261203T0010_picker_generic_plan).
/** The staff of the site's organization matching every word (the picker's function, unchanged since this migration). */
export const STAFF_MATCHES = `  IF p_staff_likes IS NOT NULL THEN
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

`;

/** The picker's function as this migration writes it (20261207T0900_picker_term_words goes back to it). */
export const PICK_USERS_FUNCTION = `
CREATE OR REPLACE FUNCTION portico_pick_users(
  p_site uuid, p_first text, p_first_upper text, p_rest text[], p_rest_upper text[], p_exclude text[],
  p_want int, p_staff_likes text[], p_with_total boolean
) RETURNS TABLE (
  source text, account_id text, term text, sort_name text, display_name text, email text, kind text,
  status text, account_site_id uuid, total bigint
) LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $fn$
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
          WHERE d.account_id = t.account_id AND d.term >= p_first AND d.term < t.term)
        AND NOT EXISTS (
          SELECT 1 FROM unnest(p_rest, p_rest_upper) AS w(lo, hi)
          WHERE NOT EXISTS (
            SELECT 1 FROM account_search_terms r
            WHERE r.account_id = t.account_id AND r.term >= w.lo AND r.term < w.hi))
      ORDER BY t.term, t.sort_name, t.account_id
      LIMIT p_want
    ) AS hit
    JOIN accounts a ON a.account_id = hit.account_id AND a.status = 'active';

${STAFF_MATCHES}  IF p_with_total THEN
    RETURN QUERY
      SELECT 'total'::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::uuid,
             count(*)
      FROM (
        SELECT 1
        FROM account_search_terms t
        WHERE t.site_id = p_site AND t.term >= p_first AND t.term < p_first_upper
          AND NOT (t.account_id = ANY (p_exclude))
          AND NOT EXISTS (
            SELECT 1 FROM account_search_terms d
            WHERE d.account_id = t.account_id AND d.term >= p_first AND d.term < t.term)
          AND NOT EXISTS (
            SELECT 1 FROM unnest(p_rest, p_rest_upper) AS w(lo, hi)
            WHERE NOT EXISTS (
              SELECT 1 FROM account_search_terms r
              WHERE r.account_id = t.account_id AND r.term >= w.lo AND r.term < w.hi))
        LIMIT 1000
      ) AS counted;
  END IF;
END
$fn$;
`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw('CREATE INDEX account_search_terms_account_term_idx ON account_search_terms (account_id, term)').execute(db);
  await sql.raw('DROP INDEX account_search_terms_account_idx').execute(db);
  await sql.raw(PICK_USERS_FUNCTION).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw('CREATE INDEX account_search_terms_account_idx ON account_search_terms (account_id)').execute(db);
  await sql.raw('DROP INDEX account_search_terms_account_term_idx').execute(db);
}
