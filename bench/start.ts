// Cold start and resident memory of the built server on the embedded database (issue 9, goal 2),
// side by side with PGlite alone, in one run:
//
//   npx tsx bench/start.ts [--rounds 3]
//
// For each round, in alternating order: the built server, started as `npm start` starts it, on an empty data directory and on
// the one the previous start left (time from spawn to the first 200 from /healthz, resident memory
// then), and a bare script that only opens PGlite on a data directory (the floor). Prints medians and
// the ratios against the targets (≤ 2 s existing, ≤ 5 s empty, ≤ 330 MB).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// the arguments `npm start` runs the built server with (scripts/build-server.js)
const SERVER_ARGS: string[] = (await import('../scripts/build-server.js' as string)).SERVER_ARGS;
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;

const build = spawnSync(process.execPath, ['scripts/build-server.js'], { cwd: ROOT, encoding: 'utf8' });
if (build.status !== 0) throw new Error(build.stderr);

const rssMb = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
};

/** Starts the built server on `dataDir`; resolves with the time to a healthy /healthz and the RSS then. */
async function startServer(dataDir: string): Promise<{ ms: number; rss: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, SERVER_ARGS, {
    cwd: ROOT,
    env: { ...process.env, PORTICO_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', PORTICO_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const m = /running at (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const ms = performance.now() - started;
  // settle: what the process keeps once started, not a transient peak
  await new Promise((r) => setTimeout(r, 1000));
  const rss = rssMb(child.pid!);
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
  return { ms, rss };
}

/** A script that opens PGlite on `dataDir` and nothing else: the floor. */
async function pgliteAlone(dataDir: string): Promise<{ ms: number; rss: number }> {
  const code = `import { PGlite } from '@electric-sql/pglite';
     import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
     const t = performance.now();
     const db = await PGlite.create(${JSON.stringify(dataDir)}, { extensions: { pg_trgm } });
     await db.query('select 1');
     const ms = performance.now() - t;
     await new Promise((r) => setTimeout(r, 1000));
     console.log(JSON.stringify({ ms, rss: process.memoryUsage().rss / 1048576 }));
     await db.close();`;
  // from the repository, so the packages resolve to its node_modules
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { empty: [] as Array<{ ms: number; rss: number }>, existing: [] as Array<{ ms: number; rss: number }>, pglite: [] as Array<{ ms: number; rss: number }> };

for (let round = 0; round < rounds; round++) {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-bench-start-'));
  try {
    const dataDir = path.join(dir, 'data');
    results.empty.push(await startServer(dataDir));
    if (round % 2 === 0) {
      results.existing.push(await startServer(dataDir));
      results.pglite.push(await pgliteAlone(dataDir));
    } else {
      results.pglite.push(await pgliteAlone(dataDir));
      results.existing.push(await startServer(dataDir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const row = (name: string, xs: Array<{ ms: number; rss: number }>, target?: { ms: number; rss?: number }) => {
  const ms = median(xs.map((x) => x.ms));
  const rss = median(xs.map((x) => x.rss));
  const vs = target ? `  (${(ms / target.ms).toFixed(2)} of the ${target.ms / 1000} s target${target.rss ? `; ${(rss / target.rss).toFixed(2)} of ${target.rss} MB` : ''})` : '';
  console.log(`${name.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${rss.toFixed(0).padStart(5)} MB${vs}`);
};
console.log(`cold start to a healthy /healthz, and resident memory 1 s later (median of ${rounds}, node ${process.version}, built server, embedded database)`);
row('PGlite alone, opening an existing directory', results.pglite);
row('Portico on an empty data directory', results.empty, { ms: 5000, rss: 330 });
row('Portico on an existing data directory', results.existing, { ms: 2000, rss: 330 });
