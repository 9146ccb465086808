import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError, badRequest, forbidden, notFound } from '../../domain/errors.js';
import { canCreateCustomers, hasStandingOnSite, type SiteRef } from '../../domain/policies.js';
import { insertCustomer } from '../../db/queries/customers.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import { normalizeForSearch } from '../../domain/search-terms.js';
import { validDisplayName } from '../../domain/display-name.js';
import type { UseCaseContext } from '../context.js';
import { requireActor } from '../help-center/get-service-desk.js';
import { loadAccounts, type AccountView } from '../people/get-user.js';

export interface CreateCustomerInput {
  site: SiteRef;
  displayName: string;
  email: string;
  /** a duplicate email answers 409 instead of 400 (REST `strictConflictStatusCode=true`) */
  strictConflict?: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/**
 * Creates a portal-only customer account of the site (no password yet: the customer sets one
 * through a password reset). Admins of the site and agents of any of its projects may do it
 * (docs/product.md#tenancy). The email must be new on the site, whatever the existing account's status.
 */
export async function createCustomer(ctx: UseCaseContext, input: CreateCustomerInput): Promise<AccountView> {
  const accountId = await answeringDuplicateEmail(input, () =>
    ctx.db.transaction().execute((trx) => createCustomerInTransaction(ctx, trx, input)),
  );
  const created = (await loadAccounts(ctx.db, [accountId])).get(accountId);
  if (!created) throw new Error('created customer vanished');
  return created;
}

/**
 * The writes of createCustomer inside the caller's transaction (with its checks and its
 * `customer.created` audit event), so a bigger use case can create and go on atomically
 * (create-project-customer.ts). Returns the new account id. Run the transaction inside
 * answeringDuplicateEmail so a race lost at the unique index gets the duplicate answer.
 */
export async function createCustomerInTransaction(ctx: UseCaseContext, trx: Transaction<Database>, input: CreateCustomerInput): Promise<string> {
  const actor = requireActor(ctx);
  if (!canCreateCustomers(actor, input.site)) {
    if (hasStandingOnSite(actor, input.site)) throw forbidden('Only admins and agents can create customers.');
    throw notFound('Site not found.');
  }
  const email = input.email.trim();
  if (!email || email.length > 254 || !EMAIL.test(email)) {
    throw badRequest('The email address is not valid.', { email: 'Enter a valid email address.' });
  }
  const displayName = validDisplayName(input.displayName);
  const existing = await trx
    .selectFrom('accounts')
    .select('account_id')
    .where('kind', '=', 'customer')
    .where('site_id', '=', input.site.id)
    .where('email_lower', '=', normalizeForSearch(email))
    .executeTakeFirst();
  if (existing) throw duplicateEmail(input);
  const id = await insertCustomer(trx, { siteId: input.site.id, email, displayName, passwordHash: null });
  await appendAuditEvent(trx, {
    action: 'customer.created',
    orgId: input.site.orgId,
    siteId: input.site.id,
    actorId: actor.accountId,
    targetId: id,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    details: { email },
  });
  return id;
}

/**
 * Runs `work` (a transaction that creates the customer of `input`); two creates racing for one
 * email are decided by the unique index, and the loser gets the same answer as a plain duplicate.
 */
export async function answeringDuplicateEmail<T>(input: CreateCustomerInput, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateEmail(input);
    throw err;
  }
}

function duplicateEmail(input: CreateCustomerInput): AppError {
  const message = `A customer with the email '${input.email.trim()}' already exists.`;
  return input.strictConflict ? new AppError('conflict', message, { email: message }) : badRequest(message, { email: message });
}
