import type { Config } from '../config.js';
import type { DbHandle } from '../db/connection.js';
import { createSmtpSender } from '../integrations/smtp.js';
import { createOutboxMailer, createQueuedMailer, type Mailer } from '../mailer.js';
import { deliverMailJob } from './deliver-mail.js';
import { startJobRunner, type JobDefinition } from './runner.js';

export interface BackgroundWork {
  /** the mailer the app's use cases send through */
  mailer: Mailer;
  stop(): Promise<void>;
}

/**
 * Starts the job runner of a server process with every job the configuration asks for (today: mail
 * delivery, when SMTP_URL is set) and returns the mailer that matches. The `portico` CLI never
 * calls this: only servers run background work.
 */
export async function startBackgroundWork(handle: Pick<DbHandle, 'db' | 'executeSql'>, config: Config, options: { onError?(error: Error): void } = {}): Promise<BackgroundWork> {
  const smtp = config.smtpUrl ? createSmtpSender(config.smtpUrl, { timeoutSeconds: config.mail.smtpTimeoutSeconds }) : undefined;
  const deliverMail = smtp ? deliverMailJob({ db: handle.db, smtp, settings: config.mail, messageIdDomain: messageIdDomainOf(config) }) : undefined;
  const jobs: Array<JobDefinition<any>> = deliverMail ? [deliverMail] : [];
  const runner = await startJobRunner(handle.executeSql, jobs, { pollSeconds: config.jobPollSeconds, onError: options.onError }).catch((error: unknown) => {
    smtp?.close();
    throw error;
  });
  return {
    mailer: deliverMail ? createQueuedMailer(runner, deliverMail) : createOutboxMailer(),
    async stop() {
      await runner.stop();
      smtp?.close();
    },
  };
}

/** Message-IDs name the host of the public URL (the same one a thread's id names), else a reserved one. */
function messageIdDomainOf(config: Config): string {
  return config.publicUrl ? new URL(config.publicUrl).hostname : 'portico.invalid';
}
