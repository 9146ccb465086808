import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { insertWebhookDeliveries, subscribersOf } from '../../db/queries/webhooks.js';
import { newWebhookMessageId } from '../../domain/secrets.js';
import { accessReviewSubject, webhookPayload, type AccessReviewEventData, type AccessReviewEventType, type CustomerEventData, type WebhookEventType } from '../../domain/webhooks.js';
import type { AppContext } from '../context.js';

/**
 * Writes a customer event to the webhook outbox in the change's own transaction (docs/product.md#webhooks):
 * one delivery per switched-on subscription of the organization that wants `type`, so the event
 * exists exactly when the change does. With no subscriber this is one small read.
 */
export async function publishCustomerEvent(
  trx: Kysely<Database>,
  ctx: Pick<AppContext, 'webhooks'> & { actor?: { accountId: string } | null },
  site: { orgId: string; slug: string },
  type: WebhookEventType,
  customers: Array<{ accountId: string; status: CustomerEventData['status'] }>,
  extra: Pick<CustomerEventData, 'changed' | 'accessReview' | 'policy' | 'revokeOn'> = {},
): Promise<void> {
  if (customers.length === 0) return;
  await publishCustomerEventTo(trx, ctx, site, type, customers, await subscribersOf(trx, site.orgId, type), extra);
}

/**
 * publishCustomerEvent once the organization's subscribers that want `type` are known: a change that
 * read its organization's subscriptions as a part of its own statement (db/queries/customer-access.ts,
 * AlongTheChange) writes only the deliveries here, and nothing when none wants the event.
 */
export async function publishCustomerEventTo(
  trx: Kysely<Database>,
  ctx: Pick<AppContext, 'webhooks'> & { actor?: { accountId: string } | null },
  site: { orgId: string; slug: string },
  type: WebhookEventType,
  customers: Array<{ accountId: string; status: CustomerEventData['status'] }>,
  subscribers: string[],
  extra: Pick<CustomerEventData, 'changed' | 'accessReview' | 'policy' | 'revokeOn'> = {},
): Promise<void> {
  if (customers.length === 0 || subscribers.length === 0) return;
  const at = new Date();
  const actor = ctx.actor ? { accountId: ctx.actor.accountId } : null;
  const deliveries = customers.flatMap((c) => {
    const messageId = newWebhookMessageId();
    const payload = webhookPayload(type, at, { accountId: c.accountId, site: { slug: site.slug }, status: c.status, ...extra, actor });
    return subscribers.map((subscriptionId) => ({ subscriptionId, orgId: site.orgId, messageId, eventType: type, customerId: c.accountId, payload, createdAt: at }));
  });
  await insertWebhookDeliveries(trx, deliveries);
  await ctx.webhooks?.wake(trx);
}

/** Who a change's events name as their actor: the person who made it; none for SCIM or scheduled work without one. */
export function publisherOf(ctx: Pick<AppContext, 'webhooks'>, actorId: string | null): Pick<AppContext, 'webhooks'> & { actor: { accountId: string } | null } {
  return { webhooks: ctx.webhooks, actor: actorId ? { accountId: actorId } : null };
}

/**
 * Writes an access review's event (started, completed, cancelled; docs/product.md#access-reviews) to
 * the webhook outbox in the change's transaction, as publishCustomerEvent does; the review's events
 * reach an endpoint in order.
 */
export async function publishAccessReviewEvent(
  trx: Kysely<Database>,
  ctx: Pick<AppContext, 'webhooks'> & { actor?: { accountId: string } | null },
  site: { orgId: string; slug: string },
  type: AccessReviewEventType,
  data: Omit<AccessReviewEventData, 'site' | 'actor'>,
): Promise<void> {
  const subscribers = await subscribersOf(trx, site.orgId, type);
  if (subscribers.length === 0) return;
  const at = new Date();
  const messageId = newWebhookMessageId();
  const payload = webhookPayload(type, at, { ...data, site: { slug: site.slug }, actor: ctx.actor ? { accountId: ctx.actor.accountId } : null });
  const subject = accessReviewSubject(data.accessReview.id);
  await insertWebhookDeliveries(trx, subscribers.map((subscriptionId) => ({ subscriptionId, orgId: site.orgId, messageId, eventType: type, customerId: subject, payload, createdAt: at })));
  await ctx.webhooks?.wake(trx);
}
