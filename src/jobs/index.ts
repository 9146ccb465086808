import type { Config } from '../config.js';
import type { DbHandle } from '../db/connection.js';
import { createSmtpSender } from '../integrations/smtp.js';
import { createOutboxMailer, createQueuedMailer, type Mailer } from '../mailer.js';
import type { AppContext } from '../use-cases/context.js';
import { deliverMailJob } from './deliver-mail.js';
import { pollMailboxesJob } from './poll-mailboxes.js';
import { ACCESS_EXPIRY_OFFER_SECONDS, expireAccessJob } from './expire-access.js';
import { scheduledBackupJob } from './scheduled-backup.js';
import { INACTIVITY_OFFER_SECONDS, inactivityPolicyJob } from './inactivity-policy.js';
import { deliverWebhooksJob } from './deliver-webhooks.js';
import { ACCESS_REVIEW_DUE_OFFER_SECONDS, accessReviewDueJob } from './access-review-due.js';
import { SESSIONS_SWEEP_OFFER_SECONDS, sweepSessionsJob } from './sweep-sessions.js';
import type { WebhookDeliveryDeps } from '../use-cases/webhooks/deliver-due-webhooks.js';
import type { WebhookQueue } from '../use-cases/context.js';
import { startJobRunner, type JobDefinition, type QueueDepth } from './runner.js';

export interface BackgroundWork {
  /** the mailer the app's use cases send through */
  mailer: Mailer;
  /** wakes webhook delivery in a change's transaction (the use cases' ctx.webhooks) */
  webhooks: WebhookQueue;
  /** Offers a webhook delivery run now (the periodic poll does this every few seconds; tests after moving their clock). */
  deliverWebhooksNow(): void;
  /**
   * Starts offering the mailbox poll every PORTICO_MAILBOX_POLL_SECONDS, the expiry of dated
   * access every 30 seconds, the sites' inactivity policies every 5 minutes and the access reviews'
   * due dates every minute, the sweep of expired sessions every ten minutes (each once now too);
   * `origin` is the public URL links in mail are built
   * from, known once the server listens.
   */
  startMailboxPolling(origin: string): void;
  /**
   * Starts the workers, and offers what was left due while no server ran (webhook deliveries, a
   * scheduled backup), when the work was started with `workersOnceListening`; else nothing.
   */
  startWorkers(): Promise<void>;
  /** Stops the runner: running jobs finish, or are handed back to the queue after `timeoutMs`. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** The queue's jobs by queue and state. */
  depth(): Promise<QueueDepth[]>;
}

/**
 * Starts the job runner of a server process with every job the configuration asks for (mail
 * delivery when SMTP_URL is set; mailbox polling) and returns the mailer that matches. The `portico`
 * CLI never calls this: only servers run background work.
 */
