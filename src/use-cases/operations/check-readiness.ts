import type { Db } from '../../db/connection.js';
import { migrationState } from '../../db/migrate.js';

/** What GET /readyz answers (docs/operations.md, "Health and readiness"). */
export interface Readiness {
  ready: boolean;
  /** one sentence per reason it is not ready, for the operator; empty when ready */
  problems: string[];
  database: 'ok' | 'unreachable' | 'timeout';
  migrations: 'done' | 'pending' | 'newer' | 'unknown';
  draining: boolean;
}

export interface ReadinessInput {
  /** the server is shutting down */
  draining: boolean;
  /** how long the database may take to answer */
  timeoutMs: number;
  /** the database's own error, for the server's log */
  onError?(error: unknown): void;
}

/**
 * The readiness check of one server: asks the database one cheap question — which migrations ran,
 * a read of a table of a few dozen rows — bounded by `timeoutMs`. Ready when it answers in time,
 * every migration of this code ran (no more, no fewer) and the server is not shutting down. What went
 * wrong is said in words that name no host, port or user: the answer is public.
 *
 * One question at a time: probes that come while one is unanswered wait for the same answer (each
 * up to its own timeout), so a database that hangs collects one waiting query, not one per probe.
 */
export function readinessCheck(db: Db): (input: ReadinessInput) => Promise<Readiness> {
  let asking: Promise<{ state: Readiness['migrations'] } | { error: unknown }> | undefined;
  const ask = () => {
    if (!asking) {
      // settled either way, so an answer that comes after the timeout is no unhandled rejection
      const current = migrationState(db).then(
        (state) => ({ state }),
        (error: unknown) => ({ error }),
      );
      asking = current;
      void current.then(() => {
        if (asking === current) asking = undefined;
      });
    }
    return asking;
  };
  return (input) => checkReadiness(ask, input);
}

async function checkReadiness(ask: () => Promise<{ state: Readiness['migrations'] } | { error: unknown }>, input: ReadinessInput): Promise<Readiness> {
  const problems: string[] = [];
  if (input.draining) problems.push('The server is shutting down: it finishes the requests under way and takes no new ones.');
  let database: Readiness['database'] = 'ok';
  let migrations: Readiness['migrations'] = 'unknown';
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), input.timeoutMs)));
  const answer = await Promise.race([ask(), late]);
  clearTimeout(timer);
  if (answer === 'late') {
    database = 'timeout';
    problems.push(`The database did not answer within ${input.timeoutMs} ms.`);
  } else if ('error' in answer) {
    input.onError?.(answer.error);
    database = 'unreachable';
    problems.push('The database did not answer: it refused the connection or the query failed.');
  } else {
    migrations = answer.state;
    if (migrations === 'pending') problems.push('The database schema is not up to date: migrations have not all run.');
    if (migrations === 'newer') problems.push('The database schema is newer than this version of Portico: a newer version migrated it.');
  }
  return { ready: problems.length === 0, problems, database, migrations, draining: input.draining };
}
