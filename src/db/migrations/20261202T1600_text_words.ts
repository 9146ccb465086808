import { sql, type Kysely } from 'kysely';

// Text search (`text ~`, `summary ~`, `description ~`, `comment ~`) by a stored set of words per
// request, with a GIN index, in place of the trigram indexes of 20261128T2345_jql_perf.
//
// requests.text_words is a tsvector holding every word of the request's summary, description and
// PUBLIC comments, lower-cased and split exactly as JQL splits words (TEXT_WORD_CLASS below is the
// class of src/domain/jql/text-search.ts, WORD_CHARS; a unit test keeps the two equal). It is built
// with array_to_tsvector, not to_tsvector: PostgreSQL's text-search parser splits differently (it
// keeps "alice@customer.test" or "v1.2" as one token), so it could miss a row that the JQL regular
// expression matches. Words longer than 200 characters are stored as their first 200 (a lexeme may
// not exceed 2,047 bytes); the query asks for those as a prefix.
//
// The column is only a pre-filter: a request can match a word only if text_words holds it (or a word
// it prefixes), and the regular expressions still decide (src/db/jql-plan.ts). Because the test is
// on the request row itself, PostgreSQL picks per query what is cheaper: the GIN index for a rare
// word, or walking the requests in the page's order for a common one, stopping when a page is full
// (the trigram look-up had to gather every hit of summary, description and comments first, millions
// for a common word). docs/benchmarks.md, bench/scale.ts, has the figures.
//
// Kept up to date by triggers: a new or edited request (summary or description) rebuilds its words,
// public comments included; a new public comment adds its words; an edited or deleted comment
// rebuilds the request's words. A tsvector is limited to 1 MB; should a request's words ever exceed
// that, text_words is NULL, which the search treats as "may match" (and reads through the partial
// index requests_text_words_unknown_idx), so no hit is ever lost.
//
// Changing how words are split means a new migration that replaces portico_text_words and rebuilds
// the column.
export const TEXT_WORD_CLASS =
  '0-9a-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u1fff\\u2c00-\\u2dff\\u3040-\\ud7ff\\uf900-\\ufaff\\uff10-\\uff19\\uff21-\\uff3a\\uff41-\\uff5a';

/** The longest stored word, in characters (TEXT_WORD_MAX of text-search.ts, which asks for longer words as a prefix). */
export const STORED_WORD_MAX = 200;

export async function up(db: Kysely<any>): Promise<void> {
  // one statement each: the bodies hold semicolons, which executeScript would split on
  await sql.raw(`
CREATE FUNCTION portico_text_words(p_text text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT coalesce(array_to_tsvector(array_agg(DISTINCT left(w, ${STORED_WORD_MAX}))), ''::tsvector)
  FROM regexp_split_to_table(lower(p_text), '[^${TEXT_WORD_CLASS}]+') AS w
  WHERE w <> ''
$fn$`).execute(db);
  await sql.raw(`
CREATE FUNCTION portico_request_words(p_request bigint, p_summary text, p_description text) RETURNS tsvector
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  RETURN portico_text_words(p_summary) || portico_text_words(p_description)
    || coalesce((SELECT portico_text_words(string_agg(c.body, ' ')) FROM comments c WHERE c.request_id = p_request AND c.public), ''::tsvector);
EXCEPTION WHEN program_limit_exceeded THEN
  RETURN NULL;
END
$fn$`).execute(db);
  await sql.raw(`
CREATE FUNCTION portico_requests_text_words() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.text_words := portico_request_words(NEW.id, NEW.summary, NEW.description);
  RETURN NEW;
END
$fn$`).execute(db);
  await sql.raw(`
CREATE FUNCTION portico_comments_text_words() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.public THEN
      BEGIN
        UPDATE requests SET text_words = text_words || portico_text_words(NEW.body)
        WHERE id = NEW.request_id AND text_words IS NOT NULL;
      EXCEPTION WHEN program_limit_exceeded THEN
        UPDATE requests SET text_words = NULL WHERE id = NEW.request_id;
      END;
    END IF;
    RETURN NULL;
  END IF;
  UPDATE requests SET text_words = portico_request_words(id, summary, description) WHERE id = OLD.request_id;
  IF TG_OP = 'UPDATE' AND NEW.request_id <> OLD.request_id THEN
    UPDATE requests SET text_words = portico_request_words(id, summary, description) WHERE id = NEW.request_id;
  END IF;
  RETURN NULL;
END
$fn$`).execute(db);
  await sql`ALTER TABLE requests ADD COLUMN text_words tsvector`.execute(db);
  // Whether PostgreSQL walks the page's order or reads the GIN index depends on how many requests it
  // expects to hold a word; statistics on up to 10,000 words (not 1,000) keep a rarer word's estimate
  // close, and a word missing from them is estimated rarer still.
  await sql`ALTER TABLE requests ALTER COLUMN text_words SET STATISTICS 1000`.execute(db);
  await sql`UPDATE requests SET text_words = portico_request_words(id, summary, description)`.execute(db);
  await sql`CREATE INDEX requests_text_words_idx ON requests USING gin (text_words)`.execute(db);
  await sql`CREATE INDEX requests_text_words_unknown_idx ON requests (site_id) WHERE text_words IS NULL`.execute(db);
  await sql`CREATE TRIGGER requests_text_words BEFORE INSERT OR UPDATE OF summary, description ON requests
            FOR EACH ROW EXECUTE FUNCTION portico_requests_text_words()`.execute(db);
  await sql`CREATE TRIGGER comments_text_words AFTER INSERT OR UPDATE OF body, public, request_id OR DELETE ON comments
            FOR EACH ROW EXECUTE FUNCTION portico_comments_text_words()`.execute(db);
  // The trigram indexes on the texts are no longer read by any query (the regular expressions now run
  // only on the rows text_words lets through); pg_trgm stays installed.
  await sql`DROP INDEX IF EXISTS requests_summary_trgm_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS requests_description_trgm_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS comments_public_body_trgm_idx`.execute(db);
  await sql`ANALYZE requests`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS comments_text_words ON comments`.execute(db);
  await sql`DROP TRIGGER IF EXISTS requests_text_words ON requests`.execute(db);
  await sql`ALTER TABLE requests DROP COLUMN IF EXISTS text_words`.execute(db);
  await sql`DROP FUNCTION IF EXISTS portico_comments_text_words()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS portico_requests_text_words()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS portico_request_words(bigint, text, text)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS portico_text_words(text)`.execute(db);
  await sql`CREATE INDEX requests_summary_trgm_idx ON requests USING gin (lower(summary) gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX requests_description_trgm_idx ON requests USING gin (lower(description) gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX comments_public_body_trgm_idx ON comments USING gin (lower(body) gin_trgm_ops) WHERE public`.execute(db);
}
