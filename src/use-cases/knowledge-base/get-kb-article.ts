import type { ActorContext, AnonymousContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { notFound, unauthenticated } from '../../domain/errors.js';
import { isBigintId } from '../../db/queries/projects.js';
import { findKbArticle } from '../../db/queries/kb-articles.js';
import { loadUsablePortal, loadVisitorPortal, VISITOR_LOGIN_MESSAGE } from '../help-center/portals.js';

export interface KbArticle {
  id: string;
  projectId: string;
  portalName: string;
  title: string;
  body: string;
  category: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One published knowledge-base article, for those who may use its portal (404 for everyone else,
 * and for a draft: the help center shows published articles only, to agents too), and for visitors
 * who are not logged in when its portal is one they may browse (401 otherwise, whether or not the
 * article exists).
 */
export async function getKbArticle(ctx: ActorContext | AnonymousContext, input: { site: SiteRef; id: string }): Promise<KbArticle> {
  // a visitor learns nothing about which articles exist: every refusal is "log in"
  const missing = () => (ctx.actor === null ? unauthenticated(VISITOR_LOGIN_MESSAGE) : notFound('Article not found.'));
  if (!isBigintId(input.id)) throw missing();
  const row = await findKbArticle(ctx.db, input.site.id, input.id);
  if (!row || !row.published) throw missing();
  const project =
    ctx.actor === null
      ? await loadVisitorPortal(ctx.db, input.site, row.projectId)
      : await loadUsablePortal(ctx.db, ctx.actor, input.site, row.projectId, 'Article not found.');
  return {
    id: row.id,
    projectId: project.id,
    portalName: project.portalName,
    title: row.title,
    body: row.body,
    category: row.category,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
