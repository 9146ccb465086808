import type { ActorContext } from '../context.js';
import { auditSiteChange } from '../audit.js';
import type { SiteRef } from '../../domain/policies.js';
import { validateArticle } from '../../domain/knowledge-base.js';
import { AppError } from '../../domain/errors.js';
import { findKbArticle, updateKbArticle } from '../../db/queries/kb-articles.js';
import { loadAuthoredArticle, loadAuthoringProject, toAuthoredArticle, type AuthoredArticle } from './authoring.js';

export const EDITED_MEANWHILE = 'Someone else saved this article after you opened it. Copy your text, reload the article, and make your change again.';

/**
 * Saves an article's title, text and category; whether it is published stays as it is (a
 * published article shows the new text at once). With `baseUpdatedAt` (the version the author
 * opened), a save over someone else's newer one is refused (409) rather than silently undoing it.
 * Audit event `kb.article_updated`.
 */
export async function updateKbArticleText(
  ctx: ActorContext,
  input: { site: SiteRef; projectKey: string; id: string; title: string; body: string; category?: string | null; baseUpdatedAt?: Date },
): Promise<AuthoredArticle> {
  const project = await loadAuthoringProject(ctx, input.site, input.projectKey);
  const article = validateArticle({ title: input.title, body: input.body, category: input.category ?? null });
  return ctx.db.transaction().execute(async (trx) => {
    const before = await loadAuthoredArticle(trx, input.site, project, input.id, { forUpdate: true });
    if (input.baseUpdatedAt && before.updatedAt.getTime() !== input.baseUpdatedAt.getTime()) throw new AppError('conflict', EDITED_MEANWHILE);
    await updateKbArticle(trx, before.id, { ...article, editorId: ctx.actor.accountId, at: new Date() });
    await auditSiteChange(trx, ctx, input.site, 'kb.article_updated', { articleId: before.id, projectKey: project.key, title: article.title, ...(before.title !== article.title ? { previousTitle: before.title } : {}) });
    return toAuthoredArticle((await findKbArticle(trx, input.site.id, before.id))!);
  });
}
