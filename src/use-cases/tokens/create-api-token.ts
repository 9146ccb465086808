import { randomUUID } from 'node:crypto';
import type { UseCaseContext } from '../context.js';
import { AppError, badRequest, forbidden, notFound, unauthenticated } from '../../domain/errors.js';
import { hashSecret, newSecret } from '../../domain/secrets.js';
import { appendAuditEvent } from '../../db/queries/audit.js';

export const API_TOKEN_LABEL_MAX = 100;
export const API_TOKENS_PER_ACCOUNT_MAX = 100;

export interface CreatedApiToken {
  id: string;
  label: string;
  /** the secret, shown once: only its hash is stored */
  token: string;
}

/**
 * Creates an API token for a staff account. From the profile page the owner is the signed-in
 * staff member (ctx.actor). The `portico token create` command is an operator on the server's
 * own machine: it names the owner by email (ctx.actor is null then).
 */
export async function createApiToken(
  ctx: UseCaseContext,
  input: { label?: string; staffEmail?: string },
): Promise<CreatedApiToken> {
  const label = (input.label ?? '').trim();
  if (label.length > API_TOKEN_LABEL_MAX) {
    throw badRequest(`The label must be at most ${API_TOKEN_LABEL_MAX} characters.`, { label: `At most ${API_TOKEN_LABEL_MAX} characters.` });
  }
  if (/[\u0000-\u001f\u007f]/.test(label)) throw badRequest('The label must not contain control characters.', { label: 'No control characters.' });
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(label)) {
    throw badRequest('The label contains characters that are not valid text.', { label: 'Not valid text.' });
  }

  return ctx.db.transaction().execute(async (trx) => {
    let accountId: string;
    if (input.staffEmail !== undefined) {
      if (ctx.actor) throw forbidden();
      const owner = await trx
        .selectFrom('accounts')
        .select('account_id')
        .where('kind', '=', 'staff')
        .where('status', '=', 'active')
        .where('email_lower', '=', input.staffEmail.trim().toLowerCase())
        .executeTakeFirst();
      if (!owner) throw notFound(`No active staff account has the email ${input.staffEmail.trim()}.`);
      accountId = owner.account_id;
    } else {
      if (!ctx.actor) throw unauthenticated();
      if (ctx.actor.kind !== 'staff') throw forbidden('Only staff accounts have API tokens.');
      accountId = ctx.actor.accountId;
    }

    const active = await trx
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(active.n) >= API_TOKENS_PER_ACCOUNT_MAX) {
      throw new AppError('conflict', `An account can have at most ${API_TOKENS_PER_ACCOUNT_MAX} API tokens. Revoke one first.`);
    }

    const id = randomUUID();
    const token = `ptc_${newSecret()}`;
    await trx.insertInto('api_tokens').values({ id, account_id: accountId, label, token_hash: hashSecret(token) }).execute();
    await appendAuditEvent(trx, {
      action: 'api_token.created',
      orgId: null,
      siteId: null,
      actorId: ctx.actor?.accountId ?? accountId,
      targetId: accountId,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      details: { tokenId: id, label, via: input.staffEmail !== undefined ? 'cli' : 'profile' },
    });
    return { id, label, token };
  });
}
