import { expect } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/deps.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { loadConfig } from '../../src/config.js';
import { openCallerCache, type CallerCache } from '../../src/db/caller-cache.js';
import type { SessionPrincipal } from '../../src/db/queries/caller.js';
import type { TestDatabase } from './db.js';
import { StatementLog } from './statement-log.js';

/** An app instance as a server runs it, with a caller cache of its own, and the log of its statements. */
export interface CachedInstance {
  app: App;
  callers: CallerCache<SessionPrincipal>;
  log: StatementLog;
}

/**
 * Instances of Portico on one test database, each with its own caller cache (docs/architecture.md,
 * "The caller cache"), as several servers on one PostgreSQL database are; the site cache never
 * expires, so a statement count is not one site read more when a second runs out.
 */
export class CachedInstances {
  readonly #made: CachedInstance[] = [];
  constructor(private readonly database: () => TestDatabase) {}

  /** A new instance, once its cache may be used (it heard its own first ping, or listens on PGlite). */
  async start(): Promise<CachedInstance> {
    const database = this.database();
    const log = new StatementLog();
    const callers = await openCallerCache<SessionPrincipal>(database);
    const config = { ...loadConfig({}), publicUrl: 'http://localhost:80', logLevel: 'silent' as const };
    const app = await buildApp({ db: database.db.withPlugin(log), mailer: createOutboxMailer(), config }, { callers, siteCacheClock: () => 0 });
    await app.ready();
    const made = { app, callers, log };
    this.#made.push(made);
    for (let i = 0; i < 100 && !callers.usable(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(callers.usable()).toBe(true);
    return made;
  }

  /** Stops every instance started. */
  async close(): Promise<void> {
    for (const i of this.#made.splice(0)) {
      await i.app.close();
      await i.callers.close();
    }
  }
}
