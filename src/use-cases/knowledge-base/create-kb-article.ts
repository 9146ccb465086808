import type { ActorContext } from '../context.js';
import { auditSiteChange } from '../audit.js';
import type { SiteRef } from '../../domain/policies.js';
import { validateArticle } from '../../domain/knowledge-base.js';
import { findKbArticle, insertKbArticle } from '../../db/queries/kb-articles.js';
import { loadAuthoringProject, toAuthoredArticle, type AuthoredArticle } from './authoring.js';

/**
 * Writes a new article in a project's knowledge base: a draft unless `published` says otherwise
 * (customers see it once it is published). Audit event `kb.article_created`.
 */
export async function createKbArticle(
  ctx: ActorContext,
  input: { site: SiteRef; projectKey: string; title: string; body: string; category?: string | null; published?: boolean },
): Promise<AuthoredArticle> {
  const project = await loadAuthoringProject(ctx, input.site, input.projectKey);
  const article = validateArticle({ title: input.title, body: input.body, category: input.category ?? null });
  const published = input.published ?? false;
  return ctx.db.transaction().execute(async (trx) => {
    const id = await insertKbArticle(trx, { siteId: input.site.id, projectId: project.id, ...article, published, authorId: ctx.actor.accountId });
    await auditSiteChange(trx, ctx, input.site, 'kb.article_created', { articleId: id, projectKey: project.key, title: article.title, published });
    return toAuthoredArticle((await findKbArticle(trx, input.site.id, id))!);
  });
}
