import { sql, type Kysely } from 'kysely';
import type { Db } from '../connection.js';
import type { Database, WebhookDeliveryStatus } from '../schema.js';

// Webhook subscriptions and their deliveries (migration 20261206T0300_webhooks). Rows only: who may
// read or change them is decided by the use cases.

export interface WebhookSubscriptionRow {
  id: string;
  orgId: string;
  url: string;
  description: string;
  events: string[];
  secretSealed: string;
  createdAt: Date;
  disabledAt: Date | null;
  disabledReason: string | null;
}

const subscriptionColumns = ['id', 'org_id', 'url', 'description', 'events', 'secret_sealed', 'created_at', 'disabled_at', 'disabled_reason'] as const;

function subscriptionOf(r: {
  id: string;
  org_id: string;
  url: string;
  description: string;
  events: string;
  secret_sealed: string;
  created_at: Date;
  disabled_at: Date | null;
  disabled_reason: string | null;
}): WebhookSubscriptionRow {
  return {
    id: r.id,
    orgId: r.org_id,
    url: r.url,
    description: r.description,
    events: JSON.parse(r.events) as string[],
    secretSealed: r.secret_sealed,
    createdAt: new Date(r.created_at),
    disabledAt: r.disabled_at ? new Date(r.disabled_at) : null,
    disabledReason: r.disabled_reason,
  };
}

export async function listWebhookSubscriptions(db: Kysely<Database>, orgId: string): Promise<WebhookSubscriptionRow[]> {
  const rows = await db.selectFrom('webhook_subscriptions').select(subscriptionColumns).where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
  return rows.map(subscriptionOf);
}

export async function findWebhookSubscription(db: Kysely<Database>, orgId: string, id: string): Promise<WebhookSubscriptionRow | undefined> {
  const row = await db.selectFrom('webhook_subscriptions').select(subscriptionColumns).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  return row && subscriptionOf(row);
}

