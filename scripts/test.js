// `npm test`: type-check, unit + integration tests (PGlite and PostgreSQL), build the web app,
// then the end-to-end tests in Chromium. Stops at the first failing stage.
import { spawnSync } from 'node:child_process';

const stages = [
  ['type check', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['type check (web)', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'src/web/tsconfig.json']],
  ['unit and integration tests', ['node_modules/vitest/vitest.mjs', 'run']],
  ['web build', ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']],
  ['end-to-end tests', ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.e2e.config.ts']],
];
for (const [name, args] of stages) {
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${name} failed`);
    process.exit(r.status ?? 1);
  }
}
