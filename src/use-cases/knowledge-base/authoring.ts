import type { KbArticleRow } from '../../db/queries/kb-articles.js';
import { findKbArticle } from '../../db/queries/kb-articles.js';
import { isBigintId } from '../../db/queries/projects.js';
import { notFound } from '../../domain/errors.js';
import type { SiteRef } from '../../domain/policies.js';
import type { Db } from '../../db/connection.js';
import type { ActorContext } from '../context.js';
import { loadWorkableProject, type WorkableProject } from '../requests/agent-access.js';

// Knowledge-base authoring in the agent workspace (docs/product.md#knowledge-base): a project's
// agents and its site's admins write its articles (domain/policies/projects.ts, canWorkProject),
// through the same door as the rest of the workspace. Shared by the authoring use cases.

/** An article as its authors see it (drafts too): the stored row without its site, project ids and authors. */
export type AuthoredArticle = Pick<KbArticleRow, 'id' | 'projectKey' | 'title' | 'body' | 'category' | 'published' | 'createdAt' | 'updatedAt'>;

export const toAuthoredArticle = (r: KbArticleRow): AuthoredArticle => ({
  id: r.id,
  projectKey: r.projectKey,
  title: r.title,
  body: r.body,
  category: r.category,
  published: r.published,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** The project whose articles the actor may write (404/403 as the workspace answers). */
export const loadAuthoringProject = (ctx: ActorContext, site: SiteRef, projectKey: string, db?: Db): Promise<WorkableProject> =>
  loadWorkableProject(ctx, site, projectKey, db);

/** An article of that project by id, any state; another project's or site's is not found. */
export async function loadAuthoredArticle(
  db: Parameters<typeof findKbArticle>[0],
  site: SiteRef,
  project: WorkableProject,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<KbArticleRow> {
  const row = isBigintId(id) ? await findKbArticle(db, site.id, id, options) : undefined;
  if (!row || row.projectId !== project.id) throw notFound('Article not found.');
  return row;
}
