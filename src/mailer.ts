import type { Db } from './db/connection.js';
import type { Transaction } from 'kysely';
import type { Database } from './db/schema.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  body: string;
  orgId: string | null;
  siteId: string | null;
}

/**
 * All outgoing mail goes through one mailer. Without SMTP_URL it is kept in the outbox table,
 * written in the caller's transaction so a failed request sends nothing. With SMTP it is sent
 * after the transaction commits (queued on the transaction's `afterCommit` list).
 */
export interface Mailer {
  send(trx: Transaction<Database> | Db, mail: OutgoingMail, afterCommit?: Array<() => Promise<void>>): Promise<void>;
}

export function createOutboxMailer(): Mailer {
  return {
    async send(trx, mail) {
      await trx
        .insertInto('outbox')
        .values({ org_id: mail.orgId, site_id: mail.siteId, to_address: mail.to, subject: mail.subject, body: mail.body })
        .execute();
    },
  };
}

export async function createMailer(smtpUrl: string | undefined): Promise<Mailer> {
  if (!smtpUrl) return createOutboxMailer();
  const nodemailer = await import('nodemailer');
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(_trx, mail, afterCommit) {
      const deliver = async () => {
        await transport.sendMail({ from: 'Portico <no-reply@portico.invalid>', to: mail.to, subject: mail.subject, text: mail.body });
      };
      if (afterCommit) afterCommit.push(deliver);
      else await deliver();
    },
  };
}
