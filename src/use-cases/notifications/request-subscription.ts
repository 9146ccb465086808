import type { SiteRef } from '../../domain/policies.js';
import { badRequest } from '../../domain/errors.js';
import type { ActorContext } from '../context.js';
import { assertActorStillActive, loadVisibleRequest } from '../requests/visible-request.js';

// A request's notification subscription over REST (docs/product.md#notifications, Atlassian's
// …/request/{key}/notification): Portico mails a request's reporter and participants; each of them
// may stop that mail (the same setting as the mail's "Stop mail about this request" link) and turn
// it back on. Subscribing does not make anyone else a recipient: whoever may see the request but is
// neither is told how to follow it (be added as a participant).

export const NOT_A_RECIPIENT = "Portico mails a request's reporter and participants: ask to be added as a participant to follow it.";

async function recipientOf(ctx: ActorContext, site: SiteRef, keyOrId: string) {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, site, keyOrId);
  const accountId = ctx.actor.accountId;
  const [participant, mute] = await Promise.all([
    request.reporterId === accountId
      ? Promise.resolve(true)
      : ctx.db.selectFrom('request_participants').select('account_id').where('request_id', '=', request.id).where('account_id', '=', accountId).executeTakeFirst().then(Boolean),
    ctx.db.selectFrom('request_mail_mutes').select('account_id').where('request_id', '=', request.id).where('account_id', '=', accountId).executeTakeFirst(),
  ]);
  return { request, recipient: participant, muted: mute !== undefined };
}

/** Whether the caller is mailed about the request: its reporter or a participant who has not stopped its mail. */
export async function getRequestSubscription(ctx: ActorContext, input: { site: SiteRef; key: string }): Promise<{ subscribed: boolean }> {
  const found = await recipientOf(ctx, input.site, input.key);
  return { subscribed: found.recipient && !found.muted };
}

/** Turns the caller's mail about the request on or off; repeating either changes nothing. */
export async function setRequestSubscription(ctx: ActorContext, input: { site: SiteRef; key: string; subscribed: boolean }): Promise<void> {
  const found = await recipientOf(ctx, input.site, input.key);
  if (!found.recipient) {
    // unsubscribing someone who is not mailed changes nothing, as Atlassian's does
    if (!input.subscribed) return;
    throw badRequest(NOT_A_RECIPIENT, { subscribed: NOT_A_RECIPIENT });
  }
  await ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, ctx.actor);
    if (input.subscribed) {
      await trx.deleteFrom('request_mail_mutes').where('request_id', '=', found.request.id).where('account_id', '=', ctx.actor.accountId).execute();
    } else {
      await trx
        .insertInto('request_mail_mutes')
        .values({ site_id: input.site.id, request_id: found.request.id, account_id: ctx.actor.accountId })
        .onConflict((oc) => oc.columns(['request_id', 'account_id']).doNothing())
        .execute();
    }
  });
}
