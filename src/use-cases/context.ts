import type { Config } from '../config.js';
import type { Db } from '../db/connection.js';
import type { Actor } from '../domain/policies.js';
import type { Mailer } from '../mailer.js';

/**
 * What every use case receives: the database (a use case opens and owns its transaction), who is
 * acting, from where (for the audit log), and the app's services.
 */
export interface UseCaseContext {
  db: Db;
  actor: Actor | null;
  ip: string | null;
  userAgent: string | null;
  mailer: Mailer;
  config: Config;
  /** Absolute base URL of the server, e.g. http://127.0.0.1:3000, for links in mail. */
  origin: string;
}
