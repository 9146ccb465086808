import { describe, expect, it } from 'vitest';
import { LaneScheduler, laneOfUrl, MAX_TURN_GRANTS, type LaneCaller, type LaneGrant } from '../../src/db/lanes.js';

// The scheduler that shares out the embedded database's one connection. The same property on a
// real PGlite app (logins of one site while another floods it with searches) is in
// test/integration/fair-share.test.ts.

/** Lets every pending callback run (microtasks, and the scheduler's hand-overs on setImmediate). */
async function settle() {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

const caller = (lane: string): LaneCaller => ({ lane });

describe('LaneScheduler', () => {
  it('D3: a caller of another lane waits for at most one turn of a lane with a long queue', async () => {
    const scheduler = new LaneScheduler();
    const grants: LaneGrant[] = [];
    scheduler.observe((g) => grants.push(g));
    await scheduler.acquire(caller('site:acme')); // the holder
    const order: string[] = [];
    const acme = Array.from({ length: 10 }, (_, i) => scheduler.acquire(caller('site:acme')).then(() => order.push(`acme${i}`)));
    const globex = scheduler.acquire(caller('site:globex')).then(() => order.push('globex'));
    await settle();
    expect(scheduler.waiting).toBe(11);
    for (let i = 0; i < 11; i++) {
      scheduler.release();
      await settle();
    }
    await Promise.all([...acme, globex]);
    expect(order.slice(0, 3)).toEqual(['acme0', 'globex', 'acme1']);
    expect(order.filter((o) => o.startsWith('acme'))).toEqual(Array.from({ length: 10 }, (_, i) => `acme${i}`)); // first come, first served within a lane
    expect(grants.find((g) => g.lane === 'site:globex')!.waitedTurns).toBe(1);
    expect(Math.max(...grants.filter((g) => g.lane === 'site:acme').map((g) => g.waitedTurns))).toBe(10);
  });

  it('D3: with several busy lanes each gets one turn in a round', async () => {
    const scheduler = new LaneScheduler();
    await scheduler.acquire(caller('a'));
    const order: string[] = [];
    const all = [
      ...['a', 'a', 'a'].map((l, i) => scheduler.acquire(caller(l)).then(() => order.push(`${l}${i}`))),
      ...['b', 'b'].map((l, i) => scheduler.acquire(caller(l)).then(() => order.push(`${l}${i}`))),
      scheduler.acquire(caller('c')).then(() => order.push('c0')),
    ];
    await settle();
    for (let i = 0; i < 6; i++) {
      scheduler.release();
      await settle();
    }
    await Promise.all(all);
    expect(order).toEqual(['a0', 'b0', 'c0', 'a1', 'b1', 'a2']);
    scheduler.release();
    expect(scheduler.waiting).toBe(0);
    await scheduler.acquire(caller('z')); // free again: granted at once
  });

  it('D3: a caller that asks again at once keeps the connection for its turn; one that waits for something else gives it up', async () => {
    const scheduler = new LaneScheduler();
    const login = caller('site:globex');
    await scheduler.acquire(login);
    const other = scheduler.acquire(caller('site:acme'));
    await settle();
    // the statement ends and the code goes straight on to its next one: no other turn in between
    scheduler.release();
    await scheduler.acquire(login);
    expect(scheduler.waiting).toBe(1);
    // now it waits for a password hash (another event-loop turn): acme goes first
    scheduler.release();
    await settle();
    await other;
    const next = scheduler.acquire(login);
    let granted = false;
    void next.then(() => (granted = true));
    await settle();
    expect(granted).toBe(false);
    scheduler.release();
    await next;
  });

  it(`D3: a turn ends after ${MAX_TURN_GRANTS} statements when others wait`, async () => {
    const scheduler = new LaneScheduler();
    const grants: LaneGrant[] = [];
    scheduler.observe((g) => grants.push(g));
    const busy = caller('site:acme');
    await scheduler.acquire(busy);
    const other = scheduler.acquire(caller('site:globex'));
    await settle();
    let again: Promise<void> = Promise.resolve();
    for (let i = 0; i < MAX_TURN_GRANTS * 2 && grants.at(-1)!.lane === 'site:acme'; i++) {
      scheduler.release();
      again = scheduler.acquire(busy); // at once, as code that goes straight on does
      await settle();
    }
    await other;
    expect(grants.map((g) => g.lane)).toEqual([...Array(MAX_TURN_GRANTS).fill('site:acme'), 'site:globex']);
    scheduler.release();
    await again;
  });

  it('puts a request in the lane of the site in its URL', () => {
    expect(laneOfUrl('/s/acme/rest/api/3/search/jql?x=1')).toBe('site:acme');
    expect(laneOfUrl('/s/Globex/api/portal/login')).toBe('site:globex');
    expect(laneOfUrl('/api/admin/sites/globex-eu/customers')).toBe('site:globex-eu');
    expect(laneOfUrl('/api/auth/login')).toBe('shared');
    expect(laneOfUrl('/s/%E0%A4%A/x')).toBe('site:%e0%a4%a');
  });
});
