import { describe, expect, it } from 'vitest';
import { LaneScheduler, laneOfUrl, type LaneGrant } from '../../src/db/lanes.js';

// The scheduler that shares out the embedded database's one connection. The same property on a
// real PGlite app (logins of one site while another floods it with searches) is in
// test/integration/fair-share.test.ts.

async function settle() {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('LaneScheduler', () => {
  it('D3: a caller of another lane waits for at most one grant of a lane with a long queue', async () => {
    const scheduler = new LaneScheduler();
    const grants: LaneGrant[] = [];
    scheduler.observe((g) => grants.push(g));
    await scheduler.acquire('site:acme'); // the holder
    const order: string[] = [];
    const acme = Array.from({ length: 10 }, (_, i) => scheduler.acquire('site:acme').then(() => order.push(`acme${i}`)));
    const globex = scheduler.acquire('site:globex').then(() => order.push('globex'));
    await settle();
    expect(scheduler.waiting).toBe(11);
    for (let i = 0; i < 11; i++) {
      scheduler.release();
      await settle();
    }
    await Promise.all([...acme, globex]);
    expect(order.slice(0, 3)).toEqual(['acme0', 'globex', 'acme1']);
    expect(order.filter((o) => o.startsWith('acme'))).toEqual(Array.from({ length: 10 }, (_, i) => `acme${i}`)); // first come, first served within a lane
    expect(grants.find((g) => g.lane === 'site:globex')!.waitedFor).toBe(1);
    expect(Math.max(...grants.filter((g) => g.lane === 'site:acme').map((g) => g.waitedFor))).toBe(10);
  });

  it('D3: with several busy lanes each gets one turn in a round', async () => {
    const scheduler = new LaneScheduler();
    await scheduler.acquire('a');
    const order: string[] = [];
    const all = [
      ...['a', 'a', 'a'].map((l, i) => scheduler.acquire(l).then(() => order.push(`${l}${i}`))),
      ...['b', 'b'].map((l, i) => scheduler.acquire(l).then(() => order.push(`${l}${i}`))),
      scheduler.acquire('c').then(() => order.push('c0')),
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
    await scheduler.acquire('z'); // free again: granted at once
  });

  it('puts a request in the lane of the site in its URL', () => {
    expect(laneOfUrl('/s/acme/rest/api/3/search/jql?x=1')).toBe('site:acme');
    expect(laneOfUrl('/s/Globex/api/portal/login')).toBe('site:globex');
    expect(laneOfUrl('/api/admin/sites/globex-eu/customers')).toBe('site:globex-eu');
    expect(laneOfUrl('/api/auth/login')).toBe('shared');
    expect(laneOfUrl('/s/%E0%A4%A/x')).toBe('site:%e0%a4%a');
  });
});
