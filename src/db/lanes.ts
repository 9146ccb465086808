import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Lanes: who is waiting for the embedded database's one connection. PGlite runs one statement at a
 * time and blocks the whole process while it runs, so with a plain first-come queue a site that
 * sends many heavy searches at once puts every one of them ahead of another site's login. Each
 * request runs in the lane of its site (http/app.ts); the connection goes to the lanes in turn,
 * one statement or transaction each, so a waiting statement of one site lets at most one statement
 * of each other busy site go first — however many that site has queued. Within a lane the order
 * is first come, first served. PostgreSQL's pool needs none of this.
 */
const currentLaneStore = new AsyncLocalStorage<string>();

/** The lane of work not tied to a site (staff login, org admin pages, start-up). */
export const SHARED_LANE = 'shared';

/** Runs `fn` (and everything it awaits) with its database work queued in `lane`. */
export function runInLane<T>(lane: string, fn: () => T): T {
  return currentLaneStore.run(lane, fn);
}

export function currentLane(): string {
  return currentLaneStore.getStore() ?? SHARED_LANE;
}

/** The lane of a request: its site for /s/{site}/… and /api/admin/sites/{site}/…, else shared. */
export function laneOfUrl(url: string): string {
  const site = /^\/s\/([^/?#]+)/.exec(url) ?? /^\/api\/admin\/sites\/([^/?#]+)/.exec(url);
  return site ? `site:${decodeURIComponentSafe(site[1]).toLowerCase()}` : SHARED_LANE;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** One grant of the connection: whose, and how many grants to others it waited for. */
export interface LaneGrant {
  lane: string;
  /** grants made to other callers between this caller's request and its own grant */
  waitedFor: number;
}

/**
 * A mutual-exclusion lock whose waiters are served round-robin across lanes. `acquire` resolves
 * when the caller holds the lock; `release` hands it to the next lane in turn.
 */
export class LaneScheduler {
  /** false: one first-come queue for all lanes (what PGlite had before; bench/embedded-fairness.ts compares) */
  readonly #fair: boolean;
  #busy = false;
  #grants = 0;
  /** lanes with waiters, in the order they are served */
  #turns: string[] = [];
  #waiting = new Map<string, Array<() => void>>();
  #listeners = new Set<(grant: LaneGrant) => void>();

  constructor(options: { fair?: boolean } = {}) {
    this.#fair = options.fair ?? true;
  }

  /** Callers waiting (not counting the holder). */
  get waiting(): number {
    let n = 0;
    for (const queue of this.#waiting.values()) n += queue.length;
    return n;
  }

  /** Calls `listener` on every grant; returns the unsubscribe function. */
  observe(listener: (grant: LaneGrant) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async acquire(lane: string): Promise<void> {
    const requestedAt = this.#grants;
    if (this.#busy) {
      const turn = this.#fair ? lane : '';
      await new Promise<void>((resolve) => {
        let queue = this.#waiting.get(turn);
        if (!queue) {
          queue = [];
          this.#waiting.set(turn, queue);
          this.#turns.push(turn);
        }
        queue.push(resolve);
      });
    } else {
      this.#busy = true;
    }
    const grant = { lane, waitedFor: this.#grants - requestedAt };
    this.#grants++;
    for (const listener of this.#listeners) listener(grant);
  }

  release(): void {
    const lane = this.#turns.shift();
    if (lane === undefined) {
      this.#busy = false;
      return;
    }
    const queue = this.#waiting.get(lane)!;
    const next = queue.shift()!;
    if (queue.length > 0) this.#turns.push(lane);
    else this.#waiting.delete(lane);
    next(); // the lock passes to `next` without ever being free
  }
}
