import { sql } from 'kysely';
import type { UseCaseContext } from '../context.js';
import { forbidden, notFound, unauthenticated } from '../../domain/errors.js';
import { appendAuditEvent } from '../../db/queries/audit.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Revokes one of the signed-in staff member's own tokens; anyone else's is "not found". */
export async function revokeApiToken(ctx: UseCaseContext, input: { tokenId: string }): Promise<void> {
  if (!ctx.actor) throw unauthenticated();
  if (ctx.actor.kind !== 'staff') throw forbidden('Only staff accounts have API tokens.');
  const actor = ctx.actor;
  if (!UUID.test(input.tokenId)) throw notFound('API token not found.');
  await ctx.db.transaction().execute(async (trx) => {
    const revoked = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: sql<Date>`now()` })
      .where('id', '=', input.tokenId.toLowerCase())
      .where('account_id', '=', actor.accountId)
      .where('revoked_at', 'is', null)
      .returning(['id', 'label'])
      .executeTakeFirst();
    if (!revoked) throw notFound('API token not found.');
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
