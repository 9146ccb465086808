import { sql, type Kysely } from 'kysely';

// JQL's text search (db/jql-plan.ts) tests each request that holds the query's words for the exact
// text: a LIKE that rules most rows out cheaply, then the word-boundary regex. Written out in the
// query, PostgreSQL multiplied its guesses for both into the estimate — about 1 row in 50 of those
// holding the word — although nearly every request that holds a word has it in its text. For a word
// in 5% of 500,000 requests it then expected 532 hits instead of 24,945, sorted them all rather than
// walk the requests newest first and stop after a page, and read all 17,549 of their heap pages:
// 358 ms on the embedded database, 12 ms walking (docs/benchmarks.md, "Scale over HTTP"). Inside a
// function the planner does not look into, the test counts as one condition of ordinary selectivity,
// so the estimate follows the words index, which knows each word's frequency.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION portico_text_matches(value text, rough text, exact text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    BEGIN
      RETURN lower(value) LIKE rough AND lower(value) ~ exact;
    END
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION portico_text_matches(text, text, text)`.execute(db);
}
