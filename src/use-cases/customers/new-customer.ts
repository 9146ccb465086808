import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError, badRequest } from '../../domain/errors.js';
import { decideCreateCustomer, type SiteRef } from '../../domain/policies.js';
import { insertCustomer } from '../../db/queries/customers.js';
import { auditSiteChangeBy, authorAccountId, authorOf, type ChangeAuthor } from '../audit.js';
import { normalizeForSearch } from '../../domain/search-terms.js';
import { validDisplayName } from '../../domain/display-name.js';
import { CUSTOMER_EMAIL_INVALID, validCustomerEmail } from '../../domain/customer-email.js';
import { enforce } from '../authorize.js';
import { parseAccessUntil } from '../../domain/access-until.js';
import { writeAccessUntil } from '../../db/queries/access-until.js';
import type { ActorContext, AppContext } from '../context.js';
import { publishCustomerEvent, publisherOf } from '../webhooks/publish-customer-event.js';

// Creating a portal-only customer, shared by "Create customer" (create-customer.ts) and a project's
// "Create customer" (create-project-customer.ts, which adds the new customer in the same transaction).

export interface CreateCustomerInput {
  site: SiteRef & { slug: string };
  displayName: string;
  email: string;
  /** a duplicate email answers 409 instead of 400 (REST `strictConflictStatusCode=true`) */
  strictConflict?: boolean;
  /** ISO 8601: the new customer's access ends then (docs/product.md#access-until) */
  accessUntil?: string | null;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/**
 * The checks and writes of creating a customer inside the caller's transaction (with its
 * `customer.created` audit event), so a bigger use case can create and go on atomically. Returns the new account id. Run the transaction inside
 * answeringDuplicateEmail so a race lost at the unique index gets the duplicate answer.
 */
export async function createCustomerInTransaction(ctx: ActorContext, trx: Transaction<Database>, input: CreateCustomerInput): Promise<string> {
  enforce(decideCreateCustomer(ctx.actor, input.site), { notFound: 'Site not found.', forbidden: 'Only admins and agents can create customers.' });
  return insertAuthorizedCustomer(ctx, trx, input, authorOf(ctx));
}

/**
 * createCustomerInTransaction once the author's right to create customers on the site is settled:
 * a person's (above) or the site's SCIM token's (use-cases/scim).
 */
export async function insertAuthorizedCustomer(ctx: AppContext, trx: Transaction<Database>, input: CreateCustomerInput, author: ChangeAuthor): Promise<string> {
  const email = validCustomerEmail(input.email);
  if (!email) throw badRequest(CUSTOMER_EMAIL_INVALID, { email: 'Enter a valid email address.' });
  const displayName = validDisplayName(input.displayName);
  const accessUntil = input.accessUntil ? parseAccessUntil(input.accessUntil, new Date(), 'accessUntil') : null;
  const existing = await trx
    .selectFrom('accounts')
    .select('account_id')
    .where('kind', '=', 'customer')
    .where('site_id', '=', input.site.id)
    .where('email_lower', '=', normalizeForSearch(email))
    .executeTakeFirst();
  if (existing) throw duplicateEmail(input);
  const id = await insertCustomer(trx, { siteId: input.site.id, email, displayName, passwordHash: null });
  const actorId = authorAccountId(author);
  if (accessUntil && actorId) await writeAccessUntil(trx, [id], { until: accessUntil, by: actorId, reason: null, notice: null });
  await auditSiteChangeBy(trx, ctx, author, input.site, 'customer.created', { email, ...(accessUntil ? { accessUntil: accessUntil.toISOString() } : {}) }, id);
  await publishCustomerEvent(trx, publisherOf(ctx, actorId), input.site, 'customer.created', [{ accountId: id, status: 'active' }]);
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
