import { sql } from 'kysely';
import type { ActorContext } from '../context.js';
import { badRequest } from '../../domain/errors.js';
import { validCustomerEmail } from '../../domain/customer-email.js';
import { decideCreateCustomer } from '../../domain/policies.js';
import { normalizeForSearch } from '../../domain/search-terms.js';
import { MAX_INVITATIONS_PER_CALL } from '../../domain/signup.js';
import { insertCustomerIfNew } from '../../db/queries/customers.js';
import { findSignupSettings } from '../../db/queries/signup.js';
import { enforce } from '../authorize.js';
import { auditProjectCustomers, loadManagedServiceDesk } from '../customers/project-customers.js';
import { mailSetPasswordLink, type OnboardingSite } from './portal-accounts.js';
import { auditSiteChange } from '../audit.js';

/** What became of one email of an invitation, as the agent's per-row result says it. */
export type InvitationOutcome =
  /** a set-password link was mailed (a new account, or one that never chose a password), and the customer is on the project */
  | 'invited'
  /** an active customer with a password: added to the project, nothing mailed */
  | 'added'
  /** already a customer of the project: nothing changed */
  | 'already_customer'
  /** the customer's access is revoked: nothing changed, nothing mailed */
  | 'revoked'
  /** not an email address */
  | 'invalid';

export interface InvitationResult {
  email: string;
  outcome: InvitationOutcome;
  message: string;
  accountId?: string;
}

/**
 * Invites customers to a service project by email (docs/product.md#invitations): each address, in
 * any case, is the site's one account for it — made now if there is none, without a password —
 * and is added to the project. Whoever has no password yet is mailed a set-password link valid for
 * the site's invitation days; an active customer who has one is just added. A revoked customer is
 * refused with a message for the agent, and nothing is mailed to them or changed. Agents of the
 * project and the site's admins may do it (as they add customers). Invalid addresses are reported
 * per row and stop nothing; the valid rows are written in one transaction.
 */
export async function inviteProjectCustomers(
  ctx: ActorContext,
  input: { site: OnboardingSite; serviceDeskId: string; emails: string[] },
): Promise<{ project: { id: string; key: string }; results: InvitationResult[] }> {
  enforce(decideCreateCustomer(ctx.actor, input.site), { notFound: 'Site not found.', forbidden: 'Only admins and agents can invite customers.' });
  const desk = await loadManagedServiceDesk(ctx.db, ctx.actor, input.site, input.serviceDeskId, 'Only agents of this service project and admins can invite customers.');
  const typed = input.emails.map((e) => e.trim()).filter(Boolean);
  if (typed.length === 0) throw badRequest('List at least one email address.', { emails: 'List at least one email address.' });

  // one row per address, in the order typed; the same address twice (any case) counts once
  const rows: Array<{ typed: string; email: string | null }> = [];
  const seen = new Set<string>();
  for (const raw of typed) {
    const email = validCustomerEmail(raw);
    const key = email ? normalizeForSearch(email) : `invalid:${raw}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ typed: raw, email });
  }
  if (rows.length > MAX_INVITATIONS_PER_CALL) {
    const message = `Invite at most ${MAX_INVITATIONS_PER_CALL} addresses at a time.`;
    throw badRequest(message, { emails: message });
  }

  const settings = await findSignupSettings(ctx.db, input.site.id);
  const hours = (settings?.invitationDays ?? 7) * 24;
  const inviter = await ctx.db.selectFrom('accounts').select('display_name').where('account_id', '=', ctx.actor.accountId).executeTakeFirst();

  const results = await ctx.db.transaction().execute(async (trx) => {
    const out: InvitationResult[] = [];
    const added: string[] = [];
    for (const row of rows) {
      if (!row.email) {
        out.push({ email: row.typed, outcome: 'invalid', message: `'${row.typed.slice(0, 100)}' is not a valid email address.` });
        continue;
      }
      const email = row.email;
      const created = await insertCustomerIfNew(trx, { siteId: input.site.id, email, displayName: email });
      // an existing account is locked as every write that names a person locks it (docs/security.md): a revoke waits or came first
      const account = await trx
        .selectFrom('accounts')
        .select(['account_id', 'email', 'display_name', 'status', 'password_hash'])
        .where('kind', '=', 'customer')
        .where('site_id', '=', input.site.id)
        .where('email_lower', '=', normalizeForSearch(email))
        .modifyEnd(sql`FOR NO KEY UPDATE`)
        .executeTakeFirstOrThrow();
      const shown = account.email ?? email;
      if (account.status !== 'active') {
        out.push({
          email: shown,
          outcome: 'revoked',
          accountId: account.account_id,
          message: `${shown} cannot be invited: their access to this help center is revoked. An admin can grant it back; nothing was sent.`,
        });
        continue;
      }
      if (created) {
        await auditSiteChange(trx, ctx, input.site, 'customer.created', { email, via: 'invitation' }, created);
      }
      const inserted = await trx
        .insertInto('project_customers')
        .values({ site_id: input.site.id, project_id: desk.projectId, account_id: account.account_id })
        .onConflict((oc) => oc.columns(['project_id', 'account_id']).doNothing())
        .returning('account_id')
        .executeTakeFirst();
      if (inserted) added.push(account.account_id);

      if (account.password_hash === null) {
        await mailSetPasswordLink(ctx, trx, {
          site: input.site,
          account: { accountId: account.account_id, email: shown, displayName: account.display_name ?? shown },
          purpose: 'invitation',
          hours,
          invitedBy: inviter?.display_name ?? undefined,
        });
        await auditSiteChange(trx, ctx, input.site, 'customer.invited', { email: shown, projectId: desk.projectId, projectKey: desk.projectKey, validDays: hours / 24 }, account.account_id);
        out.push({ email: shown, outcome: 'invited', accountId: account.account_id, message: `Invitation sent to ${shown}.` });
      } else if (inserted) {
        out.push({ email: shown, outcome: 'added', accountId: account.account_id, message: `${shown} already has an account: added to ${desk.projectKey}.` });
      } else {
        out.push({ email: shown, outcome: 'already_customer', accountId: account.account_id, message: `${shown} is already a customer of ${desk.projectKey}.` });
      }
    }
    await auditProjectCustomers(trx, ctx, input.site, desk, 'project.customer.added', added);
    return out;
  });
  return { project: { id: desk.projectId, key: desk.projectKey }, results };
}
