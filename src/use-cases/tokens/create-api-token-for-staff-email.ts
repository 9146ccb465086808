import { notFound } from '../../domain/errors.js';
import type { AnonymousContext } from '../context.js';
import { checkTokenLabel, issueApiToken, type CreatedApiToken } from './api-tokens.js';

/**
 * The `portico token create` command: an operator on the server's own machine names the owner, an
 * active staff account, by email. The owner is the actor of the audit event.
 */
export async function createApiTokenForStaffEmail(ctx: AnonymousContext, input: { staffEmail: string; label?: string }): Promise<CreatedApiToken> {
  const label = checkTokenLabel(input.label);
  return ctx.db.transaction().execute(async (trx) => {
    const owner = await trx
      .selectFrom('accounts')
      .select('account_id')
      .where('kind', '=', 'staff')
      .where('status', '=', 'active')
      .where('email_lower', '=', input.staffEmail.trim().toLowerCase())
      .executeTakeFirst();
    if (!owner) throw notFound(`No active staff account has the email ${input.staffEmail.trim()}.`);
    return issueApiToken(trx, { accountId: owner.account_id, actorId: owner.account_id, label, via: 'cli', ip: ctx.ip, userAgent: ctx.userAgent });
  });
}
