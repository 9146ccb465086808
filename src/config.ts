import type { LoginThrottleLimits } from './domain/login-throttle.js';
import { DEFAULT_REOPEN_WINDOW_DAYS } from './domain/request-workflow.js';
import { DEFAULT_COMMENT_EDIT_WINDOW_MINUTES } from './domain/comments.js';
import type { SignupThrottleLimits } from './domain/signup.js';
import { allowedHostEntryValid } from './domain/network-address.js';

export type { LoginThrottleLimits };
import { DEFAULT_STATEMENT_TIMEOUT_MS, defaultPoolSize } from './db/connection.js';

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
  /**
   * The address people and REST clients use to reach Portico (PORTICO_PUBLIC_URL): every absolute
   * link (mail, REST `self`, site URLs) is built from it, never from a request's Host header. Unset:
   * http://HOST:PORT of the port the server actually bound (see publicUrlOf in http/app.ts).
   */
  publicUrl: string | undefined;
  /** Force Secure cookies even when the public URL is http (they are Secure anyway when it is https). */
  secureCookies: boolean;
  /** Sessions: idle timeout and absolute lifetime. */
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** How many days after it was resolved a customer's reply still reopens a request (docs/product.md#workflow). */
  reopenWindowDays: number;
  /** How many minutes after writing it an author may still edit or delete their comment (docs/product.md#composer). */
  commentEditWindowMinutes: number;
  /**
   * Trust X-Forwarded-For / -Proto from a reverse proxy (the client's address in the audit log and
   * the login throttle). Links and the login Origin check still use the public URL only.
   */
  trustProxy: boolean;
  /** PostgreSQL: how long one statement of a request may run, in ms (0: no limit). */
  statementTimeoutMs: number;
  /** PostgreSQL: connections in the server's pool (PORTICO_DB_POOL_SIZE; default db/connection.ts defaultPoolSize). */
  dbPoolSize: number;
  /** PORTICO_CALLER_CACHE=off: every request reads its caller from the database (docs/architecture.md, "The caller cache") */
  callerCache: boolean;
  /** Request log level (PORTICO_LOG_LEVEL): `info` logs one line per request; tests use `silent`. */
  logLevel: LogLevel;
  /** Login throttling (the rule and its defaults: domain/login-throttle.ts); tests lower them. */
  loginThrottle?: Partial<LoginThrottleLimits>;
  /** Sign-up throttling (the rule and its defaults: domain/signup.ts); tests change them. */
  signupThrottle?: Partial<SignupThrottleLimits>;
  /**
   * The key secrets stored in the database are encrypted with (PORTICO_SECRET_KEY, at least 32
   * characters): today the passwords of projects' incoming mailboxes. Unset: no mailbox can be saved.
   */
  secretKey: string | undefined;
  /** How often the incoming mailboxes are read (PORTICO_MAILBOX_POLL_SECONDS, default 60). */
  mailboxPollSeconds: number;
  /**
   * Embedded database: fsync each commit before acknowledging it (PORTICO_EMBEDDED_FSYNC, on by
   * default; off trades durability on power loss for write speed — docs/operations.md, "Durability").
   */
  embeddedFsync: boolean;
  /** Scheduled backups (PORTICO_BACKUP_DIR …; docs/operations.md, "Scheduled backups"); unset: none. */
  backupSchedule: BackupSchedule | undefined;
  /**
   * Where new attachment bytes go (docs/product.md#attachments): undefined keeps them in the
   * database; set (PORTICO_S3_BUCKET and friends) they go to an S3-compatible object store and the
   * database keeps the object's key. Files stored before the switch stay in the database.
   */
  objectStore: ObjectStoreSettings | undefined;
  /**
   * The mail servers a mailbox may name although their address is on a private or local network
   * (PORTICO_MAILBOX_ALLOWED_HOSTS: host names, addresses and CIDR ranges, comma-separated). Any
   * other private, loopback or link-local address is refused (docs/security.md, E7).
   */
  mailboxAllowedHosts: readonly string[];
  /** Webhook delivery (src/jobs/deliver-webhooks.ts, docs/product.md#webhooks); defaults in webhookDefaults, tests shorten them. */
  webhooks: WebhookSettings;
  /**
   * The identity providers (OIDC issuers, SAML metadata URLs) a site may name although their address is on a private or
   * local network (PORTICO_IDP_ALLOWED_HOSTS, as PORTICO_MAILBOX_ALLOWED_HOSTS). Only these may also
   * be reached over plain http (docs/security.md, S21).
   */
  identityProviderAllowedHosts: readonly string[];
  /** Set by the server on a PGlite data dir: `portico` commands authenticate with it (server.json). */
  cliSecret?: string;
  /**
   * PORTICO_METRICS_TOKEN (at least 16 characters): GET /metrics answers a scrape that sends it as
   * `Authorization: Bearer …`. Unset (and no metrics port): /metrics is 404 (docs/operations.md).
   */
  metricsToken: string | undefined;
  /** PORTICO_METRICS_PORT: a second port, on 127.0.0.1 only, that serves GET /metrics. */
  metricsPort: number | undefined;
  /** PORTICO_SHUTDOWN_GRACE_SECONDS (default 10): how long requests and jobs under way may take to end on SIGTERM. */
  shutdownGraceSeconds: number;
}

