import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import path from 'node:path';
import { listeningUrl } from './listening.js';
import { onCpuWanted } from './on-cpu.js';
import { YOUNG_COLLECTIONS_FLAG, youngCollectionsWanted } from './young-collections.js';
import { adminQuery, urlFor } from '../../test/support/postgres-admin.js';

/**
 * BENCH_SERVER_NICE=n sets the started server's main thread, the event loop's, to that nice value (a
 * trial: -10 lets it keep a core while PostgreSQL's backends and the load generator wait; root only).
 * Linux keeps a nice value for each thread: the threads the server started before keep theirs.
 */
export function prioritise(child: ChildProcess): void {
  const nice = process.env.BENCH_SERVER_NICE;
  if (nice && child.pid) setPriority(child.pid, Number(nice));
}

/**
 * Node's flags for a benchmark's server process: BENCH_CPU_PROF=dir writes a V8 CPU profile of the
 * server there when it stops (Node's --cpu-prof); BENCH_PERF=1 names its compiled functions for
 * perf (bench/support/on-cpu.ts); BENCH_GC=1 makes it print its garbage collections
 * (bench/support/young-collections.ts); BENCH_NODE_ARGS adds flags for the server alone (a trial of a
 * V8 setting, say).
 */
export function serverNodeArgs(): string[] {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const perf = onCpuWanted() ? ['--perf-basic-prof'] : [];
  const gc = youngCollectionsWanted() ? [YOUNG_COLLECTIONS_FLAG] : [];
  return [...profile, ...perf, ...gc, ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];
}

export interface BuiltServer {
  url: string;
  /** Basic auth of an API token of the org admin, made by `portico token create` */
  authorization: string;
  child: ChildProcess;
  /** the server's database on the PostgreSQL server; none embedded */
  databaseUrl?: string;
  /** stops the server and removes its data directory or database */
  stop(): Promise<void>;
}

/**
 * Portico as `npm start` runs it: the built server (scripts/build-server.js, SERVER_ARGS) with its
 * default request log (info, one line per request, to a pipe that is read and dropped), on a new
 * data directory or a new database of the PostgreSQL server, with the demo data, and an API token of
 * the org admin. `env` sets variables for it; one set to undefined is removed. `name` tells two
 * servers of one run apart (their databases). `existing` names a database of the PostgreSQL server
 * to run on instead, as it is and kept when the server stops (started as bench/scale.ts starts it:
 * the demo data would be loaded only into an empty database): one that bench/scale.ts kept with
 * BENCH_KEEP=1, say, whose org admin is admin@acme.test as the demo's is.
 */
export async function startBuiltServer(
  kind: 'pglite' | 'postgres',
  name: string,
  env: Record<string, string | undefined> = {},
  existing?: string,
): Promise<BuiltServer> {
  if (existing !== undefined && kind !== 'postgres') throw new Error(`an existing database (${existing}) is one of the PostgreSQL server: KIND=postgres`);
  const build = spawnSync(process.execPath, ['scripts/build-server.js'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(build.stderr);
  const { SERVER_ARGS } = (await import('../../scripts/build-server.js' as string)) as { SERVER_ARGS: string[] };
  const dir = mkdtempSync(path.join(tmpdir(), `portico-bench-${name}-`));
  const database = existing ?? `portico_bench_${name.replace(/\W/g, '_')}_${process.pid}`;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', PORTICO_DEMO: '1' };
  if (existing) delete childEnv.PORTICO_DEMO; // as bench/scale.ts starts it
  delete childEnv.PORTICO_LOG_LEVEL;
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  if (kind === 'pglite') {
    childEnv.PORTICO_DATA_DIR = path.join(dir, 'data');
    delete childEnv.DATABASE_URL;
  } else {
    if (!existing) await adminQuery(`DROP DATABASE IF EXISTS ${database}`, `CREATE DATABASE ${database}`);
    childEnv.DATABASE_URL = urlFor(database);
  }
  const child = spawn(process.execPath, [...serverNodeArgs(), ...SERVER_ARGS], { env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] });
  const { url } = await listeningUrl(child.stdout!); // the request log after it is read and dropped
  if (!url) throw new Error(`the built ${kind} server exited before listening`);
  prioritise(child);
  const cli = spawnSync(process.execPath, ['bin/portico.js', 'token', 'create', '--email', 'admin@acme.test', '--label', 'bench'], { env: childEnv, encoding: 'utf8' });
  if (cli.status !== 0) throw new Error(`portico token create: ${cli.stderr}`);
  const token = cli.stdout.trim().split('\n').at(-1)!;
  return {
    url,
    authorization: `Basic ${Buffer.from(`admin@acme.test:${token}`).toString('base64')}`,
    child,
    databaseUrl: kind === 'postgres' ? childEnv.DATABASE_URL : undefined,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
      if (kind === 'postgres' && !existing) await adminQuery(`DROP DATABASE IF EXISTS ${database}`);
    },
  };
}