export async function countWebhookSubscriptions(db: Kysely<Database>, orgId: string): Promise<number> {
  const r = await db.selectFrom('webhook_subscriptions').select((eb) => eb.fn.countAll<string>().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertWebhookSubscription(
  trx: Kysely<Database>,
  s: { id: string; orgId: string; url: string; description: string; events: string[]; secretSealed: string; createdBy: string },
): Promise<void> {
  await trx
    .insertInto('webhook_subscriptions')
    .values({ id: s.id, org_id: s.orgId, url: s.url, description: s.description, events: JSON.stringify(s.events), secret_sealed: s.secretSealed, created_by: s.createdBy })
    .execute();
}

export async function updateWebhookSubscription(
  trx: Kysely<Database>,
  id: string,
  change: { url?: string; description?: string; events?: string[]; disabledAt?: Date | null; disabledReason?: string | null },
): Promise<void> {
  await trx
    .updateTable('webhook_subscriptions')
    .set({
      ...(change.url !== undefined ? { url: change.url } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.events !== undefined ? { events: JSON.stringify(change.events) } : {}),
      ...(change.disabledAt !== undefined ? { disabled_at: change.disabledAt, disabled_reason: change.disabledReason ?? null } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteWebhookSubscription(trx: Kysely<Database>, id: string): Promise<void> {
  await trx.deleteFrom('webhook_subscriptions').where('id', '=', id).execute();
}

/** The organization's subscriptions that are switched on and want `eventType`. */
export async function subscribersOf(trx: Kysely<Database>, orgId: string, eventType: string): Promise<string[]> {
  return subscribersAmong(await switchedOnSubscriptions(trx, orgId).execute(), eventType);
}

/** The read of subscribersOf, not yet run: a change that writes in one statement reads them in it (db/queries/customer-access.ts). */
export function switchedOnSubscriptions(db: Kysely<Database>, orgId: string) {
  return db.selectFrom('webhook_subscriptions').select(['id', 'events']).where('org_id', '=', orgId).where('disabled_at', 'is', null);
}

/** Of the switched-on subscriptions read, those that want `eventType`. */
export function subscribersAmong(rows: Array<{ id: string; events: string }>, eventType: string): string[] {
  return rows.filter((r) => (JSON.parse(r.events) as string[]).includes(eventType)).map((r) => r.id);
}

export interface NewWebhookDelivery {
  subscriptionId: string;
  orgId: string;
  messageId: string;
  eventType: string;
  customerId: string;
  payload: string;
  createdAt: Date;
  resendOf?: string;
}

export async function insertWebhookDeliveries(trx: Kysely<Database>, deliveries: NewWebhookDelivery[]): Promise<void> {
  // in chunks: a bulk change of 1,000 customers for 20 subscriptions stays under the parameter limit
  for (let i = 0; i < deliveries.length; i += 500) {
    await insertDeliveryChunk(trx, deliveries.slice(i, i + 500));
  }
}

async function insertDeliveryChunk(trx: Kysely<Database>, deliveries: NewWebhookDelivery[]): Promise<void> {
  await trx
    .insertInto('webhook_deliveries')
    .values(
      deliveries.map((d) => ({
        subscription_id: d.subscriptionId,
        org_id: d.orgId,
        message_id: d.messageId,
        event_type: d.eventType,
        customer_id: d.customerId,
        payload: d.payload,
        next_attempt_at: d.createdAt,
        created_at: d.createdAt,
        resend_of: d.resendOf ?? null,
      })),
    )
    .execute();
}

export interface WebhookDeliveryRow {
  id: string;
  subscriptionId: string;
  messageId: string;
  eventType: string;
  customerId: string;
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  resendOf: string | null;
  createdAt: Date;
}

const deliveryColumns = [
  'd.id',
  'd.subscription_id',
  'd.message_id',
  'd.event_type',
  'd.customer_id',
  'd.payload',
  'd.status',
  'd.attempts',
  'd.next_attempt_at',
  'd.last_attempt_at',
  'd.last_status_code',
  'd.last_error',
  'd.delivered_at',
  'd.resend_of',
  'd.created_at',
] as const;

const date = (d: Date | string | null) => (d === null ? null : new Date(d));

function deliveryOf(r: {
  id: string;
  subscription_id: string;
  message_id: string;
  event_type: string;
  customer_id: string;
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  resend_of: string | null;
  created_at: Date;
}): WebhookDeliveryRow {
  return {
    id: String(r.id),
    subscriptionId: r.subscription_id,
    messageId: r.message_id,
    eventType: r.event_type,
    customerId: r.customer_id,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: new Date(r.next_attempt_at),
    lastAttemptAt: date(r.last_attempt_at),
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    deliveredAt: date(r.delivered_at),
    resendOf: r.resend_of === null ? null : String(r.resend_of),
    createdAt: new Date(r.created_at),
  };
}

/** A subscription's deliveries, newest first. */
export async function listWebhookDeliveries(db: Kysely<Database>, subscriptionId: string, page: { start: number; limit: number }): Promise<WebhookDeliveryRow[]> {
  const rows = await db
    .selectFrom('webhook_deliveries as d')
    .select(deliveryColumns)
    .where('d.subscription_id', '=', subscriptionId)
    .orderBy('d.id', 'desc')
    .offset(page.start)
    .limit(page.limit)
    .execute();
  return rows.map(deliveryOf);
}

export async function findWebhookDelivery(db: Kysely<Database>, subscriptionId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
  const row = await db.selectFrom('webhook_deliveries as d').select(deliveryColumns).where('d.subscription_id', '=', subscriptionId).where('d.id', '=', id).executeTakeFirst();
  return row && deliveryOf(row);
}

export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  orgId: string;
  url: string;
  secretSealed: string;
  messageId: string;
  payload: string;
  attempts: number;
}

/**
 * Claims up to `limit` deliveries that are due at `now` (a first attempt is always due), each the first still pending of its
 * (subscription, customer) — so one customer's events go out in order — of a subscription that is
 * switched on, and not claimed by another job. The claim lasts until `claimUntil`: a job that dies
 * mid-send leaves its rows to be claimed again then (at least once).
 */
export async function claimDueWebhookDeliveries(db: Db, now: Date, claimUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ id: string }>`
      SELECT d.id FROM webhook_deliveries d
      JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.disabled_at IS NULL
      WHERE d.status = 'pending' AND (d.attempts = 0 OR d.next_attempt_at <= ${now})
        AND (d.claimed_until IS NULL OR d.claimed_until <= ${now})
        AND NOT EXISTS (
          SELECT 1 FROM webhook_deliveries e
          WHERE e.subscription_id = d.subscription_id AND e.customer_id = d.customer_id AND e.status = 'pending' AND e.id < d.id)
      ORDER BY d.next_attempt_at, d.id
      LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED`.execute(trx);
    if (rows.length === 0) return [];
    const ids = rows.map((r) => String(r.id));
    await trx.updateTable('webhook_deliveries').set({ claimed_until: claimUntil }).where('id', 'in', ids).execute();
    const claimed = await trx
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
      .select(['d.id', 'd.subscription_id', 'd.org_id', 's.url', 's.secret_sealed', 'd.message_id', 'd.payload', 'd.attempts'])
      .where('d.id', 'in', ids)
      .orderBy('d.id')
      .execute();
    return claimed.map((r) => ({
      id: String(r.id),
      subscriptionId: r.subscription_id,
      orgId: r.org_id,
      url: r.url,
      secretSealed: r.secret_sealed,
      messageId: r.message_id,
      payload: r.payload,
      attempts: r.attempts,
    }));
  });
}

/** Records one attempt's outcome and releases the claim. */
export async function recordWebhookAttempt(
  trx: Kysely<Database>,
  id: string,
  outcome: { at: Date; statusCode: number | null; error: string | null; status: WebhookDeliveryStatus; nextAttemptAt?: Date },
): Promise<void> {
  await trx
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      last_attempt_at: outcome.at,
      last_status_code: outcome.statusCode,
      last_error: outcome.error,
      status: outcome.status,
      claimed_until: null,
      ...(outcome.status === 'delivered' ? { delivered_at: outcome.at } : {}),
      ...(outcome.nextAttemptAt ? { next_attempt_at: outcome.nextAttemptAt } : {}),
    }))
    .where('id', '=', id)
    .execute();
}

