import type { Db } from '../connection.js';
import { findSiteBySlug, isSiteSlug, type SiteRow } from './sites.js';

/** How long an instance trusts what it read of a site: a rename, a switch of experience or a delete is seen within this. */
export const SITE_CACHE_MS = 1000;
/** At most this many slugs are remembered (unknown ones too), so a stream of made-up slugs cannot grow the process. */
const MAX_ENTRIES = 1024;

export interface SiteCache {
  /** The site with this slug, as read at most SITE_CACHE_MS ago; undefined when there is none. */
  get(slug: string): SiteRow | undefined | Promise<SiteRow | undefined>;
  /** Forgets every site at once: called after this instance changes one, so it sees its own change at once. */
  forget(): void;
}

/**
 * The sites of /s/{site}/… URLs, kept by each instance for at most a second (docs/architecture.md,
 * "One round trip per request"). What may be kept is what names and shows a site — its id (which
 * never changes), slug, name, organization and experience — never who may do what: the caller, the
 * account's status and roles are read fresh on every request, and a customer's session is matched
 * against her account's own site in that read. A site read here is at most a second old on every
 * instance, however many share the database; within that second, requests for the same slug share
 * one read.
 */
export function createSiteCache(
  db: Db,
  options: { ttlMs?: number; now?: () => number; load?: (slug: string) => Promise<SiteRow | undefined> } = {},
): SiteCache {
  const load = options.load ?? ((slug: string) => findSiteBySlug(db, slug));
  const ttl = options.ttlMs ?? SITE_CACHE_MS;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { site: SiteRow | undefined; until: number }>();
  const reading = new Map<string, Promise<SiteRow | undefined>>();
  let generation = 0;

  const read = (slug: string): Promise<SiteRow | undefined> => {
    const began = now();
    const seen = generation;
    const pending = load(slug)
      .then((site) => {
        // A read that began before a forget() may hold what was just changed: it answers its own
        // request but is not kept.
        if (seen === generation) {
          entries.delete(slug);
          if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
          entries.set(slug, { site, until: began + ttl });
        }
        return site;
      })
      .finally(() => {
        if (reading.get(slug) === pending) reading.delete(slug);
      });
    reading.set(slug, pending);
    return pending;
  };

  return {
    get(slug) {
      if (!isSiteSlug(slug)) return undefined;
      const entry = entries.get(slug);
      if (entry && entry.until > now()) return entry.site;
      return reading.get(slug) ?? read(slug);
    },
    forget() {
      generation++;
      entries.clear();
      reading.clear();
    },
  };
}
