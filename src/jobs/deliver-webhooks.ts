import { deliverDueWebhooks, type WebhookDeliveryDeps } from '../use-cases/webhooks/deliver-due-webhooks.js';
import type { JobDefinition } from './runner.js';

/**
 * Sends the webhook deliveries that are due (use-cases/webhooks/deliver-due-webhooks.ts). Queued in
 * the transaction of each change that writes one, and offered every few seconds for retries that
 * came due. Several runs, on any number of instances, may overlap: each delivery is claimed before
 * it is sent, and only the first pending one of a customer is ever claimed, so a customer's events
 * arrive in order. The backoff between attempts is kept on the delivery row against the injected
 * clock, not in pg-boss's retry delay: a retry must wait for the customer's earlier events, and tests
 * move time instead of sleeping.
 */
export function deliverWebhooksJob(deps: () => WebhookDeliveryDeps | undefined): JobDefinition<Record<string, never>> {
  return {
    name: 'deliver-webhooks',
    // a failed run (the database was away) is simply the next one
    retryLimit: 1,
    retryDelaySeconds: 5,
    maxRunSeconds: 15 * 60,
    async run() {
      const d = deps();
      if (d) await deliverDueWebhooks(d);
    },
  };
}
