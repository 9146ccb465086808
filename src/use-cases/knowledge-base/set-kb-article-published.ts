import type { ActorContext } from '../context.js';
import { auditSiteChange } from '../audit.js';
import type { SiteRef } from '../../domain/policies.js';
import { findKbArticle, updateKbArticle } from '../../db/queries/kb-articles.js';
import { loadAuthoredArticle, loadAuthoringProject, toAuthoredArticle, type AuthoredArticle } from './authoring.js';

/**
 * Publishes an article (customers of the portal, and visitors where the site lets them browse, see
 * it) or takes it back to a draft (the help center and the REST API stop showing it with the next
 * request). Audit event `kb.article_published` or `kb.article_unpublished`; nothing is written
 * when the article is in that state already.
 */
export async function setKbArticlePublished(
  ctx: ActorContext,
  input: { site: SiteRef; projectKey: string; id: string; published: boolean },
): Promise<AuthoredArticle> {
  const project = await loadAuthoringProject(ctx, input.site, input.projectKey);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await loadAuthoredArticle(trx, input.site, project, input.id, { forUpdate: true });
    if (before.published === input.published) return toAuthoredArticle(before);
    await updateKbArticle(trx, before.id, { published: input.published, editorId: ctx.actor.accountId, at: new Date() });
    await auditSiteChange(trx, ctx, input.site, input.published ? 'kb.article_published' : 'kb.article_unpublished', { articleId: before.id, projectKey: project.key, title: before.title });
    return toAuthoredArticle((await findKbArticle(trx, input.site.id, before.id))!);
  });
}
