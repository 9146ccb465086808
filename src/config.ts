import type { LoginThrottleLimits } from './domain/login-throttle.js';

export type { LoginThrottleLimits };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demo: boolean;
  smtpUrl: string | undefined;
  /** Mail delivery (src/jobs/deliver-mail.ts); defaults in mailDeliveryDefaults, tests shorten them. */
  mail: MailDeliverySettings;
  /** How often an idle job worker asks the queue for work (seconds; pg-boss allows 0.5 at least). */
  jobPollSeconds: number;
  /** Secure cookies: set when Portico is served over HTTPS (directly or behind a TLS proxy). */
  secureCookies: boolean;
  /** Sessions: idle timeout and absolute lifetime. */
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** Trust X-Forwarded-* from a reverse proxy. */
  trustProxy: boolean;
  /** Login throttling (the rule and its defaults: domain/login-throttle.ts); tests lower them. */
  loginThrottle?: Partial<LoginThrottleLimits>;
  /** Set by the server on a PGlite data dir: `portico` commands authenticate with it (server.json). */
  cliSecret?: string;
}

export interface MailDeliverySettings {
  /** The From header of every mail. */
  from: string;
  /** Retries after the first failed attempt; then the outbox row is marked failed. */
  retryLimit: number;
  /** Delay before the first retry (seconds); each further retry waits about twice as long. */
  retryDelaySeconds: number;
  /** Connecting, greeting and each socket read or write to the SMTP server give up after this. */
  smtpTimeoutSeconds: number;
}

export const mailDeliveryDefaults: MailDeliverySettings = {
  from: 'Portico <no-reply@portico.invalid>',
  retryLimit: 10,
  retryDelaySeconds: 30,
  smtpTimeoutSeconds: 30,
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    dataDir: env.PORTICO_DATA_DIR ?? './data',
    databaseUrl: env.DATABASE_URL || undefined,
    demo: env.PORTICO_DEMO !== '0',
    smtpUrl: env.SMTP_URL || undefined,
    mail: {
      from: env.PORTICO_MAIL_FROM || mailDeliveryDefaults.from,
      retryLimit: wholeNumber(env.PORTICO_MAIL_RETRY_LIMIT, mailDeliveryDefaults.retryLimit),
      retryDelaySeconds: wholeNumber(env.PORTICO_MAIL_RETRY_DELAY_SECONDS, mailDeliveryDefaults.retryDelaySeconds),
      smtpTimeoutSeconds: mailDeliveryDefaults.smtpTimeoutSeconds,
    },
    jobPollSeconds: Math.max(0.5, Number(env.PORTICO_JOB_POLL_SECONDS ?? 2) || 2),
    secureCookies: env.PORTICO_SECURE_COOKIES === '1',
    sessionIdleMinutes: Number(env.PORTICO_SESSION_IDLE_MINUTES ?? 120),
    sessionAbsoluteHours: Number(env.PORTICO_SESSION_ABSOLUTE_HOURS ?? 24 * 7),
    trustProxy: env.PORTICO_TRUST_PROXY === '1',
  };
}

function wholeNumber(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) && n >= 0 ? n : fallback;
}
