import { sql } from 'kysely';
import type { AnonymousContext } from '../context.js';
import { insertOneTimeToken } from '../../db/queries/one-time-tokens.js';

export const PASSWORD_RESET_ACCEPTED_MESSAGE = 'If an account exists for this email, we sent a link to reset the password.';
export const PASSWORD_RESET_LINK_HOURS = 1;
/** More reset mails than this per account and hour are silently not sent (mail bombing). */
export const PASSWORD_RESET_MAX_PER_HOUR = 5;

/**
 * A customer who forgot their password asks for a one-time link. The caller always answers the
 * same thing; only an ACTIVE customer of this site gets a link (revoked, deleted and unknown
 * emails get nothing), stored hashed, valid for one hour, queued through the one mailer in the
 * same transaction. Nothing here waits for an SMTP server: mail is delivered after the answer, so the
 * answer is the same for every email.
 */
export async function requestPasswordReset(
  ctx: AnonymousContext,
  input: { site: { id: string; orgId: string; slug: string; name: string }; email: string },
): Promise<void> {
  const email = input.email.trim().toLowerCase();
  if (!email) return;
  await ctx.db.transaction().execute(async (trx) => {
    const account = await trx
      .selectFrom('accounts')
      .select(['account_id', 'email', 'display_name'])
      .where('kind', '=', 'customer')
      .where('site_id', '=', input.site.id)
      .where('email_lower', '=', email)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!account || !account.email) return;

    const recent = await trx
      .selectFrom('one_time_tokens')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('account_id', '=', account.account_id)
      .where('purpose', '=', 'password_reset')
      .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= PASSWORD_RESET_MAX_PER_HOUR) return;

    const { token } = await insertOneTimeToken(trx, { accountId: account.account_id, siteId: input.site.id, purpose: 'password_reset', hours: PASSWORD_RESET_LINK_HOURS });

    const link = `${ctx.origin}/s/${encodeURIComponent(input.site.slug)}/servicedesk/customer/user/reset-password?token=${encodeURIComponent(token)}`;
    await ctx.mailer.send(
      trx,
      {
        to: account.email,
        subject: `Reset your password for ${input.site.name}`,
        body: [
          `Hello ${account.display_name ?? ''},`,
          '',
          `Someone asked to reset the password of your ${input.site.name} help center account.`,
          `To choose a new password, open this link within ${PASSWORD_RESET_LINK_HOURS} hour:`,
          '',
          link,
          '',
          'The link works once. If you did not ask for this, ignore this message: your password stays as it is.',
        ].join('\n'),
        orgId: input.site.orgId,
        siteId: input.site.id,
        recipientId: account.account_id,
      },
    );
  });
}
