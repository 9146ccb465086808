import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ActorContext } from '../context.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import {
  countWebhookSubscriptions,
  deleteWebhookSubscription,
  findWebhookDelivery,
  findWebhookSubscription,
  insertWebhookDeliveries,
  insertWebhookSubscription,
  listWebhookDeliveries,
  listWebhookSubscriptions,
  updateWebhookSubscription,
  type WebhookDeliveryRow,
  type WebhookSubscriptionRow,
} from '../../db/queries/webhooks.js';
import { AppError, badRequest, notFound } from '../../domain/errors.js';
import { sealSecret } from '../../domain/secret-box.js';
import { newWebhookSecret } from '../../domain/secrets.js';
import {
  isWebhookEventType,
  MAX_SUBSCRIPTIONS_PER_ORG,
  validWebhookUrl,
  WEBHOOK_DESCRIPTION_MAX,
  WEBHOOK_URL_INVALID,
  type WebhookEventType,
} from '../../domain/webhooks.js';
import { resolveWebhookHost, WebhookEndpointRefused } from '../../integrations/webhook-sender.js';
import { authorizeOrgAdminOf, UUID } from '../admin/org-admin.js';
import { pageOffset } from '../../domain/limits.js';

// An organization's webhook subscriptions (docs/product.md#webhooks), for its org admins only: for
// anyone else the organization does not exist (404). The signing secret is shown once, in the answer
// that creates the subscription, and stored sealed under PORTICO_SECRET_KEY.

export const NO_WEBHOOK_SECRET_KEY_MESSAGE =
  'Webhooks cannot be set up until the server has a secret key for stored secrets: ask the operator to set PORTICO_SECRET_KEY (docs/operations.md).';

export interface WebhookSubscriptionView {
  id: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  createdAt: Date;
  disabledAt: Date | null;
  /** why Portico (or an admin) switched it off; null while it is on */
  disabledReason: string | null;
}

const view = (s: WebhookSubscriptionRow): WebhookSubscriptionView => ({
  id: s.id,
  url: s.url,
  description: s.description,
  events: s.events.filter(isWebhookEventType),
  enabled: s.disabledAt === null,
  createdAt: s.createdAt,
  disabledAt: s.disabledAt,
  disabledReason: s.disabledReason,
});

type Trx = Transaction<Database>;

function orgIdOf(ctx: ActorContext, orgId: string): string {
  const id = orgId.toLowerCase();
  authorizeOrgAdminOf(ctx, id);
  return id;
}

async function subscriptionOf(ctx: ActorContext, orgId: string, id: string): Promise<WebhookSubscriptionRow> {
  const found = UUID.test(id) ? await findWebhookSubscription(ctx.db, orgId, id.toLowerCase()) : undefined;
  if (!found) throw notFound('Webhook subscription not found.');
  return found;
}

function audit(trx: Trx, ctx: ActorContext, orgId: string, action: string, details: Record<string, unknown>) {
  return appendAuditEvent(trx, { action, orgId, siteId: null, actorId: ctx.actor.accountId, targetId: null, ip: ctx.ip, userAgent: ctx.userAgent, details });
}

function checkedEvents(events: string[]): WebhookEventType[] {
  const unknown = events.filter((e) => !isWebhookEventType(e));
  if (unknown.length) {
    const m = `Unknown event type '${unknown[0]!.slice(0, 60)}'.`;
    throw badRequest(m, { events: m });
  }
  if (events.length === 0) throw badRequest('Choose at least one event.', { events: 'Choose at least one event.' });
  return [...new Set(events)] as WebhookEventType[];
}

function checkedDescription(text: string | undefined): string {
  const d = (text ?? '').trim();
  if (d.length > WEBHOOK_DESCRIPTION_MAX) {
    const m = `The description must be at most ${WEBHOOK_DESCRIPTION_MAX} characters.`;
    throw badRequest(m, { description: m });
  }
  return d;
}

/** How long saving a subscription waits for DNS to resolve its host. */
const SAVE_LOOKUP_TIMEOUT_MS = 5_000;

/**
 * The endpoint as stored; 400 when it is not an http(s) URL or its host's address is on a private
 * network the operator does not allow (docs/security.md, E8). A name that does not resolve now is
 * saved: every attempt resolves and checks it again before it connects.
 */
async function checkedUrl(ctx: ActorContext, text: string): Promise<string> {
  const url = validWebhookUrl(text);
  if (!url) throw badRequest(WEBHOOK_URL_INVALID, { url: WEBHOOK_URL_INVALID });
  try {
    await resolveWebhookHost(url.hostname, ctx.config.webhooks.allowedHosts, SAVE_LOOKUP_TIMEOUT_MS);
  } catch (error) {
    if (error instanceof WebhookEndpointRefused) throw badRequest(error.message, { url: error.message });
  }
  return url.toString();
}

export async function listWebhookSubscriptionsFor(ctx: ActorContext, input: { orgId: string }): Promise<{ canSave: boolean; values: WebhookSubscriptionView[] }> {
  const orgId = orgIdOf(ctx, input.orgId);
  return { canSave: Boolean(ctx.config.secretKey), values: (await listWebhookSubscriptions(ctx.db, orgId)).map(view) };
}

