import type { Transporter } from 'nodemailer';

export interface SmtpMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** Stable per outbox row, so a receiving server can drop a repeat of a retried delivery. */
  messageId: string;
  /** the From header's display name (a notification's site) */
  senderName?: string;
  /** an HTML alternative to `text` */
  html?: string;
  /** the Message-ID of the thread this mail belongs to: In-Reply-To and References */
  threadId?: string;
  /** one-click unsubscribe (RFC 8058): List-Unsubscribe and List-Unsubscribe-Post */
  unsubscribeUrl?: string;
}

/** Portico's side of an SMTP server: hands one message over, or throws why it could not. */
export interface SmtpSender {
  send(message: SmtpMessage): Promise<void>;
  close(): void;
}

/**
 * SMTP through nodemailer, from SMTP_URL (`smtp://user:pass@host:587`, `smtps://…` for implicit TLS;
 * a plain smtp:// connection upgrades with STARTTLS when the server offers it). Every wait — connect,
 * greeting, each socket read or write — gives up after `timeoutSeconds`, so a stalled server fails the
 * attempt (and the job retries) instead of holding a worker forever. nodemailer is loaded with the
 * first mail (docs/architecture.md, "Loaded on first use").
 */
export function createSmtpSender(url: string, options: { timeoutSeconds: number }): SmtpSender {
  const ms = options.timeoutSeconds * 1000;
  // A small pool keeps connections open between mails: a new connection per mail cost 125-160 ms
  // against a loopback server here, a pooled one 25-30 ms (bench/job-queue.ts).
  let transport: Promise<Transporter> | undefined;
  let closed = false;
  const open = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) => {
      const t = nodemailer.createTransport({ url, pool: true, maxConnections: 2, connectionTimeout: ms, greetingTimeout: ms, socketTimeout: ms });
      // closed while nodemailer was loading: the pool is closed as soon as it exists
      if (closed) t.close();
      return t;
    }));
  return {
    async send(message) {
      await (await open()).sendMail({
        from: message.senderName ? { name: message.senderName, address: addressOf(message.from) } : message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        inReplyTo: message.threadId,
        references: message.threadId ? [message.threadId] : undefined,
        headers: message.unsubscribeUrl ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : undefined,
        list: message.unsubscribeUrl ? { unsubscribe: message.unsubscribeUrl } : undefined,
      });
    },
    close() {
      closed = true;
      void transport?.then((t) => t.close(), () => {});
    },
  };
}

/** The address of a From setting that may carry a display name (`Portico <no-reply@example.com>`). */
function addressOf(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}
