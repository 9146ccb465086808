import type { WebhookSettings } from '../../config.js';
import type { Db } from '../../db/connection.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import {
  claimDueWebhookDeliveries,
  lockWebhookSubscription,
  orgAdminAddresses,
  recordWebhookAttempt,
  updateWebhookSubscription,
  type ClaimedDelivery,
} from '../../db/queries/webhooks.js';
import { openSecret } from '../../domain/secret-box.js';
import { endpointFailingReason, nextAttemptAfter } from '../../domain/webhooks.js';
import { postWebhook, type WebhookAnswer } from '../../integrations/webhook-sender.js';
import type { Mailer } from '../../mailer.js';

export interface WebhookDeliveryDeps {
  db: Db;
  mailer: Mailer;
  settings: WebhookSettings;
  secretKey: string | undefined;
  /** the time due dates are compared with and attempts are recorded at (tests move it; never a sleep) */
  clock: () => Date;
  /** the public URL for the console link in a notice, once the server knows it */
  origin: () => string | undefined;
}

/** Deliveries claimed per round; each round sends them side by side (each is a different customer's). */
const ROUND_SIZE = 20;
/** Rounds per run; what is left waits for the next run (the next change or the periodic poll). */
const MAX_ROUNDS = 50;

/**
 * Sends every webhook delivery that is due (docs/product.md#webhooks): the first pending event of
 * each customer for each switched-on subscription, signed, one attempt each. A success marks it
 * delivered (the next event of that customer becomes due); a failure waits twice as long as the
 * last before the next try; when the retries are used up the delivery has failed and the endpoint
 * is switched off, with a notice mailed to the organization's admins, in one transaction.
 * Returns how many attempts were made.
 */
export async function deliverDueWebhooks(deps: WebhookDeliveryDeps): Promise<number> {
  let attempts = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const now = deps.clock();
    const leaseMs = (deps.settings.timeoutSeconds * 3 + 30) * 1000;
    const claimed = await claimDueWebhookDeliveries(deps.db, now, new Date(now.getTime() + leaseMs), ROUND_SIZE);
    if (claimed.length === 0) break;
    await Promise.all(claimed.map((d) => deliverOne(deps, d)));
    attempts += claimed.length;
  }
  return attempts;
}

async function deliverOne(deps: WebhookDeliveryDeps, d: ClaimedDelivery): Promise<void> {
  let answer: WebhookAnswer;
  try {
    if (!deps.secretKey) throw new Error('PORTICO_SECRET_KEY is not set: the signing secret cannot be read');
    const secret = openSecret(deps.secretKey, d.secretSealed);
    answer = await postWebhook(
      { url: d.url, secret, messageId: d.messageId, payload: d.payload, timestamp: new Date() },
      { allowList: deps.settings.allowedHosts, timeoutMs: deps.settings.timeoutSeconds * 1000 },
    );
  } catch (error) {
    answer = { ok: false, statusCode: null, error: (error instanceof Error ? error.message : String(error)).slice(0, 500) };
  }
  const at = deps.clock();
  if (answer.ok) {
    await recordWebhookAttempt(deps.db, d.id, { at, statusCode: answer.statusCode, error: null, status: 'delivered' });
    return;
  }
  const attempts = d.attempts + 1;
  const next = nextAttemptAfter(at, attempts, deps.settings);
  if (next) {
    await recordWebhookAttempt(deps.db, d.id, { at, statusCode: answer.statusCode, error: answer.error, status: 'pending', nextAttemptAt: next });
    return;
  }
  await deps.db.transaction().execute(async (trx) => {
    await recordWebhookAttempt(trx, d.id, { at, statusCode: answer.statusCode, error: answer.error, status: 'failed' });
    const subscription = await lockWebhookSubscription(trx, d.subscriptionId);
    if (!subscription || subscription.disabledAt) return; // deleted, or switched off by an earlier failure
    const reason = endpointFailingReason(attempts, answer.error ?? 'no answer');
    await updateWebhookSubscription(trx, d.subscriptionId, { disabledAt: at, disabledReason: reason });
    await appendAuditEvent(trx, {
      action: 'webhook.subscription.disabled',
      orgId: subscription.orgId,
      siteId: null,
      actorId: null,
      targetId: null,
      ip: null,
      userAgent: 'portico webhook delivery',
      details: { subscriptionId: d.subscriptionId, url: subscription.url, reason },
    });
    const origin = deps.origin();
    const where = origin ? `${origin}/admin/o/${subscription.orgId}/webhooks` : 'the admin console, under Webhooks';
    for (const admin of await orgAdminAddresses(trx, subscription.orgId)) {
      await deps.mailer.send(trx, {
        to: admin.email,
        subject: 'A webhook endpoint was switched off',
        body: [
          `Portico stopped sending webhooks to ${subscription.url}.`,
          '',
          reason,
          '',
          'Events for this endpoint are kept and will be sent, in order, once it is switched on again.',
          `Fix the endpoint, then switch it on at ${where}.`,
        ].join('\n'),
        orgId: subscription.orgId,
        siteId: null,
        recipientId: admin.accountId,
      });
    }
  });
}
