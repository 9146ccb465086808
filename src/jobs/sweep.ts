import type { AppContext } from '../use-cases/context.js';
import type { JobDefinition } from './runner.js';

/**
 * A sweep that every server offers on a timer (the dated expiry, the inactivity policy): the queue's
 * 'stately' policy keeps one waiting and one running across instances, and a failed run is simply
 * the next one. Exactly once per customer does not rest on that: each change the sweep makes locks
 * and re-reads its row. After downtime the first run catches up, since a sweep compares times.
 * `now` is the clock (tests move it).
 */
export function sweepJob(
  name: string,
  context: () => AppContext | undefined,
  sweep: (ctx: AppContext, now: Date) => Promise<unknown>,
  now: () => Date = () => new Date(),
): JobDefinition<Record<string, never>> {
  return {
    name,
    policy: 'stately',
    retryLimit: 0,
    retryDelaySeconds: 1,
    maxRunSeconds: 10 * 60,
    async run() {
      const ctx = context();
      if (!ctx) return;
      await sweep(ctx, now());
    },
  };
}