export async function startBackgroundWork(
  handle: Pick<DbHandle, 'db' | 'executeSql'>,
  config: Config,
  options: {
    onError?(error: Error): void;
    /** writes a backup of this server's database to a file (server.ts); with config.backupSchedule, scheduled backups run */
    writeBackup?: (file: string) => Promise<void>;
    /** told of each run of a job that ends (the operator's metrics) */
    onRun?(queue: string, failed: boolean): void;
    /** the clock scheduled work reads (dated access, webhook retries); tests move it instead of sleeping; default the system clock */
    now?: () => Date;
    /**
     * Jobs can be queued at once, but nothing is fetched or offered until `startWorkers()`: a
     * server calls it once it listens, so the workers' first queries do not slow its start on the
     * embedded database's one thread (docs/architecture.md, "Starting fast").
     */
    workersOnceListening?: boolean;
  } = {},
): Promise<BackgroundWork> {
  const smtp = config.smtpUrl ? createSmtpSender(config.smtpUrl, { timeoutSeconds: config.mail.smtpTimeoutSeconds }) : undefined;
  const deliverMail = smtp ? deliverMailJob({ db: handle.db, smtp, settings: config.mail, messageIdDomain: messageIdDomainOf(config) }) : undefined;
  let pollContext: AppContext | undefined;
  const pollMailboxes = pollMailboxesJob(() => pollContext, options.onError);
  const schedule = config.backupSchedule;
  const backup = schedule && options.writeBackup ? scheduledBackupJob(schedule, config.databaseUrl ? 'postgres' : 'embedded', options.writeBackup) : undefined;
  const expireAccess = expireAccessJob(() => pollContext, options.now);
  const inactivity = inactivityPolicyJob(() => pollContext, options.now);
  const reviewsDue = accessReviewDueJob(() => pollContext, options.now);
  const sweepSessions = sweepSessionsJob(() => pollContext);
  let webhookDeps: WebhookDeliveryDeps | undefined;
  let origin: string | undefined = config.publicUrl;
  const deliverWebhooks = deliverWebhooksJob(() => webhookDeps);
  const jobs: Array<JobDefinition<any>> = [...(deliverMail ? [deliverMail] : []), pollMailboxes, expireAccess, inactivity, reviewsDue, sweepSessions, deliverWebhooks, ...(backup ? [backup] : [])];
  const runner = await startJobRunner(handle, jobs, { pollSeconds: config.jobPollSeconds, onError: options.onError, onRun: options.onRun, startWorkers: false }).catch((error: unknown) => {
    smtp?.close();
    throw error;
  });
  const mailer = deliverMail ? createQueuedMailer(runner, deliverMail) : createOutboxMailer();
  webhookDeps = { db: handle.db, mailer, settings: config.webhooks, secretKey: config.secretKey, clock: options.now ?? (() => new Date()), origin: () => origin };
  const webhooks: WebhookQueue = { wake: (trx) => runner.enqueue(trx, deliverWebhooks, {}) };
  let timer: NodeJS.Timeout | undefined;
  const offer = (job: JobDefinition<Record<string, never>>) => () => {
    runner.offer(job, {}).catch((error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error))));
  };
  const offerPoll = offer(pollMailboxes);
  const offerExpiry = offer(expireAccess);
  let expiryTimer: NodeJS.Timeout | undefined;
  const offerInactivity = offer(inactivity);
  let inactivityTimer: NodeJS.Timeout | undefined;
  const offerReviewsDue = offer(reviewsDue);
  let reviewsDueTimer: NodeJS.Timeout | undefined;
  const offerSessionsSweep = offer(sweepSessions);
  let sessionsSweepTimer: NodeJS.Timeout | undefined;
  const offerWebhooks = offer(deliverWebhooks);
  let webhookTimer: NodeJS.Timeout | undefined;
  let backupTimer: NodeJS.Timeout | undefined;
  let started: Promise<void> | undefined;
  const startWorkers = () =>
    (started ??= runner.startWorkers().then(() => {
      offerWebhooks(); // what was left due while no server ran
      webhookTimer = setInterval(offerWebhooks, config.webhooks.pollSeconds * 1000);
      webhookTimer.unref();
      // Offered at least every ten minutes (and once now); a run skips while the newest backup is younger than the interval.
      if (backup && schedule) {
        offer(backup)();
        backupTimer = setInterval(offer(backup), Math.min(schedule.everyHours * 3_600_000, 600_000));
        backupTimer.unref();
      }
    }));
  if (!options.workersOnceListening) await startWorkers();
  return {
    startWorkers,
    mailer,
    webhooks,
    deliverWebhooksNow: offerWebhooks,
    startMailboxPolling(publicOrigin) {
      origin = publicOrigin;
      if (timer) return;
      pollContext = { db: handle.db, ip: null, userAgent: 'portico mailbox poller', mailer, webhooks, config, origin: publicOrigin };
      offerPoll();
      timer = setInterval(offerPoll, config.mailboxPollSeconds * 1000);
      timer.unref();
      offerExpiry();
      expiryTimer = setInterval(offerExpiry, ACCESS_EXPIRY_OFFER_SECONDS * 1000);
      expiryTimer.unref();
      offerInactivity();
      inactivityTimer = setInterval(offerInactivity, INACTIVITY_OFFER_SECONDS * 1000);
      inactivityTimer.unref();
      offerReviewsDue();
      reviewsDueTimer = setInterval(offerReviewsDue, ACCESS_REVIEW_DUE_OFFER_SECONDS * 1000);
      reviewsDueTimer.unref();
      offerSessionsSweep();
      sessionsSweepTimer = setInterval(offerSessionsSweep, SESSIONS_SWEEP_OFFER_SECONDS * 1000);
      sessionsSweepTimer.unref();
    },
    async stop(stopOptions) {
      if (timer) clearInterval(timer);
      if (expiryTimer) clearInterval(expiryTimer);
      if (inactivityTimer) clearInterval(inactivityTimer);
      if (reviewsDueTimer) clearInterval(reviewsDueTimer);
      if (sessionsSweepTimer) clearInterval(sessionsSweepTimer);
      if (webhookTimer) clearInterval(webhookTimer);
      if (backupTimer) clearInterval(backupTimer);
      await runner.stop(stopOptions);
      smtp?.close();
    },
    depth: () => runner.depth(),
  };
}

/** Message-IDs name the host of the public URL (the same one a thread's id names), else a reserved one. */
function messageIdDomainOf(config: Config): string {
  return config.publicUrl ? new URL(config.publicUrl).hostname : 'portico.invalid';
}