/** Releases a claim without counting an attempt (the subscription was switched off meanwhile). */
export async function releaseWebhookClaim(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ claimed_until: null }).where('id', '=', id).execute();
}

/** The subscription locked for a change by the delivery job (disable) or an admin. */
export async function lockWebhookSubscription(trx: Kysely<Database>, id: string): Promise<{ orgId: string; url: string; disabledAt: Date | null } | undefined> {
  const r = await trx.selectFrom('webhook_subscriptions').select(['org_id', 'url', 'disabled_at']).where('id', '=', id).forUpdate().executeTakeFirst();
  return r && { orgId: r.org_id, url: r.url, disabledAt: r.disabled_at ? new Date(r.disabled_at) : null };
}

/** The addresses of an organization's admins (for the notice that a subscription was switched off). */
export async function orgAdminAddresses(db: Kysely<Database>, orgId: string): Promise<Array<{ accountId: string; email: string }>> {
  const rows = await db
    .selectFrom('org_admins as oa')
    .innerJoin('accounts as a', 'a.account_id', 'oa.account_id')
    .select(['a.account_id', 'a.email'])
    .where('oa.org_id', '=', orgId)
    .where('a.status', '=', 'active')
    .where('a.email', 'is not', null)
    .orderBy('a.account_id')
    .execute();
  return rows.map((r) => ({ accountId: r.account_id, email: r.email! }));
}
