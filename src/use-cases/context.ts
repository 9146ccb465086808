import type { Config } from '../config.js';
import type { Db } from '../db/connection.js';
import type { SiteRow } from '../db/queries/sites.js';
import type { Actor } from '../domain/policies.js';
import type { Mailer } from '../mailer.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * What every use case receives: the database (a use case opens and owns its transaction), from
 * where the call comes (for the audit log), and the app's services.
 */
export interface AppContext {
  db: Db;
  ip: string | null;
  userAgent: string | null;
  mailer: Mailer;
  config: Config;
  /**
   * The public URL (PORTICO_PUBLIC_URL), e.g. https://help.example.com, for absolute links in mail
   * and answers; never taken from the request's Host header.
   */
  origin: string;
  /**
   * Wakes webhook delivery once the caller's transaction commits (jobs/deliver-webhooks.ts);
   * absent where no job runner runs (the CLI, most tests): the deliveries wait in the outbox for a
   * server's runner.
   */
  webhooks?: WebhookQueue;
  /** What the operator's metrics count of a use case's outcome (src/metrics.ts); absent: nothing is counted. */
  counters?: UseCaseCounters;
}

/**
 * Outcomes the operator's metrics count, reported by the use cases themselves once they succeeded
 * (after the transaction committed), whichever route, screen or command called them.
 */
export interface UseCaseCounters {
  /** a login refused: wrong email or password (one reason for every cause, as the answer), or throttled */
  loginRefused(account: 'staff' | 'customer', reason: 'credentials' | 'throttled'): void;
  /** customers whose access a revoke or a grant changed (a no-op counts 0) */
  customerAccessChanged(action: 'revoke' | 'grant', customers: number): void;
}

/** The context of an authenticated call: the route has established who is acting (or answered 401). */
export interface ActorContext extends AppContext {
  actor: Actor;
  /**
   * The site the URL names (`/s/{site}/…`, `/api/admin/sites/{slug}/…`), read in the same statement
   * as the actor for this request (http/plugins/auth.ts), so a use case need not read it again;
   * undefined when the URL names none or no such site exists.
   */
  urlSite?: SiteRow;
}

/** The context of a call nobody is signed in for: logging in, password resets, the CLI's token. */
export interface AnonymousContext extends AppContext {
  actor: null;
}

/** The job runner's side of the webhook outbox: queues a delivery run in the caller's transaction. */
export interface WebhookQueue {
  wake(trx: Kysely<Database>): Promise<void>;
}
