import { sql } from 'kysely';
import type { ActorContext } from '../context.js';
import { notFound } from '../../domain/errors.js';
import { decideApiToken } from '../../domain/policies.js';
import { enforce } from '../authorize.js';
import { tokenOwner } from './api-tokens.js';
import { appendAuditEvent } from '../../db/queries/audit.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Revokes one of the signed-in staff member's own tokens; anyone else's is "not found". */
export async function revokeApiToken(ctx: ActorContext, input: { tokenId: string }): Promise<void> {
  const actor = tokenOwner(ctx.actor);
  if (!UUID.test(input.tokenId)) throw notFound('API token not found.');
  await ctx.db.transaction().execute(async (trx) => {
    const token = await trx
      .selectFrom('api_tokens')
      .select(['id', 'label', 'account_id as accountId'])
      .where('id', '=', input.tokenId.toLowerCase())
      .where('revoked_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    enforce(decideApiToken(actor, token), { notFound: 'API token not found.' });
    const revoked = token!;
    await trx.updateTable('api_tokens').set({ revoked_at: sql<Date>`now()` }).where('id', '=', revoked.id).execute();
    await appendAuditEvent(trx, {
      action: 'api_token.revoked',
      orgId: null,
      siteId: null,
      actorId: actor.accountId,
      targetId: actor.accountId,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      details: { tokenId: revoked.id, label: revoked.label },
    });
  });
}
