import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { apiErrors, NoContent } from '../../schemas/common.js';
import { OFFSET_SCHEMA } from '../../../domain/limits.js';
import { WEBHOOK_EVENT_TYPES } from '../../../domain/webhooks.js';
import {
  createWebhookSubscription,
  deleteWebhookSubscriptionFor,
  DELIVERY_PAGE_MAX,
  listWebhookDeliveriesFor,
  listWebhookSubscriptionsFor,
  resendWebhookDelivery,
  updateWebhookSubscriptionFor,
  type WebhookDeliveryView,
  type WebhookSubscriptionView,
} from '../../../use-cases/webhooks/webhook-subscriptions.js';
import {
  CreatedWebhookSubscriptionSchema,
  CreateWebhookBody,
  UpdateWebhookBody,
  WebhookDeliveryPageSchema,
  WebhookDeliverySchema,
  WebhookSubscriptionSchema,
  WebhookSubscriptionsSchema,
} from '../../schemas/webhooks.js';
import { OrgParams, TAGS } from './schemas.js';

// An organization's webhooks (docs/product.md#webhooks), for its org admins: the subscriptions, each
// one's delivery log, and resending a delivery. Cookie auth (writes need the CSRF header) or an API token.

const SubscriptionParams = Type.Object({ orgId: OrgParams.properties.orgId, id: Type.String({ minLength: 1, maxLength: 64, description: 'subscription id' }) });
const DeliveryParams = Type.Object({ ...SubscriptionParams.properties, deliveryId: Type.String({ minLength: 1, maxLength: 20, description: 'delivery id' }) });

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const presentSubscription = (s: WebhookSubscriptionView) => ({ ...s, createdAt: s.createdAt.toISOString(), disabledAt: iso(s.disabledAt) });
const presentDelivery = (d: WebhookDeliveryView) => ({
  ...d,
  nextAttemptAt: d.nextAttemptAt.toISOString(),
  lastAttemptAt: iso(d.lastAttemptAt),
  deliveredAt: iso(d.deliveredAt),
  createdAt: d.createdAt.toISOString(),
});

export async function registerWebhookRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/api/admin/orgs/:orgId/webhooks', {
    schema: { tags: TAGS, summary: "The organization's webhook subscriptions (org admins; never the secrets)", params: OrgParams, response: { 200: WebhookSubscriptionsSchema, ...apiErrors } },
  }, async (request) => {
    const r = await listWebhookSubscriptionsFor(await contextFor(deps, request), { orgId: request.params.orgId });
    return { canSave: r.canSave, eventTypes: [...WEBHOOK_EVENT_TYPES], values: r.values.map(presentSubscription) };
  });

  app.post('/api/admin/orgs/:orgId/webhooks', {
    schema: {
      tags: TAGS,
      summary: 'Subscribes an endpoint to customer events; the answer carries the signing secret, shown this once',
      params: OrgParams,
      body: CreateWebhookBody,
      response: { 201: CreatedWebhookSubscriptionSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const created = await createWebhookSubscription(await contextFor(deps, request), { orgId: request.params.orgId, ...request.body });
    return reply.code(201).send({ ...presentSubscription(created), secret: created.secret });
  });

  app.put('/api/admin/orgs/:orgId/webhooks/:id', {
    schema: {
      tags: TAGS,
      summary: "Changes a subscription's endpoint, description or events, or switches it on or off",
      params: SubscriptionParams,
      body: UpdateWebhookBody,
      response: { 200: WebhookSubscriptionSchema, ...apiErrors },
    },
  }, async (request) => presentSubscription(await updateWebhookSubscriptionFor(await contextFor(deps, request), { orgId: request.params.orgId, id: request.params.id, ...request.body })));

  app.delete('/api/admin/orgs/:orgId/webhooks/:id', {
    schema: { tags: TAGS, summary: 'Deletes a subscription and its delivery log', params: SubscriptionParams, response: { 204: NoContent, ...apiErrors } },
  }, async (request, reply) => {
    await deleteWebhookSubscriptionFor(await contextFor(deps, request), { orgId: request.params.orgId, id: request.params.id });
    return reply.code(204).send(null);
  });

  app.get('/api/admin/orgs/:orgId/webhooks/:id/deliveries', {
    schema: {
      tags: TAGS,
      summary: "A subscription's delivery log, newest first",
      params: SubscriptionParams,
      querystring: Type.Object({
        start: Type.Integer({ ...OFFSET_SCHEMA, default: 0 }),
        limit: Type.Integer({ minimum: 1, maximum: DELIVERY_PAGE_MAX, default: 50 }),
      }),
      response: { 200: WebhookDeliveryPageSchema, ...apiErrors },
    },
  }, async (request) => {
    const page = await listWebhookDeliveriesFor(await contextFor(deps, request), { orgId: request.params.orgId, id: request.params.id, start: request.query.start, limit: request.query.limit });
    return { ...page, values: page.values.map(presentDelivery) };
  });

  app.post('/api/admin/orgs/:orgId/webhooks/:id/deliveries/:deliveryId/resend', {
    schema: {
      tags: TAGS,
      summary: 'Sends a delivery again (same webhook-id), after the customer’s other waiting events',
      params: DeliveryParams,
      response: { 202: WebhookDeliverySchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const d = await resendWebhookDelivery(await contextFor(deps, request), { orgId: request.params.orgId, id: request.params.id, deliveryId: request.params.deliveryId });
    return reply.code(202).send(presentDelivery(d));
  });
}
