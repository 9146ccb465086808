import type { ActorContext } from '../context.js';
import { checkTokenLabel, issueApiToken, tokenOwner, type CreatedApiToken } from './api-tokens.js';

/** The profile page's "Create API token": a token for the signed-in staff member. */
export async function createApiToken(ctx: ActorContext, input: { label?: string }): Promise<CreatedApiToken> {
  const label = checkTokenLabel(input.label);
  const owner = tokenOwner(ctx.actor);
  return ctx.db.transaction().execute((trx) =>
    issueApiToken(trx, { accountId: owner.accountId, actorId: owner.accountId, label, via: 'profile', ip: ctx.ip, userAgent: ctx.userAgent }),
  );
}