export interface BackupSchedule {
  /** PORTICO_BACKUP_DIR: where the backups go */
  dir: string;
  /** PORTICO_BACKUP_EVERY_HOURS (default 24): the time between two backups */
  everyHours: number;
  /** PORTICO_BACKUP_KEEP (default 7): how many of the newest backups are kept; older ones are deleted */
  keep: number;
}

/** An S3-compatible object store for attachments (AWS S3, MinIO, Ceph, Garage, R2 …). */
export interface ObjectStoreSettings {
  /** PORTICO_S3_ENDPOINT: the store's URL (unset: AWS S3 of the region). */
  endpoint: string | undefined;
  /** PORTICO_S3_BUCKET: the bucket; it must exist. */
  bucket: string;
  /** PORTICO_S3_REGION (default us-east-1). */
  region: string;
  /** PORTICO_S3_ACCESS_KEY_ID and PORTICO_S3_SECRET_ACCESS_KEY; unset: the AWS SDK's usual sources (environment, instance role). */
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** PORTICO_S3_FORCE_PATH_STYLE=1: bucket in the path (http://host/bucket/key), as MinIO and most self-hosted stores want. */
  forcePathStyle: boolean;
  /** PORTICO_S3_PREFIX: put before every object key (default `portico/`). */
  prefix: string;
}

export interface WebhookSettings {
  /**
   * Endpoints a subscription may name although their address is private or local
   * (PORTICO_WEBHOOK_ALLOWED_HOSTS: host names, addresses and CIDR ranges, as
   * PORTICO_MAILBOX_ALLOWED_HOSTS). Any other private, loopback or link-local address is refused.
   */
  allowedHosts: readonly string[];
  /** Retries after a delivery's first failed attempt; when the last fails the subscription is disabled. */
  retryLimit: number;
  /** The wait after the first failure; each further failure doubles it (capped at 12 hours). */
  retryDelaySeconds: number;
  /** How long an endpoint may take to answer one delivery. */
  timeoutSeconds: number;
  /** How often the job looks for deliveries whose retry is due. */
  pollSeconds: number;
}

export const webhookDefaults: Omit<WebhookSettings, 'allowedHosts'> = { retryLimit: 10, retryDelaySeconds: 60, timeoutSeconds: 10, pollSeconds: 15 };

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
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A setting Portico cannot start with; the message says which variable and why. */
export class ConfigError extends Error {}

/**
 * Checks PORTICO_PUBLIC_URL: an absolute http(s) URL of the root of a host, without credentials,
 * path, query or fragment (Portico serves its pages and cookies at the root). Returns it as written,
 * trailing slashes trimmed, so links read the way the operator wrote them.
 */
export function parsePublicUrl(text: string): string {
  const trimmed = text.trim().replace(/\/+$/, '');
  const problem = (why: string) =>
    new ConfigError(`PORTICO_PUBLIC_URL ${why}, for example https://help.example.com or http://127.0.0.1:3000 (got "${text}").`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw problem('must be an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw problem('must be an absolute http:// or https:// URL');
  if (url.username || url.password) throw problem('must not contain a user name or password');
  if (/[?#]/.test(trimmed)) throw problem('must not have a query or a fragment');
  if (url.pathname !== '/') throw problem('must not have a path (Portico is served at the root of its host)');
  return trimmed;
}

/** http://HOST:PORT, the public URL when none is configured (IPv6 addresses in brackets). */
export function defaultPublicUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Whether browsers reach Portico over HTTPS: cookies are then Secure and HSTS is sent. */
export function isHttps(publicUrl: string): boolean {
  return publicUrl.toLowerCase().startsWith('https:');
}

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
    publicUrl: env.PORTICO_PUBLIC_URL ? parsePublicUrl(env.PORTICO_PUBLIC_URL) : undefined,
    secureCookies: env.PORTICO_SECURE_COOKIES === '1',
    sessionIdleMinutes: Number(env.PORTICO_SESSION_IDLE_MINUTES ?? 120),
    sessionAbsoluteHours: Number(env.PORTICO_SESSION_ABSOLUTE_HOURS ?? 24 * 7),
    reopenWindowDays: nonNegativeInteger(env, 'PORTICO_REOPEN_WINDOW_DAYS', DEFAULT_REOPEN_WINDOW_DAYS, 'days'),
    commentEditWindowMinutes: nonNegativeInteger(env, 'PORTICO_COMMENT_EDIT_WINDOW_MINUTES', DEFAULT_COMMENT_EDIT_WINDOW_MINUTES, 'minutes'),
    trustProxy: env.PORTICO_TRUST_PROXY === '1',
    statementTimeoutMs: nonNegativeInteger(env, 'PORTICO_STATEMENT_TIMEOUT_MS', DEFAULT_STATEMENT_TIMEOUT_MS),
    dbPoolSize: poolSize(env.PORTICO_DB_POOL_SIZE),
    callerCache: env.PORTICO_CALLER_CACHE !== 'off',
    logLevel: logLevel(env.PORTICO_LOG_LEVEL),
    secretKey: secretKey(env.PORTICO_SECRET_KEY),
    mailboxPollSeconds: Math.max(1, wholeNumber(env.PORTICO_MAILBOX_POLL_SECONDS, 60) || 60),
    metricsToken: metricsToken(env.PORTICO_METRICS_TOKEN),
    metricsPort: metricsPort(env.PORTICO_METRICS_PORT),
    shutdownGraceSeconds: nonNegativeInteger(env, 'PORTICO_SHUTDOWN_GRACE_SECONDS', DEFAULT_SHUTDOWN_GRACE_SECONDS, 'seconds'),
    embeddedFsync: onOff(env, 'PORTICO_EMBEDDED_FSYNC', true),
    backupSchedule: backupSchedule(env),
    objectStore: objectStore(env),
    mailboxAllowedHosts: mailboxAllowedHosts(env.PORTICO_MAILBOX_ALLOWED_HOSTS),
    webhooks: {
      allowedHosts: allowedHosts('PORTICO_WEBHOOK_ALLOWED_HOSTS', env.PORTICO_WEBHOOK_ALLOWED_HOSTS),
      retryLimit: wholeNumber(env.PORTICO_WEBHOOK_RETRY_LIMIT, webhookDefaults.retryLimit),
      retryDelaySeconds: Math.max(1, wholeNumber(env.PORTICO_WEBHOOK_RETRY_DELAY_SECONDS, webhookDefaults.retryDelaySeconds)),
      timeoutSeconds: webhookDefaults.timeoutSeconds,
      pollSeconds: webhookDefaults.pollSeconds,
    },
    identityProviderAllowedHosts: allowedHosts('PORTICO_IDP_ALLOWED_HOSTS', env.PORTICO_IDP_ALLOWED_HOSTS),
  };
}

/** How long a SIGTERM lets requests and jobs under way end before the server stops anyway. */
export const DEFAULT_SHUTDOWN_GRACE_SECONDS = 10;

function metricsToken(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  if (text.length < 16 || /\s/.test(text)) {
    throw new ConfigError('PORTICO_METRICS_TOKEN must be at least 16 characters without spaces (for example the output of `openssl rand -hex 32`).');
  }
  return text;
}

function metricsPort(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORTICO_METRICS_PORT must be a port number (1–65535), not '${text}'.`);
  return port;
}

/** The object store settings, when PORTICO_S3_BUCKET is set; a half-configured store stops the start. */
export function objectStore(env: NodeJS.ProcessEnv): ObjectStoreSettings | undefined {
  const bucket = (env.PORTICO_S3_BUCKET ?? '').trim();
  const others = ['PORTICO_S3_ENDPOINT', 'PORTICO_S3_ACCESS_KEY_ID', 'PORTICO_S3_SECRET_ACCESS_KEY'].filter((name) => (env[name] ?? '').trim() !== '');
  if (!bucket) {
    if (others.length) throw new ConfigError(`${others[0]} is set but PORTICO_S3_BUCKET is not: set the bucket to keep attachments in the object store, or unset ${others.join(', ')} to keep them in the database.`);
    return undefined;
  }
  const endpoint = (env.PORTICO_S3_ENDPOINT ?? '').trim() || undefined;
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new ConfigError(`PORTICO_S3_ENDPOINT must be an http:// or https:// URL, for example https://s3.example.com or http://127.0.0.1:9000 (got "${endpoint}").`);
    }
  }
  const accessKeyId = (env.PORTICO_S3_ACCESS_KEY_ID ?? '').trim() || undefined;
  const secretAccessKey = (env.PORTICO_S3_SECRET_ACCESS_KEY ?? '').trim() || undefined;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new ConfigError('Set both PORTICO_S3_ACCESS_KEY_ID and PORTICO_S3_SECRET_ACCESS_KEY, or neither (the AWS SDK then finds credentials itself).');
  }
  const prefix = env.PORTICO_S3_PREFIX ?? 'portico/';
  if (prefix.length > 200 || /[\\\x00-\x1f]/.test(prefix)) throw new ConfigError('PORTICO_S3_PREFIX must be at most 200 characters, without control characters or backslashes.');
  return {
    endpoint,
    bucket,
    region: (env.PORTICO_S3_REGION ?? '').trim() || 'us-east-1',
    accessKeyId,
    secretAccessKey,
    forcePathStyle: env.PORTICO_S3_FORCE_PATH_STYLE === '1' || env.PORTICO_S3_FORCE_PATH_STYLE === 'true',
    prefix,
  };
}

