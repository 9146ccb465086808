import pg from 'pg';

export const POSTGRES_ADMIN_URL = process.env.PORTICO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The connection string of database `name` on the test server. */
export function urlFor(name: string): string {
  const u = new URL(POSTGRES_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs statements (CREATE/DROP DATABASE …) one after the other on the server's admin database. */
export async function adminQuery(...statements: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** The databases a test run makes: a file's own (portico_test_…), the run's templates (portico_tpl_…), an end-to-end server's (portico_e2e_…). */
export const TEST_DATABASE_PATTERN = '^portico_(test|tpl|e2e)_';

/**
 * Drops the databases a run that was stopped halfway left behind (it never reached its teardown):
 * those whose names match `pattern`, that nobody is connected to, made more than `olderThanMinutes`
 * ago (by the time of their PG_VERSION file; no run lasts an hour, and a run's templates have no
 * connections while it runs). Returns their names. Needs a superuser (pg_stat_file), as the test
 * server's trust login is; else it drops nothing.
 */
export async function dropLeftoverDatabases(options: { pattern?: string; olderThanMinutes?: number } = {}): Promise<string[]> {
  const { pattern = TEST_DATABASE_PATTERN, olderThanMinutes = 60 } = options;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin
      .query<{ datname: string }>(
        `SELECT d.datname FROM pg_database d
          WHERE d.datname ~ $1
            AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)
            AND (pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification <= now() - make_interval(mins => $2)`,
        [pattern, olderThanMinutes],
      )
      .catch(() => ({ rows: [] as Array<{ datname: string }> }));
    const dropped: string[] = [];
    for (const { datname } of rows) {
      // not FORCE: a connection that arrived meanwhile keeps its database
      const ok = await admin.query(`DROP DATABASE IF EXISTS "${datname.replace(/"/g, '""')}"`).then(() => true, () => false);
      if (ok) dropped.push(datname);
    }
    return dropped;
  } finally {
    await admin.end();
  }
}
