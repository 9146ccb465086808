import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The built server (dist/server/main.js, started as `npm start` starts it) as a child process of a
// test, on a free port: its URL once it says where it runs, everything it printed, and its exit.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER_ARGS: string[] = (await import('../../scripts/build-server.js' as string)).SERVER_ARGS;

export interface BuiltServer {
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills every built server still running (a test's afterAll: one that failed midway leaves none behind). */
export function killBuiltServers(): void {
  for (const child of running) child.kill('SIGKILL');
}

/**
 * Starts the built server with `env` over a clean environment (no DATABASE_URL, data directory or
 * metrics setting of the test process's own) and `nodeArgs` before the server's arguments.
 */
export function startBuiltServer(env: Record<string, string>, options: { nodeArgs?: string[] } = {}): Promise<BuiltServer> {
  const clean = { ...process.env };
  for (const name of ['DATABASE_URL', 'PORTICO_DATA_DIR', 'PORTICO_METRICS_TOKEN', 'PORTICO_METRICS_PORT']) delete clean[name];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...SERVER_ARGS], {
    cwd: root,
    env: { ...clean, PORT: '0', HOST: '127.0.0.1', PORTICO_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Portico did not start:\n${out}`)), 150_000);
    const onData = () => {
      const m = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({ url: m[1]!, child, output: () => out, exited });
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`Portico exited (${code}) before it started:\n${out}`)));
  });
}
