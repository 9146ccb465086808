import { Type } from 'typebox';
import { WEBHOOK_DESCRIPTION_MAX, WEBHOOK_URL_MAX } from '../../domain/webhooks.js';

// The answers and bodies of the webhook routes (http/routes/admin/webhooks.ts). The signing secret
// leaves the server once, in the answer that creates a subscription.

const DateTime = Type.String({ format: 'date-time' });
const OrNull = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const WebhookEventTypeSchema = Type.Union(
  [
    Type.Literal('customer.created'),
    Type.Literal('customer.updated'),
    Type.Literal('customer.deleted'),
    Type.Literal('customer.access.revoked'),
    Type.Literal('customer.access.granted'),
    Type.Literal('customer.access.warned'),
    Type.Literal('access_review.started'),
    Type.Literal('access_review.completed'),
    Type.Literal('access_review.cancelled'),
  ],
  { description: 'an event type' },
);

export const WebhookSubscriptionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(WebhookEventTypeSchema),
  enabled: Type.Boolean({ description: 'false once Portico switched it off (the endpoint kept failing) or an admin did' }),
  createdAt: DateTime,
  disabledAt: OrNull(DateTime),
  disabledReason: OrNull(Type.String()),
});
export const CreatedWebhookSubscriptionSchema = Type.Object({
  ...WebhookSubscriptionSchema.properties,
  secret: Type.String({ description: 'the signing secret (whsec_…): shown in this answer only, never again' }),
});
export const WebhookSubscriptionsSchema = Type.Object({
  canSave: Type.Boolean({ description: 'false while PORTICO_SECRET_KEY is not set: no subscription can be created' }),
  eventTypes: Type.Array(WebhookEventTypeSchema),
  values: Type.Array(WebhookSubscriptionSchema),
});

const Events = Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 20 });
export const CreateWebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: WEBHOOK_URL_MAX }),
    description: Type.Optional(Type.String({ maxLength: WEBHOOK_DESCRIPTION_MAX })),
    events: Events,
  },
  { additionalProperties: false },
);
export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: WEBHOOK_URL_MAX })),
    description: Type.Optional(Type.String({ maxLength: WEBHOOK_DESCRIPTION_MAX })),
    events: Type.Optional(Events),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const WebhookDeliverySchema = Type.Object({
  id: Type.String(),
  messageId: Type.String({ description: 'the webhook-id header: the same for a resend of the same event' }),
  eventType: Type.String(),
  customerId: Type.String(),
  payload: Type.Unknown({ description: 'the JSON body sent' }),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  nextAttemptAt: DateTime,
  lastAttemptAt: OrNull(DateTime),
  lastStatusCode: OrNull(Type.Integer()),
  lastError: OrNull(Type.String()),
  deliveredAt: OrNull(DateTime),
  resendOf: OrNull(Type.String()),
  createdAt: DateTime,
});
export const WebhookDeliveryPageSchema = Type.Object({
  start: Type.Integer(),
  limit: Type.Integer(),
  isLastPage: Type.Boolean(),
  values: Type.Array(WebhookDeliverySchema),
});
