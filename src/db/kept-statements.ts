// What the kept statements of both databases share (docs/architecture.md, "Kept plans"):
// db/pglite-statements.ts for the embedded database, db/postgres-statements.ts for the server.

/** How many statements a connection keeps; the least recently used is closed when a new one would pass it. */
export const KEPT_STATEMENTS_PER_CONNECTION = 500;

/** SQLSTATE 0A000: a kept statement whose result columns changed under it (a migration altered a table). */
export const CACHED_PLAN_CHANGED = '0A000';
