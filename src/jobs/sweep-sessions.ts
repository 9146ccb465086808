import type { AppContext } from '../use-cases/context.js';
import { sweepExpiredSessions } from '../use-cases/auth/sweep-expired-sessions.js';
import type { JobDefinition } from './runner.js';
import { sweepJob } from './sweep.js';

/** How often every server offers the sessions sweep. */
export const SESSIONS_SWEEP_OFFER_SECONDS = 10 * 60;

/**
 * Deletes expired sessions (use-cases/auth/sweep-expired-sessions.ts) every ten minutes, as a sweep
 * (sweep.ts). A session's end does not wait for it: the caller statement already refuses an expired
 * one. It compares with the database's clock, so it takes no clock of its own.
 */
export function sweepSessionsJob(context: () => AppContext | undefined): JobDefinition<Record<string, never>> {
  return sweepJob('sweep-sessions', context, (ctx) => sweepExpiredSessions(ctx));
}
