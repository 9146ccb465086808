import type { Kysely } from 'kysely';
import { AppError, badRequest } from '../../domain/errors.js';
import type { Database } from '../../db/schema.js';
import { rewriteUserValues } from '../../domain/jql/canonical.js';
import { JqlError } from '../../domain/jql/errors.js';
import { MAX_JQL_LENGTH } from '../../domain/jql/lexer.js';
import { parseJql } from '../../domain/jql/parser.js';
import { printJql } from '../../domain/jql/print.js';
import { userValueMatches } from '../../domain/jql/resolve.js';
import { bindQuery } from '../../domain/jql/semantics.js';
import type { SiteRef } from '../../domain/policies.js';
import { assertAgentWorkspace } from '../requests/agent-access.js';
import type { ActorContext } from '../context.js';
import { lookUpForQuery, searchRequestsByJql } from './jql-search.js';
import { auditSiteChange } from '../audit.js';

export interface SavedFilter {
  id: string;
  name: string;
  jql: string;
  createdAt: Date;
}

export const FILTER_NAME_MAX = 255;
export const FILTER_JQL_MAX = 10_000;
/** Saved filters one person may keep on a site: their list is one answer, never paged. */
export const FILTERS_PER_OWNER_MAX = 200;

/**
 * Saves the agent's JQL under a name. As in Jira, user values are stored as account ids: every
 * display name or email in a user clause is rewritten to the account id(s) it names now, the rest
 * of the query kept as written, so the filter keeps finding the same people after a revoke
 * (docs/product.md#filters — display names only resolve for active accounts). The query is checked first
 * (the same check a search makes, errors pointing into the text as typed), and so is the stored
 * canonical form: a saved filter always ran once.
 */
export async function saveFilter(ctx: ActorContext, input: { site: SiteRef; name: string; jql: string }): Promise<SavedFilter> {
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
  const viewer = { accountId: actor.accountId, kind: 'staff' } as const;
  let jql: string;
  try {
    await searchRequestsByJql(ctx.db, { siteId: input.site.id, jql: input.jql, viewer, maxResults: 1 });
    jql = await canonicalSavedJql(ctx.db, { siteId: input.site.id, jql: input.jql });
    await searchRequestsByJql(ctx.db, { siteId: input.site.id, jql, viewer, maxResults: 1 });
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
    const kept = await trx
      .selectFrom('saved_filters')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('site_id', '=', input.site.id)
      .where('owner_id', '=', actor.accountId)
      .executeTakeFirstOrThrow();
    if (Number(kept.n) >= FILTERS_PER_OWNER_MAX) {
      throw new AppError('conflict', `You can keep at most ${FILTERS_PER_OWNER_MAX} saved filters on a site. Delete one first.`);
    }
    const row = await trx
      .insertInto('saved_filters')
      .values({ site_id: input.site.id, owner_id: actor.accountId, name, jql })
      .returning(['id', 'name', 'jql', 'created_at'])
      .executeTakeFirstOrThrow();
    await auditSiteChange(trx, ctx, input.site, 'filter.saved', { filterId: String(row.id), name });
    return { id: String(row.id), name: row.name, jql: row.jql, createdAt: row.created_at };
  });
}

/**
 * The JQL a saved filter stores and runs: the query with every user value rewritten to the account
 * id(s) it resolves to now, by the planner's own rules (lookUpForQuery + userValueMatches), the
 * rest printed back from the syntax tree as written. Throws JqlError for a query the search would
 * refuse, and for one whose canonical form would exceed the length a query may have.
 */
export async function canonicalSavedJql(db: Kysely<Database>, input: { siteId: string; jql: string }): Promise<string> {
  const query = parseJql(input.jql);
  // the same look-up a search makes, in one statement; binding refuses what the search would
  const { customFields, accounts } = await lookUpForQuery(db, input.siteId, query);
  bindQuery(query, { customFields, now: new Date() });
  const canonical = printJql(
    rewriteUserValues(query, customFields, (text) =>
      accounts
        .filter((a) => userValueMatches(a, text, input.siteId))
        .map((a) => a.accountId)
        .sort(),
    ),
  );
  if (canonical.length > MAX_JQL_LENGTH) {
    throw new JqlError(`The query names too many people to be saved: written with account ids it would exceed ${MAX_JQL_LENGTH} characters.`);
  }
  return canonical;
}
