import { sql } from 'kysely';
import type { ActorContext, AnonymousContext } from '../context.js';
import { decideSiteStanding, type SiteRef } from '../../domain/policies.js';
import { enforce } from '../authorize.js';
import { badRequest } from '../../domain/errors.js';
import { listUsablePortals, listVisitorPortals, loadUsablePortal, loadVisitorPortal } from '../help-center/portals.js';
import { pageOffset } from '../../domain/limits.js';

export interface KbArticleSummary {
  id: string;
  projectId: string;
  portalName: string;
  title: string;
  excerpt: string;
  updatedAt: Date;
}

export const KB_MAX_LIMIT = 100;
/** The longest query text a knowledge-base search accepts (only its first 8 words count anyway). */
export const KB_QUERY_MAX_LENGTH = 500;
const MAX_WORDS = 8;
const MAX_WORD_LENGTH = 64;

/**
 * The user's text as words (letters and digits only), each a prefix match: "vpn pass" → "vpn:* &
 * pass:*". Nothing the user types reaches to_tsquery's own syntax (&, |, !, :, quotes, parentheses).
 */
function kbSearchQuery(text: string): string | null {
  const words = (text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .map((w) => w.slice(0, MAX_WORD_LENGTH))
    .slice(0, MAX_WORDS);
  const unique = [...new Set(words)];
  return unique.length ? unique.map((w) => `${w}:*`).join(' & ') : null;
}

function excerptOf(body: string, max = 200): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut) + '…';
}

/**
 * Knowledge-base search over the portals the caller may use: every word of the query must prefix a
 * word of the title or body (PostgreSQL full text, 'simple' configuration, served by the GIN index
 * kb_articles_search_idx). An empty query lists the articles by title. A visitor who is not logged
 * in searches the portals they may browse (docs/product.md#signup).
 */
export async function searchKbArticles(
  ctx: ActorContext | AnonymousContext,
  input: {
    site: SiteRef;
    query?: string;
    projectId?: string;
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
    throw badRequest(`'query' must be at most ${KB_QUERY_MAX_LENGTH} characters.`, { query: `'query' must be at most ${KB_QUERY_MAX_LENGTH} characters.` });
  }
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(KB_MAX_LIMIT, Math.floor(input.limit ?? 50)));

  const projectIds =
    actor === null
      ? input.projectId !== undefined
        ? [(await loadVisitorPortal(ctx.db, input.site, input.projectId)).id]
        : (await listVisitorPortals(ctx.db, input.site)).map((p) => p.id)
      : input.projectId !== undefined
        ? [(await loadUsablePortal(ctx.db, actor, input.site, input.projectId)).id]
        : (await listUsablePortals(ctx.db, actor, input.site)).map((p) => p.id);
  if (projectIds.length === 0) return { start, limit, total: 0, isLastPage: true, values: [] };

  const tsQuery = kbSearchQuery(query);
  let q = ctx.db
    .selectFrom('kb_articles as k')
    .innerJoin('projects as p', 'p.id', 'k.project_id')
    .where('k.site_id', '=', input.site.id)
    .where('k.project_id', 'in', projectIds);
  if (tsQuery) {
    q = q.where(sql<boolean>`to_tsvector('simple', k.title || ' ' || k.body) @@ to_tsquery('simple', ${tsQuery})`);
  } else if (query.trim() !== '') {
    // only punctuation was typed: nothing can match
    return { start, limit, total: 0, isLastPage: true, values: [] };
  }
  let ordered = q.select(['k.id', 'k.project_id', 'p.portal_name', 'k.title', 'k.body', 'k.updated_at']);
  if (tsQuery) ordered = ordered.orderBy(sql`ts_rank(to_tsvector('simple', k.title || ' ' || k.body), to_tsquery('simple', ${tsQuery}))`, 'desc');
  const [rows, count] = await Promise.all([
    ordered.orderBy('k.title').orderBy('k.id').offset(start).limit(limit).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const total = Number(count.n);
  return {
    start,
    limit,
    total,
    isLastPage: start + rows.length >= total,
    values: rows.map((r) => ({
      id: String(r.id),
      projectId: String(r.project_id),
      portalName: r.portal_name,
      title: r.title,
      excerpt: excerptOf(r.body),
      updatedAt: new Date(r.updated_at),
    })),
  };
}
