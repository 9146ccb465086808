import { sql, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';

// Knowledge-base articles (docs/product.md#knowledge-base). These read and write rows; which
// articles a caller may see is decided by the use cases (use-cases/knowledge-base/).

type Executor = Transaction<Database> | Db;

export interface KbArticleRow {
  id: string;
  siteId: string;
  projectId: string;
  portalName: string;
  projectKey: string;
  title: string;
  body: string;
  category: string | null;
  published: boolean;
  createdAt: Date;
  updatedAt: Date;
  createdBy: string | null;
  updatedBy: string | null;
}

function articleSelect(db: Executor) {
  return db
    .selectFrom('kb_articles as k')
    .innerJoin('projects as p', 'p.id', 'k.project_id')
    .select([
      'k.id', 'k.site_id', 'k.project_id', 'p.portal_name', 'p.key', 'k.title', 'k.body', 'k.category', 'k.published',
      'k.created_at', 'k.updated_at', 'k.created_by', 'k.updated_by',
    ]);
}

type SelectedRow = Awaited<ReturnType<ReturnType<typeof articleSelect>['executeTakeFirstOrThrow']>>;

const toArticle = (r: SelectedRow): KbArticleRow => ({
  id: String(r.id),
  siteId: r.site_id,
  projectId: String(r.project_id),
  portalName: r.portal_name,
  projectKey: r.key,
  title: r.title,
  body: r.body,
  category: r.category,
  published: r.published,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  createdBy: r.created_by,
  updatedBy: r.updated_by,
});

/** One article of the site by id (any state); `forUpdate` locks its row. */
export async function findKbArticle(db: Executor, siteId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<KbArticleRow | undefined> {
  let q = articleSelect(db).where('k.site_id', '=', siteId).where('k.id', '=', id);
  if (options.forUpdate) q = q.forUpdate('k');
  const row = await q.executeTakeFirst();
  return row && toArticle(row);
}

export interface KbSearch {
  siteId: string;
  projectIds: string[];
  /** true: drafts are left out (the help center and the REST API) */
  publishedOnly: boolean;
  /** the search's words joined with OR (domain/knowledge-base.ts kbAnyWordQuery), or null: every article, by title */
  anyWords: string | null;
  /** the text as typed: an article that matches all of it (websearch_to_tsquery) ranks first */
  text: string;
  /** the text quotes a phrase: only articles that match all of it, phrase included */
  strict: boolean;
  start: number;
  limit: number;
}

/**
 * Articles of the projects, best match first: PostgreSQL full text with the english configuration
 * over the stored `search` column (GIN index kb_articles_search_idx). Any word of the search
 * finds an article; ts_rank (title above category above body) orders them, and an article that
 * matches the whole search (every word, or the quoted phrase) comes before those that match some.
 */
export async function searchKbArticleRows(db: Executor, s: KbSearch): Promise<{ rows: KbArticleRow[]; total: number }> {
  if (s.projectIds.length === 0) return { rows: [], total: 0 };
  let q = articleSelect(db).where('k.site_id', '=', s.siteId).where('k.project_id', 'in', s.projectIds);
  if (s.publishedOnly) q = q.where('k.published', '=', true);
  const anyWords = s.anyWords;
  if (anyWords !== null) {
    q = q.where(sql<boolean>`k.search @@ to_tsquery('english', ${anyWords})`);
    if (s.strict) q = q.where(sql<boolean>`k.search @@ websearch_to_tsquery('english', ${s.text})`);
  }
  const count = q.clearSelect().select((eb) => eb.fn.countAll<string>().as('n'));
  let ordered = q;
  if (anyWords !== null) {
    ordered = ordered.orderBy(
      sql`(CASE WHEN k.search @@ websearch_to_tsquery('english', ${s.text}) THEN 1 ELSE 0 END) + ts_rank(k.search, to_tsquery('english', ${anyWords}))`,
      'desc',
    );
  }
  const [rows, total] = await Promise.all([
    ordered.orderBy('k.title').orderBy('k.id').offset(s.start).limit(s.limit).execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(toArticle), total: Number(total.n) };
}

/** The categories the project's articles use, by name. */
export async function listKbCategories(db: Executor, projectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('kb_articles')
    .select('category')
    .distinct()
    .where('project_id', '=', projectId)
    .where('category', 'is not', null)
    .orderBy('category')
    .execute();
  return rows.map((r) => r.category!);
}

export async function insertKbArticle(
  trx: Transaction<Database>,
  a: { siteId: string; projectId: string; title: string; body: string; category: string | null; published: boolean; authorId: string | null },
): Promise<string> {
  const row = await trx
    .insertInto('kb_articles')
    .values({
      site_id: a.siteId,
      project_id: a.projectId,
      title: a.title,
      body: a.body,
      category: a.category,
      published: a.published,
      created_by: a.authorId,
      updated_by: a.authorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

export async function updateKbArticle(
  trx: Transaction<Database>,
  id: string,
  change: { title?: string; body?: string; category?: string | null; published?: boolean; editorId: string; at: Date },
): Promise<void> {
  await trx
    .updateTable('kb_articles')
    .set({
      ...(change.title !== undefined ? { title: change.title } : {}),
      ...(change.body !== undefined ? { body: change.body } : {}),
      ...(change.category !== undefined ? { category: change.category } : {}),
      ...(change.published !== undefined ? { published: change.published } : {}),
      updated_by: change.editorId,
      updated_at: change.at,
    })
    .where('id', '=', id)
    .execute();
}
