import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { notFound } from '../../domain/errors.js';
import { isBigintId } from '../../db/queries/projects.js';
import { loadUsablePortal } from '../help-center/portals.js';

export interface KbArticle {
  id: string;
  projectId: string;
  portalName: string;
  title: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One knowledge-base article, for those who may use its portal (404 for everyone else). */
export async function getKbArticle(ctx: ActorContext, input: { site: SiteRef; id: string }): Promise<KbArticle> {
  if (!isBigintId(input.id)) throw notFound('Article not found.');
  const row = await ctx.db
    .selectFrom('kb_articles')
    .select(['id', 'project_id', 'title', 'body', 'created_at', 'updated_at'])
    .where('site_id', '=', input.site.id)
    .where('id', '=', input.id)
    .executeTakeFirst();
  if (!row) throw notFound('Article not found.');
  const project = await loadUsablePortal(ctx.db, ctx.actor, input.site, String(row.project_id), 'Article not found.');
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
