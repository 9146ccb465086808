/**
 * The code of a request's wait for a connection of the PostgreSQL pool that lasted twice the
 * statement timeout (db/connection.ts openPostgres): no statement of it ran.
 */
export const POOL_WAIT_TIMEOUT = 'PORTICO_POOL_WAIT_TIMEOUT';

/** pg-pool's error when `connectionTimeoutMillis` passed with no connection free (pg-pool 3; test/integration/query-budget.test.ts guards it). */
const PG_POOL_WAIT_MESSAGE = 'timeout exceeded when trying to connect';

/** Rethrows a pool's error, with POOL_WAIT_TIMEOUT as its code when it is pg-pool's "no connection came in time". */
export function namePoolWaitTimeout(error: unknown): never {
  if (error instanceof Error && error.message === PG_POOL_WAIT_MESSAGE) throw Object.assign(error, { code: POOL_WAIT_TIMEOUT });
  throw error;
}

/**
 * The database is at its bound for this request, and the request changed nothing: PostgreSQL stopped
 * a statement because it ran or waited too long — statement_timeout (and a cancel request) raise
 * 57014 query_canceled, lock_timeout 55P03 lock_not_available, and the statement's transaction is
 * rolled back — or no connection of the pool came free within twice that time (POOL_WAIT_TIMEOUT).
 */
export function isDatabaseAtBound(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '57014' || code === '55P03' || code === POOL_WAIT_TIMEOUT;
}