/** PORTICO_MAILBOX_ALLOWED_HOSTS: host names, IP addresses and CIDR ranges, comma- or space-separated. */
export function mailboxAllowedHosts(text: string | undefined): string[] {
  return allowedHosts('PORTICO_MAILBOX_ALLOWED_HOSTS', text);
}

function allowedHosts(name: string, text: string | undefined): string[] {
  const entries = (text ?? '').split(/[\s,]+/).map((e) => e.trim().toLowerCase()).filter(Boolean);
  for (const entry of entries) {
    if (!allowedHostEntryValid(entry)) {
      throw new ConfigError(`${name}: '${entry.slice(0, 100)}' is not a host name, an IP address or a CIDR range such as 10.0.0.0/8.`);
    }
  }
  return entries;
}

function logLevel(text: string | undefined): LogLevel {
  const level = (text ?? '').trim().toLowerCase() || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError(`PORTICO_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not '${text}'.`);
  }
  return level as LogLevel;
}

function secretKey(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  if (text.length < 32) throw new ConfigError('PORTICO_SECRET_KEY must be at least 32 characters (for example the output of `openssl rand -base64 32`).');
  return text;
}

function backupSchedule(env: NodeJS.ProcessEnv): BackupSchedule | undefined {
  const dir = env.PORTICO_BACKUP_DIR?.trim();
  if (!dir) {
    for (const name of ['PORTICO_BACKUP_EVERY_HOURS', 'PORTICO_BACKUP_KEEP']) {
      if (env[name]?.trim()) throw new ConfigError(`${name} is set but PORTICO_BACKUP_DIR is not: set the directory the scheduled backups go to.`);
    }
    return undefined;
  }
  const hoursText = env.PORTICO_BACKUP_EVERY_HOURS?.trim() || '24';
  const everyHours = Number(hoursText);
  if (!Number.isFinite(everyHours) || everyHours <= 0) throw new ConfigError(`PORTICO_BACKUP_EVERY_HOURS must be a number of hours above 0 (e.g. 24 or 0.5), not '${hoursText}'.`);
  const keepText = env.PORTICO_BACKUP_KEEP?.trim() || '7';
  const keep = Number(keepText);
  if (!Number.isSafeInteger(keep) || keep < 1) throw new ConfigError(`PORTICO_BACKUP_KEEP must be a whole number of backups, 1 or more, not '${keepText}'.`);
  return { dir, everyHours, keep };
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = (env[name] ?? '').trim().toLowerCase();
  if (text === '') return fallback;
  if (text === 'on' || text === '1') return true;
  if (text === 'off' || text === '0') return false;
  throw new ConfigError(`${name} must be on or off, not '${env[name]}'.`);
}

function wholeNumber(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** PORTICO_DB_POOL_SIZE: 1 to 100 connections; unset, db/connection.ts defaultPoolSize. */
function poolSize(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return defaultPoolSize();
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 100) throw new ConfigError(`PORTICO_DB_POOL_SIZE must be a whole number of connections from 1 to 100, not '${text}'.`);
  return value;
}

function nonNegativeInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, unit = 'milliseconds'): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new ConfigError(`${name} must be a whole number of ${unit} (0 or more), not '${text}'.`);
  return value;
}
