import type { AnonymousContext } from '../context.js';
import { badRequest } from '../../domain/errors.js';
import { findSiteMailSettings } from '../../db/queries/notifications.js';
import { readUnsubscribeToken } from './unsubscribe-token.js';

export const UNSUBSCRIBE_LINK_INVALID = 'This link is no longer valid.';

export interface RequestMailPreference {
  requestKey: string;
  /** true: the recipient gets no more mail about this request */
  muted: boolean;
}

/**
 * The unsubscribe link of a request notification (docs/product.md#notifications), without login:
 * its signed token names the request and the recipient. A token that is not the site's, names a
 * request of another site, or a recipient who is no longer active (revoked, deleted) is refused
 * alike, so the link tells nobody anything about the account; after a grant it works again.
 */
async function resolve(ctx: AnonymousContext, siteId: string, token: string) {
  const site = await findSiteMailSettings(ctx.db, siteId);
  const named = readUnsubscribeToken(site.mailKey, site.id, token);
  if (!named) throw badRequest(UNSUBSCRIBE_LINK_INVALID, { token: UNSUBSCRIBE_LINK_INVALID });
  const row = await ctx.db
    .selectFrom('requests as r')
    .innerJoin('accounts as a', (join) => join.on('a.account_id', '=', named.accountId).on('a.status', '=', 'active'))
    .leftJoin('request_mail_mutes as m', (join) => join.onRef('m.request_id', '=', 'r.id').onRef('m.account_id', '=', 'a.account_id'))
    .select(['r.id', 'r.key', 'a.account_id', 'm.muted_at'])
    .where('r.id', '=', named.requestId)
    .where('r.site_id', '=', site.id)
    .executeTakeFirst();
  if (!row) throw badRequest(UNSUBSCRIBE_LINK_INVALID, { token: UNSUBSCRIBE_LINK_INVALID });
  return { siteId: site.id, requestId: String(row.id), accountId: row.account_id, key: row.key, muted: row.muted_at !== null };
}

export async function getRequestMailPreference(ctx: AnonymousContext, input: { site: { id: string }; token: string }): Promise<RequestMailPreference> {
  const found = await resolve(ctx, input.site.id, input.token);
  return { requestKey: found.key, muted: found.muted };
}

/** Stops (muted: true) or resumes the recipient's mail about the request; repeating either changes nothing. */
export async function setRequestMailPreference(
  ctx: AnonymousContext,
  input: { site: { id: string }; token: string; muted: boolean },
): Promise<RequestMailPreference> {
  const found = await resolve(ctx, input.site.id, input.token);
  if (input.muted) {
    await ctx.db
      .insertInto('request_mail_mutes')
      .values({ site_id: found.siteId, request_id: found.requestId, account_id: found.accountId })
      .onConflict((oc) => oc.columns(['request_id', 'account_id']).doNothing())
      .execute();
  } else {
    await ctx.db.deleteFrom('request_mail_mutes').where('request_id', '=', found.requestId).where('account_id', '=', found.accountId).execute();
  }
  return { requestKey: found.key, muted: input.muted };
}
