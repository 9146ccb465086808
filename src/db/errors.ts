/**
 * PostgreSQL stopped a statement because it ran or waited too long: statement_timeout (and a
 * cancel request) raise 57014 query_canceled, lock_timeout 55P03 lock_not_available. The
 * statement's transaction is rolled back, so the request changed nothing.
 */
export function isStatementTimeout(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '57014' || code === '55P03';
}