/** Creates a subscription; the answer carries the signing secret, which is never shown again. */
export async function createWebhookSubscription(
  ctx: ActorContext,
  input: { orgId: string; url: string; description?: string; events: string[] },
): Promise<WebhookSubscriptionView & { secret: string }> {
  const orgId = orgIdOf(ctx, input.orgId);
  if (!ctx.config.secretKey) throw badRequest(NO_WEBHOOK_SECRET_KEY_MESSAGE);
  const events = checkedEvents(input.events);
  const description = checkedDescription(input.description);
  const url = await checkedUrl(ctx, input.url);
  const secret = newWebhookSecret();
  const id = randomUUID();
  const secretKey = ctx.config.secretKey;
  await ctx.db.transaction().execute(async (trx) => {
    if ((await countWebhookSubscriptions(trx, orgId)) >= MAX_SUBSCRIPTIONS_PER_ORG) {
      throw new AppError('conflict', `An organization can have at most ${MAX_SUBSCRIPTIONS_PER_ORG} webhook subscriptions.`);
    }
    await insertWebhookSubscription(trx, { id, orgId, url, description, events, secretSealed: sealSecret(secretKey, secret), createdBy: ctx.actor.accountId });
    await audit(trx, ctx, orgId, 'webhook.subscription.created', { subscriptionId: id, url, events });
  });
  return { ...view((await findWebhookSubscription(ctx.db, orgId, id))!), secret };
}

/**
 * Changes a subscription's endpoint, description or events, or switches it on or off. Switching on
 * a subscription Portico switched off sends what waited, in order, from the next delivery run.
 */
export async function updateWebhookSubscriptionFor(
  ctx: ActorContext,
  input: { orgId: string; id: string; url?: string; description?: string; events?: string[]; enabled?: boolean },
): Promise<WebhookSubscriptionView> {
  const orgId = orgIdOf(ctx, input.orgId);
  const before = await subscriptionOf(ctx, orgId, input.id);
  const change: Parameters<typeof updateWebhookSubscription>[2] = {};
  if (input.url !== undefined) change.url = await checkedUrl(ctx, input.url);
  if (input.description !== undefined) change.description = checkedDescription(input.description);
  if (input.events !== undefined) change.events = checkedEvents(input.events);
  if (input.enabled !== undefined && input.enabled !== (before.disabledAt === null)) {
    change.disabledAt = input.enabled ? null : new Date();
    change.disabledReason = input.enabled ? null : 'Switched off by an admin.';
  }
  await ctx.db.transaction().execute(async (trx) => {
    await updateWebhookSubscription(trx, before.id, change);
    const action = change.disabledAt === null ? 'webhook.subscription.enabled' : change.disabledAt ? 'webhook.subscription.disabled' : 'webhook.subscription.updated';
    await audit(trx, ctx, orgId, action, { subscriptionId: before.id, url: change.url ?? before.url, ...(change.events ? { events: change.events } : {}) });
    if (change.disabledAt === null) await ctx.webhooks?.wake(trx);
  });
  return view((await findWebhookSubscription(ctx.db, orgId, before.id))!);
}

/** Deletes a subscription and its delivery log; what was still waiting is never sent. */
export async function deleteWebhookSubscriptionFor(ctx: ActorContext, input: { orgId: string; id: string }): Promise<void> {
  const orgId = orgIdOf(ctx, input.orgId);
  const before = await subscriptionOf(ctx, orgId, input.id);
  await ctx.db.transaction().execute(async (trx) => {
    await deleteWebhookSubscription(trx, before.id);
    await audit(trx, ctx, orgId, 'webhook.subscription.deleted', { subscriptionId: before.id, url: before.url });
  });
}

export const DELIVERY_PAGE_MAX = 100;

export interface WebhookDeliveryView extends Omit<WebhookDeliveryRow, 'payload' | 'subscriptionId'> {
  /** the event's JSON as it was (and is) sent */
  payload: unknown;
}

/** A subscription's delivery log, newest first. */
export async function listWebhookDeliveriesFor(
  ctx: ActorContext,
  input: { orgId: string; id: string; start: number; limit: number },
): Promise<{ start: number; limit: number; isLastPage: boolean; values: WebhookDeliveryView[] }> {
  const orgId = orgIdOf(ctx, input.orgId);
  const subscription = await subscriptionOf(ctx, orgId, input.id);
  const start = pageOffset(input.start);
  const rows = await listWebhookDeliveries(ctx.db, subscription.id, { start, limit: input.limit + 1 });
  return {
    start,
    limit: input.limit,
    isLastPage: rows.length <= input.limit,
    values: rows.slice(0, input.limit).map(deliveryView),
  };
}

function deliveryView({ payload, subscriptionId: _s, ...rest }: WebhookDeliveryRow): WebhookDeliveryView {
  return { ...rest, payload: JSON.parse(payload) as unknown };
}

/**
 * Sends a delivery again: a new delivery of the same message (same webhook-id, so a receiver that
 * drops duplicates can), queued behind the customer's other waiting events.
 */
export async function resendWebhookDelivery(ctx: ActorContext, input: { orgId: string; id: string; deliveryId: string }): Promise<WebhookDeliveryView> {
  const orgId = orgIdOf(ctx, input.orgId);
  const subscription = await subscriptionOf(ctx, orgId, input.id);
  const original = /^[0-9]{1,18}$/.test(input.deliveryId) ? await findWebhookDelivery(ctx.db, subscription.id, input.deliveryId) : undefined;
  if (!original) throw notFound('Delivery not found.');
  await ctx.db.transaction().execute(async (trx) => {
    await insertWebhookDeliveries(trx, [
      {
        subscriptionId: subscription.id,
        orgId,
        messageId: original.messageId,
        eventType: original.eventType,
        customerId: original.customerId,
        payload: original.payload,
        createdAt: new Date(),
        resendOf: original.id,
      },
    ]);
    await audit(trx, ctx, orgId, 'webhook.delivery.resent', { subscriptionId: subscription.id, deliveryId: original.id, messageId: original.messageId });
    await ctx.webhooks?.wake(trx);
  });
  const [newest] = await listWebhookDeliveries(ctx.db, subscription.id, { start: 0, limit: 1 });
  return deliveryView(newest!);
}
