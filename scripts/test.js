// `npm test`: type-check, the layer rules (.dependency-cruiser.cjs), unit + integration tests (PGlite and PostgreSQL), build the web app,
// the end-to-end tests in Chromium, then check that every requirement in docs/security.md is proven
// by a passing test titled with its id (from the two runs' JSON reports).
//
// The stages run in three lanes at once:
//   checks:  type check → type check (web) → layer rules
//   tests:   server build → unit and integration tests → (once the web app is built) end-to-end tests
//   web:     web build
// The server is bundled once, before either kind of test needs it (the end-to-end tests start it;
// the integration tests run `portico`, bin/portico.js, which runs the bundled command).
// then the security requirements, which read the two test reports. A stage's output is printed
// whole when it ends, so lanes do not interleave. The first failing stage stops the run: the other
// lanes are ended and its output is printed with the reason.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';

const report = (name) => ['--reporter=default', '--reporter=json', `--outputFile.json=test-results/${name}.json`];
for (const name of ['unit-integration', 'e2e']) rmSync(`test-results/${name}.json`, { force: true });

// The unit and integration tests and then the end-to-end tests run one after the other, each with
// both cores: run side by side they took as long as one after the other (both lanes are CPU-bound
// on two cores) and the browser tests, starved, timed out. The checks and the web build, light and
// single-threaded, run beside them at a lower priority (nice value) and use what they leave.
const CHECKS = 10;
const lanes = [
  [
    ['type check', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json'], CHECKS],
    ['type check (web)', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'src/web/tsconfig.json'], CHECKS],
    ['layer rules', ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', '--config', '.dependency-cruiser.cjs', '--output-type', 'err', 'src'], CHECKS],
  ],
  [
    ['server build', ['scripts/build-server.js']],
    ['unit and integration tests', ['node_modules/vitest/vitest.mjs', 'run', ...report('unit-integration')]],
    ['end-to-end tests', ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.e2e.config.ts', ...report('e2e')], undefined, 'web build'],
  ],
  [['web build', ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], CHECKS]],
];
const last = ['security requirements', ['scripts/security-coverage.js', '--check', 'test-results/unit-integration.json', 'test-results/e2e.json']];

const started = Date.now();
const seconds = (from) => `${((Date.now() - from) / 1000).toFixed(0)} s`;
const running = new Set();
const ended = new Set();
const timings = [];
let failed = false;

/**
 * Lowers a stage's priority. A detached stage is a session of its own, and where the kernel groups
 * sessions for scheduling (autogroup, on by default in Linux) CPU time is shared between the groups
 * first and a process's nice value counts only inside its own: the group's nice is what must change.
 */
function lowerPriority(pid, nice) {
  try {
    writeFileSync(`/proc/${pid}/autogroup`, `${nice}`);
  } catch {} // no autogroup here: the process's own nice value is what counts
  try {
    setPriority(pid, nice);
  } catch {}
}

/** Runs one stage as a child process, its output kept until it ends; resolves with its exit code. */
function run([name, args, nice]) {
  const from = Date.now();
  console.log(`--- started: ${name} (at ${seconds(started)})`);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // before it starts anything of its own (which inherits its priority)
  if (nice) lowerPriority(child.pid, nice);
  running.add(child);
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      running.delete(child);
      const stopped = ended.has(child); // ended by us, after another stage failed
      if (!stopped) timings.push([name, seconds(from)]);
      console.log(`\n=== ${name} (${stopped ? `stopped after ${seconds(from)}` : seconds(from)}) ===`);
      process.stdout.write(Buffer.concat(output));
      resolve(stopped ? 1 : (code ?? 1));
    });
  });
}

function stop(name) {
  if (failed) return;
  failed = true;
  for (const child of running) {
    ended.add(child);
    try {
      process.kill(-child.pid, 'SIGTERM'); // the stage and everything it started (servers, browsers)
    } catch {}
  }
  console.error(`\n${name} failed`);
}

/** Each stage's outcome by name, for a stage in another lane that needs it first (its fourth element). */
const outcomes = new Map();

async function lane(stages) {
  for (const stage of stages) {
    if (failed) return;
    const [name, , , after] = stage;
    if (after) await outcomes.get(after);
    if (failed) return;
    const outcome = run(stage);
    outcomes.set(name, outcome);
    const code = await outcome;
    if (code !== 0) return stop(name);
  }
}

await Promise.all(lanes.map(lane));
if (!failed) {
  const code = await run(last);
  if (code !== 0) stop(last[0]);
}
console.log(`\n${timings.map(([name, time]) => `${name}: ${time}`).join('; ')}; in all ${seconds(started)}`);
process.exit(failed ? 1 : 0);
