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
  /**
   * The public URL (PORTICO_PUBLIC_URL), e.g. https://help.example.com, for absolute links in mail
   * and answers; never taken from the request's Host header.
   */
  origin: string;
}
