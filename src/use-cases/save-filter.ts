import { appendAuditEvent } from '../db/queries/audit.js';
import { badRequest } from '../domain/errors.js';
import { JqlError } from '../domain/jql/errors.js';
import type { SiteRef } from '../domain/policies.js';
import { assertAgentWorkspace } from './agent-access.js';
import type { UseCaseContext } from './context.js';
import { searchRequestsByJql } from './search-requests-jql.js';

export interface SavedFilter {
  id: string;
  name: string;
  jql: string;
  createdAt: Date;
}

export const FILTER_NAME_MAX = 255;
export const FILTER_JQL_MAX = 10_000;

/**
 * Saves the agent's JQL under a name, exactly as written: a clause by email or accountId keeps
 * matching after the account is revoked (PRODUCT.md §2.4), so the filter keeps working. The query
 * is checked first (the same check a search makes), so a saved filter always ran once.
 */
export async function saveFilter(ctx: UseCaseContext, input: { site: SiteRef; name: string; jql: string }): Promise<SavedFilter> {
  const actor = assertAgentWorkspace(ctx, input.site);
  const name = input.name.trim();
  if (name === '' || name.length > FILTER_NAME_MAX) {
    const msg = name === '' ? 'Give the filter a name.' : `The filter name must be at most ${FILTER_NAME_MAX} characters.`;
    throw badRequest(msg, { name: msg });
  }
  if (input.jql.trim() === '' || input.jql.length > FILTER_JQL_MAX) {
    const msg = input.jql.trim() === '' ? 'The filter needs a query.' : `The query must be at most ${FILTER_JQL_MAX} characters.`;
    throw badRequest(msg, { jql: msg });
  }
  try {
    await searchRequestsByJql(ctx.db, { siteId: input.site.id, jql: input.jql, viewer: { accountId: actor.accountId, kind: 'staff' }, maxResults: 1 });
  } catch (e) {
    if (e instanceof JqlError) throw badRequest(e.message, { jql: e.message });
    throw e;
  }
  return ctx.db.transaction().execute(async (trx) => {
    const clash = await trx
      .selectFrom('saved_filters')
      .select('id')
      .where('site_id', '=', input.site.id)
      .where('owner_id', '=', actor.accountId)
      .where('name', '=', name)
      .executeTakeFirst();
    if (clash) {
      const msg = `You already have a filter named '${name}'.`;
      throw badRequest(msg, { name: msg });
    }
    const row = await trx
      .insertInto('saved_filters')
      .values({ site_id: input.site.id, owner_id: actor.accountId, name, jql: input.jql })
      .returning(['id', 'name', 'jql', 'created_at'])
      .executeTakeFirstOrThrow();
    await appendAuditEvent(trx, {
      action: 'filter.saved',
      orgId: input.site.orgId,
      siteId: input.site.id,
      actorId: actor.accountId,
      targetId: null,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      details: { filterId: String(row.id), name },
    });
    return { id: String(row.id), name: row.name, jql: row.jql, createdAt: row.created_at };
  });
}
