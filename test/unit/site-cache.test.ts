import { describe, expect, it } from 'vitest';
import { createSiteCache } from '../../src/db/queries/site-cache.js';
import type { Db } from '../../src/db/connection.js';
import type { SiteRow } from '../../src/db/queries/sites.js';

// The instance's site cache (docs/architecture.md, "One round trip per request"): what it keeps, for
// how long, and that concurrent requests share one read.

const acme: SiteRow = { id: '1', orgId: 'o', slug: 'acme', name: 'Acme', orgName: 'Acme Org', userManagement: 'original' };

function harness() {
  let clock = 1_000;
  const reads: string[] = [];
  let rows = new Map<string, SiteRow>([['acme', acme]]);
  const pending: Array<() => void> = [];
  let hold = false;
  const cache = createSiteCache({} as Db, {
    now: () => clock,
    load: async (slug) => {
      reads.push(slug);
      const row = rows.get(slug); // what the database held when the read began
      if (hold) await new Promise<void>((resolve) => pending.push(resolve));
      return row;
    },
  });
  return {
    cache,
    reads,
    tick: (ms: number) => (clock += ms),
    set: (next: Map<string, SiteRow>) => (rows = next),
    hold: (on: boolean) => (hold = on),
    release: () => pending.splice(0).forEach((resolve) => resolve()),
  };
}

describe('site cache', () => {
  it('a site is read once, answered from memory for a second, then read again; a rename is seen after that second', async () => {
    const h = harness();
    expect(await h.cache.get('acme')).toEqual(acme);
    expect(h.cache.get('acme')).toEqual(acme); // no promise: answered at once
    h.tick(999);
    expect(h.cache.get('acme')).toEqual(acme);
    expect(h.reads).toEqual(['acme']);
    h.set(new Map([['acme', { ...acme, name: 'Acme Renamed' }]]));
    h.tick(1);
    expect(await h.cache.get('acme')).toMatchObject({ name: 'Acme Renamed' });
    expect(h.reads).toEqual(['acme', 'acme']);
  });

  it('a deleted or unknown site is no site, also from memory for at most a second; what cannot be a slug is never read', async () => {
    const h = harness();
    expect(await h.cache.get('nosuch')).toBeUndefined();
    expect(h.cache.get('nosuch')).toBeUndefined();
    expect(h.cache.get('Not A Slug\u0000')).toBeUndefined();
    expect(h.cache.get('x'.repeat(5000))).toBeUndefined();
    expect(h.reads).toEqual(['nosuch']);
    await h.cache.get('acme');
    h.set(new Map());
    h.tick(1_000);
    expect(await h.cache.get('acme')).toBeUndefined();
  });

  it('requests that arrive while a site is being read share the one read', async () => {
    const h = harness();
    h.hold(true);
    const all = Promise.all([h.cache.get('acme'), h.cache.get('acme'), h.cache.get('acme')]);
    h.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    h.release();
    expect(await all).toEqual([acme, acme, acme]);
    expect(h.reads).toEqual(['acme']);
  });

  it('forget() drops what was read, and a read that began before it answers its request but is not kept', async () => {
    const h = harness();
    await h.cache.get('acme');
    h.cache.forget();
    h.hold(true);
    const before = h.cache.get('acme');
    h.cache.forget(); // this instance changed the site while the read was under way
    h.set(new Map([['acme', { ...acme, userManagement: 'centralized' }]]));
    h.release();
    expect(await before).toEqual(acme);
    h.hold(false);
    expect(await h.cache.get('acme')).toMatchObject({ userManagement: 'centralized' });
    expect(h.reads).toEqual(['acme', 'acme', 'acme']);
  });

  it('keeps at most 1,024 slugs, so made-up slugs cannot grow the process', async () => {
    const h = harness();
    for (let i = 0; i < 1_100; i++) await h.cache.get(`made-up-${i}`);
    h.reads.length = 0;
    await h.cache.get('made-up-1099'); // kept
    await h.cache.get('made-up-0'); // pushed out
    expect(h.reads).toEqual(['made-up-0']);
  });
});
