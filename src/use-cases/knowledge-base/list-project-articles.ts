import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { badRequest } from '../../domain/errors.js';
import { kbAnyWordQuery, kbHasPhrase } from '../../domain/knowledge-base.js';
import { pageOffset } from '../../domain/limits.js';
import { listKbCategories, searchKbArticleRows } from '../../db/queries/kb-articles.js';
import { loadAuthoringProject, toAuthoredArticle, type AuthoredArticle } from './authoring.js';
import { KB_MAX_LIMIT, KB_QUERY_MAX_LENGTH } from './search-kb-articles.js';

/**
 * A project's articles for its authors, drafts included, searched as the help center searches
 * (an empty query lists them by title), with the categories the project uses.
 */
export async function listProjectArticles(
  ctx: ActorContext,
  input: { site: SiteRef; projectKey: string; query?: string; start?: number; limit?: number },
): Promise<{ start: number; limit: number; total: number; isLastPage: boolean; values: AuthoredArticle[]; categories: string[] }> {
  const project = await loadAuthoringProject(ctx, input.site, input.projectKey);
  const query = input.query ?? '';
  if (query.length > KB_QUERY_MAX_LENGTH) {
    const message = `A search can be at most ${KB_QUERY_MAX_LENGTH} characters.`;
    throw badRequest(message, { query: message });
  }
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(KB_MAX_LIMIT, Math.floor(input.limit ?? 50)));
  const anyWords = kbAnyWordQuery(query);
  const categories = await listKbCategories(ctx.db, project.id);
  if (anyWords === null && query.trim() !== '') return { start, limit, total: 0, isLastPage: true, values: [], categories };
  const { rows, total } = await searchKbArticleRows(ctx.db, {
    siteId: input.site.id,
    projectIds: [project.id],
    publishedOnly: false,
    anyWords,
    text: query,
    strict: kbHasPhrase(query),
    start,
    limit,
  });
  return { start, limit, total, isLastPage: start + rows.length >= total, values: rows.map(toAuthoredArticle), categories };
}
