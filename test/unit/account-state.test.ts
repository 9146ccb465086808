import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planTransition, type AccountTransition } from '../../src/domain/account-state.js';
import type { AccountStatus } from '../../src/db/schema.js';

describe('the customer account state machine (docs/product.md#account-states)', () => {
  it('revokes an active account and grants a revoked one', () => {
    expect(planTransition('active', 'revoke')).toEqual({ kind: 'change', to: 'revoked' });
    expect(planTransition('revoked', 'grant')).toEqual({ kind: 'change', to: 'active' });
  });

  it('treats a repeated revoke or grant as a no-op (no second audit event)', () => {
    expect(planTransition('revoked', 'revoke')).toEqual({ kind: 'noop' });
    expect(planTransition('active', 'grant')).toEqual({ kind: 'noop' });
  });

  it('deletes from active or revoked, and deleted is final', () => {
    expect(planTransition('active', 'delete')).toEqual({ kind: 'change', to: 'deleted' });
    expect(planTransition('revoked', 'delete')).toEqual({ kind: 'change', to: 'deleted' });
    expect(planTransition('deleted', 'grant')).toEqual({ kind: 'forbidden' });
    expect(planTransition('deleted', 'revoke')).toEqual({ kind: 'forbidden' });
    expect(planTransition('deleted', 'delete')).toEqual({ kind: 'noop' });
  });

  it('on any sequence of transitions, a change always moves to a different state and deleted is never left', () => {
    // an independent model of the rules: what each step does from each state
    const model: Record<AccountStatus, Record<AccountTransition, AccountStatus | 'noop' | 'forbidden'>> = {
      active: { revoke: 'revoked', grant: 'noop', delete: 'deleted' },
      revoked: { revoke: 'noop', grant: 'active', delete: 'deleted' },
      deleted: { revoke: 'forbidden', grant: 'forbidden', delete: 'noop' },
    };
    const transition = fc.constantFrom<AccountTransition>('revoke', 'grant', 'delete');
    const seen = { change: 0, noop: 0, forbidden: 0 };
    fc.assert(
      fc.property(fc.array(transition, { maxLength: 30 }), (steps) => {
        let state: AccountStatus = 'active';
        for (const t of steps) {
          const p = planTransition(state, t);
          const expected = model[state][t];
          seen[p.kind]++;
          if (expected === 'noop' || expected === 'forbidden') expect(p, `${t} from ${state}`).toEqual({ kind: expected });
          else expect(p, `${t} from ${state}`).toEqual({ kind: 'change', to: expected });
          if (p.kind === 'change') {
            expect(p.to).not.toBe(state);
            expect(state).not.toBe('deleted');
            state = p.to;
          }
        }
        // the final state follows from the last effective step alone
        if (!steps.includes('delete')) {
          const last = [...steps].reverse().find((s) => s === 'revoke' || s === 'grant');
          expect(state).toBe(last === 'revoke' ? 'revoked' : 'active');
        } else {
          expect(state).toBe('deleted');
        }
      }),
    );
    // every kind of plan was met, many times
    expect(seen.change).toBeGreaterThan(100);
    expect(seen.noop).toBeGreaterThan(100);
    expect(seen.forbidden).toBeGreaterThan(100);
  });
});
