import type { ActorContext, AnonymousContext } from '../context.js';
import { decideSiteStanding, type SiteRef } from '../../domain/policies.js';
import { enforce } from '../authorize.js';
import { badRequest } from '../../domain/errors.js';
import { kbAnyWordQuery, kbHasPhrase } from '../../domain/knowledge-base.js';
import { searchKbArticleRows } from '../../db/queries/kb-articles.js';
import { listUsablePortals, listVisitorPortals, loadUsablePortal, loadVisitorPortal, resolveServiceDesk } from '../help-center/portals.js';
import { pageOffset } from '../../domain/limits.js';

export interface KbArticleSummary {
  id: string;
  projectId: string;
  portalName: string;
  title: string;
  category: string | null;
  excerpt: string;
  updatedAt: Date;
}

export const KB_MAX_LIMIT = 100;
/** The longest query text a knowledge-base search accepts (only its first 16 words count anyway). */
export const KB_QUERY_MAX_LENGTH = 500;

/** The start of an article's text without its Markdown marks, for a result list. */
export function excerptOf(body: string, max = 200): string {
  const flat = body
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, ' ')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/[*_`~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut) + '…';
}

/**
 * Knowledge-base search over the published articles of the portals the caller may use
 * (db/queries/kb-articles.ts: full text, english configuration, any word finds, best match first;
 * a quoted phrase must appear). An empty query lists the articles by title. A visitor who is not
 * logged in searches the portals they may browse (docs/product.md#signup). Drafts are never found
 * here, whoever asks: they are seen in the agent workspace only.
 */
export async function searchKbArticles(
  ctx: ActorContext | AnonymousContext,
  input: {
    site: SiteRef;
    query?: string;
    projectId?: string;
    /** REST: a service desk by id or project key (404 when the caller may not use it) */
    serviceDeskId?: string;
    start?: number;
    limit?: number;
    /** REST: people without standing on the site learn nothing about it, not even an empty list (404) */
    strangersGetNotFound?: boolean;
  },
): Promise<{ start: number; limit: number; total: number; isLastPage: boolean; values: KbArticleSummary[] }> {
  const actor = ctx.actor;
  if (input.strangersGetNotFound && actor) enforce(decideSiteStanding(actor, input.site), { notFound: 'Site not found.' });
  const query = input.query ?? '';
  if (typeof query !== 'string' || query.length > KB_QUERY_MAX_LENGTH) {
    const message = `A search can be at most ${KB_QUERY_MAX_LENGTH} characters.`;
    throw badRequest(message, { query: message });
  }
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(KB_MAX_LIMIT, Math.floor(input.limit ?? 50)));

  let projectIds: string[];
  if (actor === null) {
    projectIds = input.projectId !== undefined
      ? [(await loadVisitorPortal(ctx.db, input.site, input.projectId)).id]
      : (await listVisitorPortals(ctx.db, input.site)).map((p) => p.id);
  } else if (input.serviceDeskId !== undefined) {
    projectIds = [(await resolveServiceDesk(ctx.db, actor, input.site, input.serviceDeskId)).projectId];
  } else {
    projectIds = input.projectId !== undefined
      ? [(await loadUsablePortal(ctx.db, actor, input.site, input.projectId)).id]
      : (await listUsablePortals(ctx.db, actor, input.site)).map((p) => p.id);
  }

  const anyWords = kbAnyWordQuery(query);
  // only punctuation was typed: nothing can match
  if (anyWords === null && query.trim() !== '') return { start, limit, total: 0, isLastPage: true, values: [] };
  const { rows, total } = await searchKbArticleRows(ctx.db, {
    siteId: input.site.id,
    projectIds,
    publishedOnly: true,
    anyWords,
    text: query,
    strict: kbHasPhrase(query),
    start,
    limit,
  });
  return {
    start,
    limit,
    total,
    isLastPage: start + rows.length >= total,
    values: rows.map((r) => ({
      id: r.id,
      projectId: r.projectId,
      portalName: r.portalName,
      title: r.title,
      category: r.category,
      excerpt: excerptOf(r.body),
      updatedAt: r.updatedAt,
    })),
  };
}
