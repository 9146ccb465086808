import type { Kysely } from 'kysely';
import type { LookUpNotices } from './caller-cache.js';
import type { Database } from './schema.js';

// The notices of each database handle's instance (its caller cache: db/caller-cache.ts), set by the
// app that owns the handle. What an instance keeps of a read that is not about its callers — a JQL
// search's look-up (use-cases/filters/jql-search.ts), a picker's answer (db/queries/user-picker.ts) —
// it trusts only while these notices vouch for it (docs/architecture.md, "Kept look-ups"). A handle
// without them (a CLI, a test app without a cache, a transaction) keeps nothing it cannot check.
const noticesOf = new WeakMap<object, LookUpNotices>();

/** Reads through `db` may keep what the notices vouch for, while they do. */
export function heedLookUpNotices(db: Kysely<Database>, notices: LookUpNotices): void {
  noticesOf.set(db, notices);
}

/** The notices that vouch for what reads through `db` keep; undefined when nothing may be kept unchecked. */
export function lookUpNoticesOf(db: Kysely<Database>): LookUpNotices | undefined {
  return noticesOf.get(db);
}
