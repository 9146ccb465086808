import type { MailDeliverySettings } from '../config.js';
import type { Db } from '../db/connection.js';
import { cancelQueuedMail, findOutboxMailForDelivery, recordDeliveryAttempt } from '../db/queries/outbox.js';
import type { SmtpSender } from '../integrations/smtp.js';
import { messageOf, type JobDefinition } from './runner.js';

export interface DeliverMailData {
  outboxId: string;
}

/**
 * Delivers one queued outbox mail over SMTP. The recipient's status is read right before the
 * hand-over: a mail for an account revoked or deleted since it was queued is cancelled, never sent
 * (a revoke's own notice is the exception: it is sent while the account stays revoked).
 * A request notification is cancelled too when its recipient stopped mail about the request. A failed attempt is recorded on the row (attempts, last error) and retried with backoff; the last
 * allowed failure marks it failed. Nothing is lost while the SMTP server is down: the row stays
 * queued and the job comes back.
 */
export function deliverMailJob(deps: { db: Db; smtp: SmtpSender; settings: MailDeliverySettings; messageIdDomain: string }): JobDefinition<DeliverMailData> {
  return {
    name: 'deliver-mail',
    retryLimit: deps.settings.retryLimit,
    retryDelaySeconds: deps.settings.retryDelaySeconds,
    // Connecting, the greeting and each step of the exchange time out on their own.
    maxRunSeconds: deps.settings.smtpTimeoutSeconds * 3 + 10,
    async run({ outboxId }, attempt) {
      const mail = await findOutboxMailForDelivery(deps.db, outboxId);
      if (!mail || mail.status !== 'queued') return; // sent, cancelled or failed already
      // A revoke's notice goes to the account it revoked, and only while it stays revoked; every other mail needs an active recipient.
      const mayReceive = mail.accessNotice === 'revoked' ? 'revoked' : 'active';
      if (mail.recipientId !== null && mail.recipientStatus !== mayReceive) {
        await cancelQueuedMail(deps.db, mail.id, `recipient is ${mail.recipientStatus ?? 'gone'}`);
        return;
      }
      if (mail.muted) {
        await cancelQueuedMail(deps.db, mail.id, 'recipient stopped mail about this request');
        return;
      }
      try {
        await deps.smtp.send({
          from: deps.settings.from,
          senderName: mail.senderName ?? undefined,
          to: mail.to,
          subject: mail.subject,
          text: mail.body,
          html: mail.html ?? undefined,
          messageId: `<outbox-${mail.id}@${deps.messageIdDomain}>`,
          threadId: mail.threadId ?? undefined,
          unsubscribeUrl: mail.unsubscribeUrl ?? undefined,
        });
      } catch (error) {
        await recordDeliveryAttempt(deps.db, mail.id, { status: attempt.last ? 'failed' : 'queued', error: messageOf(error) });
        throw error;
      }
      await recordDeliveryAttempt(deps.db, mail.id, { status: 'sent' });
    },
  };
}
