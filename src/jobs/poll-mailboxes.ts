import type { AppContext } from '../use-cases/context.js';
import { pollMailboxes } from '../use-cases/inbound-mail/poll-mailboxes.js';
import type { JobDefinition } from './runner.js';

/**
 * Reads the projects' incoming mailboxes (docs/architecture.md#incoming-mail). Every server offers
 * this job each PORTICO_MAILBOX_POLL_SECONDS; the queue's 'stately' policy keeps one waiting and one
 * running across all instances, so one poller reads at a time. Exactly-once per mail does not rest
 * on that: each mail is claimed in the transaction that handles it.
 */
export function pollMailboxesJob(context: () => AppContext | undefined, onError?: (error: Error) => void): JobDefinition<Record<string, never>> {
  return {
    name: 'poll-mailboxes',
    policy: 'stately',
    // A failed poll is simply the next one: no retries piling up behind the timer.
    retryLimit: 0,
    retryDelaySeconds: 1,
    maxRunSeconds: 15 * 60,
    async run() {
      const ctx = context();
      if (!ctx) return; // the server has not started polling yet
      for (const report of await pollMailboxes(ctx)) {
        if (report.error) onError?.(new Error(`mailbox of project ${report.projectId}: ${report.error}`));
      }
    },
  };
}
