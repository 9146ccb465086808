import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Lanes: who is waiting for the embedded database's one connection. PGlite runs one statement at a
 * time and blocks the whole process while it runs, so with a plain first-come queue a site that
 * sends many heavy searches at once puts every one of them ahead of another site's login. Each
 * request runs in the lane of its site (http/app.ts); the connection goes to the lanes in turn, so a
 * waiting request lets at most one turn of each other busy site go first — however many requests
 * that site has queued. A turn is one request's run of statements: when a statement ends and the
 * same request asks for the next one before anything else happens (no other I/O in between: the
 * code just goes on), it keeps the connection, up to MAX_TURN_GRANTS statements; work that waits for
 * something else (a password hash, the network) gives the connection up meanwhile. So a login waits
 * for one turn of a busy site per step (site, account, then the session after the password hash),
 * not one per statement, and never for a whole queue. Within a
 * lane the order is first come, first served. PostgreSQL's pool needs none of this.
 */

/** One unit of work that asks for the connection (a request): its lane, and its identity. */
export interface LaneCaller {
  readonly lane: string;
}

const currentCallerStore = new AsyncLocalStorage<LaneCaller>();

/** The lane of work not tied to a site (staff login, org admin pages, start-up). */
export const SHARED_LANE = 'shared';

/** Most statements one caller runs in one turn while others wait. */
export const MAX_TURN_GRANTS = 16;

/**
 * Whether a lane scheduler (an embedded database) exists in this process. Until one does, requests
 * run outside any async context: PostgreSQL's pool needs no lanes, and keeping a context alive
 * costs something on every promise of every request (docs/benchmarks.md, "Per-request overhead").
 */
let lanesInUse = false;

/** Runs `fn` (and everything it awaits) as one caller whose database work is queued in `lane`. */
export function runInLane<T>(lane: string, fn: () => T): T {
  return lanesInUse ? currentCallerStore.run({ lane }, fn) : fn();
}

/** runInLane in the lane of a request's URL, the lane worked out only when lanes are in use. */
export function runInLaneOfUrl<T>(url: string, fn: () => T): T {
  return lanesInUse ? currentCallerStore.run({ lane: laneOfUrl(url) }, fn) : fn();
}

/** The caller of the current async context; outside runInLane each call is a caller of its own. */
export function currentCaller(): LaneCaller {
  return currentCallerStore.getStore() ?? { lane: SHARED_LANE };
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

/** One grant of the connection: whose, and how many turns of other callers it waited for. */
export interface LaneGrant {
  lane: string;
  /** turns that began between this caller's request and its own grant (0: it went straight on) */
  waitedTurns: number;
}

/**
 * A mutual-exclusion lock whose waiters are served round-robin across lanes, a caller keeping it
 * for its next statement when it asks at once (see above). `acquire` resolves when the caller
 * holds the lock; `release` lets it go.
 */
export class LaneScheduler {
  /** false: one first-come queue, no turns (what PGlite had before; bench/embedded-fairness.ts compares) */
  readonly #fair: boolean;
  #busy = false;
  /** turns begun so far */
  #turnCount = 0;
  /** lanes with waiters, in the order they are served */
  #turns: string[] = [];
  #waiting = new Map<string, Array<{ caller: LaneCaller; resume: () => void }>>();
  #listeners = new Set<(grant: LaneGrant) => void>();
  /** the caller that just released, may take the lock back until the hand-over runs */
  #keptFor: LaneCaller | undefined;
  #holder: LaneCaller | undefined;
  #inTurn = 0;

  constructor(options: { fair?: boolean } = {}) {
    lanesInUse = true;
    this.#fair = options.fair ?? true;
  }

  /** Whether a caller holds the lock (runs a statement, or keeps it for its next one). */
  get busy(): boolean {
    return this.#busy;
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

  async acquire(caller: LaneCaller): Promise<void> {
    const requestedAt = this.#turnCount;
    let waitedTurns = 0;
    if (this.#busy && this.#keptFor === caller) {
      this.#keptFor = undefined; // its turn goes on
      this.#inTurn++;
    } else if (this.#busy) {
      const key = this.#fair ? caller.lane : '';
      await new Promise<void>((resume) => {
        let queue = this.#waiting.get(key);
        if (!queue) {
          queue = [];
          this.#waiting.set(key, queue);
          this.#turns.push(key);
        }
        queue.push({ caller, resume });
      });
      waitedTurns = this.#turnCount - requestedAt - 1; // the turns begun while it waited, not its own
    } else {
      this.#busy = true;
      this.#inTurn = 1;
      this.#turnCount++;
    }
    this.#holder = caller;
    const grant = { lane: caller.lane, waitedTurns };
    for (const listener of this.#listeners) listener(grant);
  }

  release(): void {
    const caller = this.#holder;
    this.#holder = undefined;
    if (this.#turns.length === 0) {
      this.#busy = false;
      return;
    }
    if (this.#fair && caller && this.#inTurn < MAX_TURN_GRANTS) {
      // Others wait: the lock stays with this caller until the code that awaited this statement
      // has run (microtasks come before setImmediate); if it asks again by then, its turn goes on.
      this.#keptFor = caller;
      setImmediate(() => {
        if (this.#keptFor !== caller) return; // taken back
        this.#keptFor = undefined;
        this.#handOver();
      });
      return;
    }
    this.#handOver();
  }

  #handOver(): void {
    const key = this.#turns.shift();
    if (key === undefined) {
      this.#busy = false;
      return;
    }
    const queue = this.#waiting.get(key)!;
    const next = queue.shift()!;
    if (queue.length > 0) this.#turns.push(key);
    else this.#waiting.delete(key);
    this.#inTurn = 1;
    this.#turnCount++;
    next.resume(); // the lock passes to `next` without ever being free
  }
}
