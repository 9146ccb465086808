import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

// One table-driven test for "who may do what": every caller (a role) × every state the target can
// be in × every route, each cell compared with the outcome the rule says. All cells run and every
// mismatch is reported together, as a table, so a broken rule shows its whole shape at once.

/** 'allowed': a 2xx that changes the target; 'no-op': a 2xx that leaves it as it was (e.g. revoking the revoked) */
export type GridOutcome = 'allowed' | 'no-op' | 400 | 401 | 403 | 404;

export interface GridCaller {
  name: string;
  headers: Record<string, string>;
}

export interface GridRoute<Target> {
  name: string;
  call(target: Target, headers: Record<string, string>): Promise<LightMyRequestResponse>;
}

export interface AccessGrid<Caller extends GridCaller, State extends string, Route extends GridRoute<Target>, Target> {
  callers: readonly Caller[];
  /** the states the target is put in before each call (e.g. account statuses) */
  states: readonly State[];
  routes: readonly Route[];
  targets: readonly Target[];
  describeTarget(target: Target): string;
  /** the rule: what this caller gets from this route on this target in this state */
  expected(cell: { caller: Caller; state: State; route: Route; target: Target }): GridOutcome;
  /** puts the target in the state (and anything else a cell starts from) */
  arrange(cell: { state: State; route: Route; target: Target }): Promise<void>;
  /**
   * Reads what a cell may change (status, audit events …) before and after each call: an allowed
   * call must change it, a refused one must leave it exactly as it was.
   */
  observe(target: Target): Promise<unknown>;
  /** extra checks of an allowed answer (e.g. the body), beyond a 2xx and a change */
  onAllowed?(
    res: LightMyRequestResponse,
    cell: { caller: Caller; state: State; route: Route; target: Target },
    observed: { before: unknown; after: unknown },
  ): Promise<void> | void;
  /** extra checks of a refusal (e.g. the error shape), beyond the status and no change */
  onRefused?(res: LightMyRequestResponse): void;
}

export interface GridResult {
  cells: number;
  allowed: number;
}

/** Runs every cell; fails once, listing every cell whose outcome differs from the rule. */
export async function runAccessGrid<Caller extends GridCaller, State extends string, Route extends GridRoute<Target>, Target>(
  grid: AccessGrid<Caller, State, Route, Target>,
): Promise<GridResult> {
  const wrong: string[] = [];
  let cells = 0;
  let allowed = 0;
  for (const target of grid.targets) {
    for (const caller of grid.callers) {
      for (const route of grid.routes) {
        for (const state of grid.states) {
          const cell = { caller, state, route, target };
          const expected = grid.expected(cell);
          await grid.arrange({ state, route, target });
          const observedBefore = await grid.observe(target);
          const res = await route.call(target, caller.headers);
          const observedAfter = await grid.observe(target);
          const [before, after] = [JSON.stringify(observedBefore), JSON.stringify(observedAfter)];
          const where = `${caller.name} → ${route.name} on ${grid.describeTarget(target)} (${state})`;
          cells++;
          try {
            if (expected === 'allowed') {
              expect(res.statusCode, res.body).toBeLessThan(300);
              expect(after, 'an allowed call changes its target').not.toBe(before);
              await grid.onAllowed?.(res, cell, { before: observedBefore, after: observedAfter });
              allowed++;
            } else if (expected === 'no-op') {
              expect(res.statusCode, res.body).toBeLessThan(300);
              expect(after, 'a repeated change changes nothing').toBe(before);
            } else {
              expect(res.statusCode, res.body).toBe(expected);
              expect(after, 'a refused call changes nothing').toBe(before);
              grid.onRefused?.(res);
            }
          } catch (e) {
            wrong.push(`${where}: expected ${expected}, got ${res.statusCode} — ${(e as Error).message.split('\n')[0]}`);
          }
        }
      }
    }
  }
  expect(wrong, `${wrong.length} of ${cells} cells differ from the rule`).toEqual([]);
  return { cells, allowed };
}
