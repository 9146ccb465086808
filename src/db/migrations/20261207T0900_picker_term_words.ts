import { sql, type Kysely } from 'kysely';
import { PICK_USERS_FUNCTION, STAFF_MATCHES } from './20261206T0700_picker_total_horizon.js';

// A term row of the walk that counts (the page's and the total's alike): not excluded, the account's
// smallest term in the range (the first word of `words` that starts so), and every other word the
// start of some word of `words`.
const MATCHES_EVERY_WORD = `        AND NOT (t.account_id = ANY (p_exclude))
        AND split_part(substr(t.words, strpos(t.words, v_first) + 1), E'\\n', 1) = t.term
        AND (v1 IS NULL OR t.words LIKE v1) AND (v2 IS NULL OR t.words LIKE v2)
        AND (v3 IS NULL OR t.words LIKE v3) AND (v4 IS NULL OR t.words LIKE v4)`;

// A picker search of two words walks the term range of the longer one in the picker's order and,
// for each account there, looked up its other terms twice: is a smaller term of it in the range too
// (then the account is listed at that one), and does some term start with the other word. At a
// million customers "maria g" walks thousands of Marias for the twenty with a "g…" term: 9 ms alone
// for a page, 79 ms for REST's total (docs/benchmarks.md, "the sizes after kept statements").
//
// Now each term row carries all the terms of its account (`words`: each after a newline, in the
// terms' order), in the primary key's index as an included column, so the walk answers both
// questions from the row it is on: no probe. A newline separates them because no term can hold one
// (a name is split at white space; an email holds none, and NFKC makes no newline). The words are
// written by the database itself, after every statement that adds or removes terms, whoever sends
// it: the app's writers, an import, a test's own INSERT.
//
// The function keeps its signature and its results; only how it tests an account changes.
/**
 * The picker's function as this migration writes it, the staff's part given (migration
 * 20261208T0100_picker_staff_email_lower writes it again with another).
 */
export const pickUsersWithWords = (staffMatches: string): string => `
CREATE OR REPLACE FUNCTION portico_pick_users(
  p_site uuid, p_first text, p_first_upper text, p_rest text[], p_rest_upper text[], p_exclude text[],
  p_want int, p_staff_likes text[], p_with_total boolean
) RETURNS TABLE (
  source text, account_id text, term text, sort_name text, display_name text, email text, kind text,
  status text, account_site_id uuid, total bigint
) LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $fn$
#variable_conflict use_column
DECLARE
  -- the first word as the start of a word in \`words\`, and the others as LIKE patterns that find
  -- one (queryWords sends at most four others; a missing one is NULL and passes)
  v_first text := E'\\n' || p_first;
  v_rest text[] := ARRAY(SELECT E'%\\n' || replace(replace(replace(w, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'
                         FROM unnest(p_rest) AS w);
  v1 text := v_rest[1];
  v2 text := v_rest[2];
  v3 text := v_rest[3];
  v4 text := v_rest[4];
BEGIN
  IF cardinality(v_rest) > 4 THEN
    RAISE EXCEPTION 'portico_pick_users: at most five words';
  END IF;
  RETURN QUERY
    SELECT 'customer'::text, a.account_id, hit.term::text, hit.sort_name::text, a.display_name, a.email, a.kind,
           a.status, a.site_id, NULL::bigint
    FROM (
      SELECT t.account_id, t.term, t.sort_name
      FROM account_search_terms t
      WHERE t.site_id = p_site AND t.term >= p_first AND t.term < p_first_upper
${MATCHES_EVERY_WORD}
      ORDER BY t.term, t.sort_name, t.account_id
      LIMIT p_want
    ) AS hit
    JOIN accounts a ON a.account_id = hit.account_id AND a.status = 'active';

${staffMatches}
  IF p_with_total THEN
    RETURN QUERY
      SELECT 'total'::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::uuid,
             count(*)
      FROM (
        SELECT 1
        FROM account_search_terms t
        WHERE t.site_id = p_site AND t.term >= p_first AND t.term < p_first_upper
${MATCHES_EVERY_WORD}
        LIMIT 1000
      ) AS counted;
  END IF;
END
$fn$
`;

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `
ALTER TABLE account_search_terms ADD COLUMN words text COLLATE "C" NOT NULL DEFAULT ''
`,
    `
UPDATE account_search_terms t SET words = w.words
FROM (SELECT account_id, E'\\n' || string_agg(term, E'\\n' ORDER BY term) AS words
      FROM account_search_terms GROUP BY account_id) AS w
WHERE w.account_id = t.account_id
`,
    `
ALTER TABLE account_search_terms DROP CONSTRAINT account_search_terms_pkey
`,
    `
ALTER TABLE account_search_terms ADD CONSTRAINT account_search_terms_pkey
  PRIMARY KEY (site_id, term, sort_name, account_id) INCLUDE (words)
`,
    `
CREATE FUNCTION portico_search_terms_words() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE account_search_terms t SET words = w.words
  FROM (SELECT x.account_id, E'\\n' || string_agg(x.term, E'\\n' ORDER BY x.term) AS words
        FROM account_search_terms x
        WHERE x.account_id IN (SELECT account_id FROM changed)
        GROUP BY x.account_id) AS w
  WHERE t.account_id = w.account_id AND t.words IS DISTINCT FROM w.words;
  RETURN NULL;
END
$fn$
`,
    `
CREATE TRIGGER account_search_terms_words_added AFTER INSERT ON account_search_terms
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_search_terms_words()
`,
    `
CREATE TRIGGER account_search_terms_words_removed AFTER DELETE ON account_search_terms
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION portico_search_terms_words()
`,
    pickUsersWithWords(STAFF_MATCHES),
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    'DROP TRIGGER account_search_terms_words_added ON account_search_terms',
    'DROP TRIGGER account_search_terms_words_removed ON account_search_terms',
    'DROP FUNCTION portico_search_terms_words()',
    'ALTER TABLE account_search_terms DROP CONSTRAINT account_search_terms_pkey',
    'ALTER TABLE account_search_terms ADD CONSTRAINT account_search_terms_pkey PRIMARY KEY (site_id, term, sort_name, account_id)',
    'ALTER TABLE account_search_terms DROP COLUMN words',
  ]) {
    await sql.raw(statement).execute(db);
  }
  await sql.raw(PICK_USERS_FUNCTION).execute(db);
}
