import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The repository root (this file lives in test/e2e/support). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

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
  /** run on this PostgreSQL database instead of a fresh PGlite directory */
  databaseUrl?: string;
  /** extra environment (overrides the defaults) */
  env?: Record<string, string>;
  /** how long to wait for GET /healthz (ms); default 150 s, or PORTICO_E2E_START_TIMEOUT_MS */
  timeoutMs?: number;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a real Portico process (`node --import tsx src/main.ts`) on a free port with demo data and
 * waits until GET /healthz answers 200. The port is chosen by the server itself (PORT=0) and read
 * from the URL it prints, so two processes can never race for one port.
 */
export async function startPortico(options: StartOptions = {}): Promise<RunningPortico> {
  if (!existsSync(path.join(REPO_ROOT, 'dist/web/index.html'))) {
    throw new Error('The web app is not built: run `npx vite build` (npm test builds it) before the end-to-end tests.');
  }
  const dataDir = options.databaseUrl ? undefined : mkdtempSync(path.join(tmpdir(), 'portico-e2e-'));
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

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  // Generous: on a loaded machine (several test runs at once) tsx compilation plus migrations and the
  // demo data's argon2 hashes can take over a minute.
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
 * A fresh, empty database on the PostgreSQL server (Portico migrates it and loads the demo data when
 * it starts). For tests that run two Portico processes on one database. drop() removes it.
 */
export async function createPostgresDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `portico_e2e_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
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
