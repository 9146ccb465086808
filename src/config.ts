import { DEFAULT_STATEMENT_TIMEOUT_MS } from './db/connection.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demo: boolean;
  smtpUrl: string | undefined;
  /** Secure cookies: set when Portico is served over HTTPS (directly or behind a TLS proxy). */
  secureCookies: boolean;
  /** Sessions: idle timeout and absolute lifetime. */
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** Trust X-Forwarded-* from a reverse proxy. */
  trustProxy: boolean;
  /** PostgreSQL: how long one statement of a request may run, in ms (0: no limit). */
  statementTimeoutMs: number;
  /** Login throttling (defaults in db/queries/throttle.ts); tests lower them. */
  loginThrottle?: Partial<LoginThrottleLimits>;
  /** Set by the server on a PGlite data dir: `portico` commands authenticate with it (server.json). */
  cliSecret?: string;
}

export interface LoginThrottleLimits {
  /** failed logins per account key (site or staff + typed email) within the window */
  accountMaxFailures: number;
  /** failed logins per client IP within the window */
  ipMaxFailures: number;
  /** the window, and how long a key stays locked once it reaches its limit */
  windowMinutes: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    dataDir: env.PORTICO_DATA_DIR ?? './data',
    databaseUrl: env.DATABASE_URL || undefined,
    demo: env.PORTICO_DEMO !== '0',
    smtpUrl: env.SMTP_URL || undefined,
    secureCookies: env.PORTICO_SECURE_COOKIES === '1',
    sessionIdleMinutes: Number(env.PORTICO_SESSION_IDLE_MINUTES ?? 120),
    sessionAbsoluteHours: Number(env.PORTICO_SESSION_ABSOLUTE_HOURS ?? 24 * 7),
    trustProxy: env.PORTICO_TRUST_PROXY === '1',
    statementTimeoutMs: nonNegativeInteger(env, 'PORTICO_STATEMENT_TIMEOUT_MS', DEFAULT_STATEMENT_TIMEOUT_MS),
  };
}

function nonNegativeInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number of milliseconds (0 or more), not '${text}'.`);
  return value;
}
