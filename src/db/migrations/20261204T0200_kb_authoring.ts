import { sql, type Kysely } from 'kysely';

// Knowledge-base authoring and search (docs/product.md#knowledge-base): an article has a category
// and is published or a draft (the articles that exist were all shown, so they stay published;
// new ones start as drafts), remembers who wrote and last changed it, and keeps its search words
// in a stored tsvector (english configuration: "printers" finds "printer"; title weighted above
// category and body) served by a GIN index. It replaces the 'simple' expression index.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE kb_articles
      ADD COLUMN category text,
      ADD COLUMN published boolean NOT NULL DEFAULT true,
      ADD COLUMN created_by text REFERENCES accounts(account_id),
      ADD COLUMN updated_by text REFERENCES accounts(account_id),
      ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', coalesce(category, '')), 'B')
        || setweight(to_tsvector('english', body), 'C')
      ) STORED`.execute(db);
  await sql`DROP INDEX kb_articles_search_idx`.execute(db);
  await sql`CREATE INDEX kb_articles_search_idx ON kb_articles USING gin (search)`.execute(db);
  // an empty search lists a portal's published articles by title; the authoring list all of them
  await sql`DROP INDEX kb_articles_project_idx`.execute(db);
  await sql`CREATE INDEX kb_articles_project_idx ON kb_articles (project_id, published, title, id)`.execute(db);
  await sql`CREATE INDEX kb_articles_created_by_idx ON kb_articles (created_by)`.execute(db);
  await sql`CREATE INDEX kb_articles_updated_by_idx ON kb_articles (updated_by)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX kb_articles_search_idx`.execute(db);
  await sql`DROP INDEX kb_articles_project_idx`.execute(db);
  await sql`ALTER TABLE kb_articles DROP COLUMN search, DROP COLUMN category, DROP COLUMN published, DROP COLUMN created_by, DROP COLUMN updated_by`.execute(db);
  await sql`CREATE INDEX kb_articles_project_idx ON kb_articles (project_id)`.execute(db);
  await sql`CREATE INDEX kb_articles_search_idx ON kb_articles USING gin (to_tsvector('simple', title || ' ' || body))`.execute(db);
}
