import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { loadAuthoredArticle, loadAuthoringProject, toAuthoredArticle, type AuthoredArticle } from './authoring.js';

/** One article of a project for its authors, draft or published. */
export async function getProjectArticle(ctx: ActorContext, input: { site: SiteRef; projectKey: string; id: string }): Promise<AuthoredArticle> {
  const project = await loadAuthoringProject(ctx, input.site, input.projectKey);
  return toAuthoredArticle(await loadAuthoredArticle(ctx.db, input.site, project, input.id));
}
