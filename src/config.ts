import type { LoginThrottleLimits } from './domain/login-throttle.js';

export type { LoginThrottleLimits };

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
  /** Login throttling (the rule and its defaults: domain/login-throttle.ts); tests lower them. */
  loginThrottle?: Partial<LoginThrottleLimits>;
  /** Set by the server on a PGlite data dir: `portico` commands authenticate with it (server.json). */
  cliSecret?: string;
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
  };
}
