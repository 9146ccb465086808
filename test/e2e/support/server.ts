import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The repository root (this file lives in test/e2e/support). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The server as `npm start` runs it: bundled by scripts/build-server.js (the e2e global setup builds it). */
export const SERVER_ENTRY = path.join(REPO_ROOT, 'dist/server/main.js');
/** The node arguments `npm start` runs it with (scripts/build-server.js, SERVER_ARGS). */
const SERVER_ARGS: string[] = (await import('../../../scripts/build-server.js' as string)).SERVER_ARGS;

/**
 * V8 flags of the test servers only: PGlite's WebAssembly compiled by V8's baseline compiler and not
 * optimised again in the background. A test server lives a file or a run and idles most of it (84%,
 * 2026-12-06); the optimising compiler's threads cost each start about 1.2 of its 3.3–3.9 s of CPU
 * here, ready 0.3 s sooner, and about forty servers start in a run (docs/architecture.md, "How npm
 * test spends its time"). What the server does is the same; `npm start` keeps V8's default tiering,
 * which a server running for weeks pays back.
 */
const TEST_SERVER_FLAGS = ['--liftoff-only'];

/**
 * What test/e2e/support/global-setup.ts made once for this run: a PGlite data directory and a
 * PostgreSQL database that a server already migrated and filled with the demo data, and the URL of
 * the server that the read-only files share. Undefined outside a test worker (in the global setup).
 */
export function provided(): E2eRun | undefined {
  try {
    return inject('e2e');
  } catch {
    return undefined;
  }
}

export interface E2eRun {
  /** a PGlite data directory after a server's first start (migrated, demo data, pg-boss installed) */
  pgliteTemplate: string;
  /** the name of the same on the PostgreSQL server, for CREATE DATABASE … TEMPLATE */
  postgresTemplate: string;
  /** the server shared by the files that change nothing (sharedPortico) */
  sharedUrl: string;
  /** a directory with one empty file per screen axe has checked in this run, by any worker (test/e2e/support/browser.ts) */
  screensChecked: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eRun;
  }
}

export interface RunningPortico {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  /** the PGlite data directory (undefined when running on databaseUrl) */
  dataDir: string | undefined;
  /** everything the process printed so far (stdout + stderr), for diagnosing failures */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** run on this PostgreSQL database instead of a PGlite directory */
  databaseUrl?: string;
  /**
   * the PGlite data directory to run in, kept when the server stops (the global setup makes its
   * template this way); by default a new temporary directory, removed on stop
   */
  dataDir?: string;
  /**
   * the PGlite directory the temporary one starts as a copy of: by default this run's template, so
   * the server finds its migrations done and the demo data loaded; null for an empty directory
   */
  copyOf?: string | null;
  /** extra environment (overrides the defaults) */
  env?: Record<string, string>;
  /**
   * the built server to run (default dist/server/main.js): a copy of dist/ elsewhere in the
   * repository runs with the web app beside it, which a test may then change (redeploy.test.ts)
   */
  entry?: string;
  /** how long to wait for GET /healthz (ms); default 150 s, or PORTICO_E2E_START_TIMEOUT_MS */
  timeoutMs?: number;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a real Portico process (`node dist/server/main.js`, the built server) on a free port with
 * demo data and waits until GET /healthz answers 200. The port is chosen by the server itself
 * (PORT=0) and read from the URL it prints, so two processes can never race for one port. On PGlite
 * it runs in a copy of this run's template directory: the start finds nothing to migrate or load.
 */
export async function startPortico(options: StartOptions = {}): Promise<RunningPortico> {
  if (!existsSync(path.join(REPO_ROOT, 'dist/web/index.html'))) {
    throw new Error('The web app is not built: run `npx vite build` (npm test builds it) before the end-to-end tests.');
  }
  if (!existsSync(SERVER_ENTRY)) {
    throw new Error('The server is not built: run `node scripts/build-server.js` (the e2e global setup does) before starting Portico.');
  }
  const ownDir = !options.databaseUrl && !options.dataDir;
  const dataDir = options.databaseUrl ? undefined : (options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'portico-e2e-')));
  const copyOf = options.copyOf === undefined ? provided()?.pgliteTemplate : options.copyOf;
  if (ownDir && dataDir && copyOf) cpSync(copyOf, dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    PORTICO_DEMO: '1',
    ...(dataDir ? { PORTICO_DATA_DIR: dataDir } : {}),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  };
  if (!options.databaseUrl && !options.env?.DATABASE_URL) delete env.DATABASE_URL;

  const child = spawn(process.execPath, [...TEST_SERVER_FLAGS, ...(options.entry ? [options.entry] : SERVER_ARGS)], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  let exited: number | null | undefined;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      running.delete(child);
      resolve();
    }),
  );
  const urlPromise = new Promise<string>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Portico is running at (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });

  const stop = async () => {
    if (exited === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    }
    if (ownDir && dataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  // Generous: on a loaded machine (several test runs at once) a start on an empty database (migrations
  // and the demo data's argon2 hashes) can take over a minute.
  const timeoutMs = options.timeoutMs ?? (Number(process.env.PORTICO_E2E_START_TIMEOUT_MS) || 150_000);
  const deadline = Date.now() + timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  try {
    // Settles on the first of: the printed URL, an early exit, the deadline. Nothing left dangling.
    const url = await new Promise<string>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`Portico did not print its URL within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      void urlPromise.then(resolve);
      void exitPromise.then(() => reject(new Error(`Portico exited (code ${exited}) before it started:\n${output}`)));
    });
    clearTimeout(timer);
    for (;;) {
      if (exited !== undefined) throw new Error(`Portico exited (code ${exited}):\n${output}`);
      try {
        const res = await fetch(`${url}/healthz`);
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`GET /healthz did not answer 200 within ${timeoutMs} ms:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { url, dataDir, output: () => output, stop };
  } catch (err) {
    clearTimeout(timer);
    await stop();
    throw err;
  }
}

export const POSTGRES_ADMIN_URL = process.env.PORTICO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A new database on the PostgreSQL server: a copy of this run's template (migrated, with the demo
 * data) by default, or with `{ empty: true }` an empty one (Portico migrates it and loads the demo
 * data when it starts). drop() removes it.
 */
export async function createPostgresDatabase(options: { empty?: boolean; template?: string } = {}): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `portico_e2e_${randomBytes(6).toString('hex')}`;
  const template = options.empty ? undefined : (options.template ?? provided()?.postgresTemplate);
  if (!options.empty && !template) throw new Error('No PostgreSQL template: run under vitest.e2e.config.ts (its global setup makes one), or ask for an empty database.');
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(POSTGRES_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * The server shared by the end-to-end files that change nothing another file could notice (they only
 * read and log in): started once per run by the global setup. stop() leaves it running.
 */
export function sharedPortico(): RunningPortico {
  const run = provided();
  if (!run) throw new Error('No shared server: run under vitest.e2e.config.ts (its global setup starts one).');
  return { url: run.sharedUrl, dataDir: undefined, output: () => '(the shared server\'s output is printed by the global setup when it fails)', stop: async () => {} };
}
