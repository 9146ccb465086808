import type { Kysely } from 'kysely';
import type { Database } from './db/schema.js';
import { insertOutboxMail, type NewOutboxMail } from './db/queries/outbox.js';
import type { DeliverMailData } from './jobs/deliver-mail.js';
import type { JobDefinition, JobRunner } from './jobs/runner.js';

export type OutgoingMail = NewOutboxMail;

/**
 * All outgoing mail goes through one mailer, always inside the sending use case's transaction: the
 * mail is written to the outbox there, and a failed request sends nothing. Nothing is ever sent
 * while a request waits: the answer cannot depend on an SMTP server (so a password-reset request
 * answers alike for every email).
 */
export interface Mailer {
  send(trx: Kysely<Database>, mail: OutgoingMail): Promise<void>;
}

/** Without SMTP_URL: the mail stays in the outbox (status `kept`) for the organization's admins to read. */
export function createOutboxMailer(): Mailer {
  return {
    async send(trx, mail) {
      await insertOutboxMail(trx, mail, 'kept');
    },
  };
}

/** With SMTP_URL: the mail is `queued` and its delivery job is queued in the same transaction. */
export function createQueuedMailer(runner: JobRunner, deliverMail: JobDefinition<DeliverMailData>): Mailer {
  return {
    async send(trx, mail) {
      const outboxId = await insertOutboxMail(trx, mail, 'queued');
      await runner.enqueue(trx, deliverMail, { outboxId });
    },
  };
}
