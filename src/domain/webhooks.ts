// Webhooks (docs/product.md#webhooks): the events an organization can subscribe to, what an event
// says, a subscription's endpoint URL, and when a failed delivery is tried again.

export const WEBHOOK_EVENT_TYPES = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.access.revoked',
  'customer.access.granted',
  'customer.access.warned',
  'access_review.started',
  'access_review.completed',
  'access_review.cancelled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(text: string): text is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(text);
}

/** At most this many subscriptions per organization. */
export const MAX_SUBSCRIPTIONS_PER_ORG = 20;
export const WEBHOOK_URL_MAX = 2000;
export const WEBHOOK_DESCRIPTION_MAX = 200;

/**
 * What an event says about a customer. Only ids and states, never names or addresses: the delivery
 * log keeps each payload, and a later delete must erase a customer's name and email for good (the
 * audit log keeps none either). A receiver that needs more reads the customer over REST.
 */
export interface CustomerEventData {
  accountId: string;
  site: { slug: string };
  /** the customer's status after the change: active, revoked or deleted */
  status: 'active' | 'revoked' | 'deleted';
  /** customer.updated: which fields changed */
  changed?: string[];
  /** who made the change; null for the customer themselves or an automatic one */
  actor: { accountId: string } | null;
  /** a revoke an access review made (docs/product.md#access-reviews): which review */
  accessReview?: { id: string };
  /**
   * a change a site's rule made by itself, not a person: the inactivity policy's warning and revoke
   * (docs/product.md#inactivity-policy), the revoke at a customer's "access until" (#access-until)
   */
  policy?: 'inactivity' | 'access_until';
  /** customer.access.warned: when the inactivity policy will revoke the customer unless they are active */
  revokeOn?: string;
}

/** The events of an access review (docs/product.md#access-reviews), as the customer events: ids and numbers, no names. */
export type AccessReviewEventType = Extract<WebhookEventType, `access_review.${string}`>;
export interface AccessReviewEventData {
  accessReview: { id: string };
  site: { slug: string };
  status: 'open' | 'completed' | 'cancelled';
  /** started: customers in it; completed: what applying it did */
  customers?: number;
  applied?: { kept: number; revoked: number; alreadyRevoked: number; deleted: number; defaulted: number };
  /** who started, completed or cancelled it; null when its due date applied it */
  actor: { accountId: string } | null;
}

/**
 * The outbox keeps one subject's events in order (webhook_deliveries.customer_id): a review's events
 * are ordered under this key, which no account id can be.
 */
export function accessReviewSubject(reviewId: string): string {
  return `access-review:${reviewId}`;
}

/** The Standard Webhooks payload: `type`, `timestamp`, `data` (https://www.standardwebhooks.com). */
export function webhookPayload(type: WebhookEventType, at: Date, data: CustomerEventData | AccessReviewEventData): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

/** The message an admin sees when an endpoint's URL is not one Portico may post to. */
export const WEBHOOK_URL_INVALID = 'Enter the endpoint as an absolute http:// or https:// URL without a user name or password.';

/** The URL as stored, or undefined when it is not an absolute http(s) URL without credentials. */
export function validWebhookUrl(text: string): URL | undefined {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > WEBHOOK_URL_MAX) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || !url.hostname) return undefined;
  url.hash = '';
  return url;
}

/** The longest wait between two attempts of one delivery. */
export const MAX_RETRY_DELAY_MS = 12 * 3_600_000;

/**
 * After the attempt numbered `attempts` (1 for the first) failed: when to try again, or null when
 * `retryLimit` retries are used up (the delivery has failed for good). The wait doubles each time.
 */
export function nextAttemptAfter(now: Date, attempts: number, settings: { retryLimit: number; retryDelaySeconds: number }): Date | null {
  if (attempts > settings.retryLimit) return null;
  const delay = Math.min(MAX_RETRY_DELAY_MS, settings.retryDelaySeconds * 1000 * 2 ** (attempts - 1));
  return new Date(now.getTime() + delay);
}

/** Why a subscription was switched off, as the console and the notice say it. */
export function endpointFailingReason(attempts: number, lastError: string): string {
  return `The endpoint failed ${attempts} delivery attempts in a row (last: ${lastError}).`;
}
