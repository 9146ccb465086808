import type { ActorContext, AnonymousContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { notFound, unauthenticated } from '../../domain/errors.js';
import { isBigintId } from '../../db/queries/projects.js';
import { loadUsablePortal, loadVisitorPortal, VISITOR_LOGIN_MESSAGE } from '../help-center/portals.js';

export interface KbArticle {
  id: string;
  projectId: string;
  portalName: string;
  title: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One knowledge-base article, for those who may use its portal (404 for everyone else), and for
 * visitors who are not logged in when its portal is one they may browse (401 otherwise, whether or
 * not the article exists).
 */
export async function getKbArticle(ctx: ActorContext | AnonymousContext, input: { site: SiteRef; id: string }): Promise<KbArticle> {
  // a visitor learns nothing about which articles exist: every refusal is "log in"
  const missing = () => (ctx.actor === null ? unauthenticated(VISITOR_LOGIN_MESSAGE) : notFound('Article not found.'));
  if (!isBigintId(input.id)) throw missing();
  const row = await ctx.db
    .selectFrom('kb_articles')
    .select(['id', 'project_id', 'title', 'body', 'created_at', 'updated_at'])
    .where('site_id', '=', input.site.id)
    .where('id', '=', input.id)
    .executeTakeFirst();
  if (!row) throw missing();
  const project =
    ctx.actor === null
      ? await loadVisitorPortal(ctx.db, input.site, String(row.project_id))
      : await loadUsablePortal(ctx.db, ctx.actor, input.site, String(row.project_id), 'Article not found.');
  return {
    id: String(row.id),
    projectId: project.id,
    portalName: project.portalName,
    title: row.title,
    body: row.body,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
