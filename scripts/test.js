// `npm test`: type-check, the layer rules (.dependency-cruiser.cjs), unit + integration tests (PGlite and PostgreSQL), build the web app,
// the end-to-end tests in Chromium, then check that every requirement in docs/security.md is proven
// by a passing test titled with its id (from the two runs' JSON reports). Stops at the first failing stage.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const report = (name) => ['--reporter=default', '--reporter=json', `--outputFile.json=test-results/${name}.json`];
for (const name of ['unit-integration', 'e2e']) rmSync(`test-results/${name}.json`, { force: true });

const stages = [
  ['type check', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['type check (web)', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'src/web/tsconfig.json']],
  ['layer rules', ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', '--config', '.dependency-cruiser.cjs', '--output-type', 'err', 'src']],
  ['unit and integration tests', ['node_modules/vitest/vitest.mjs', 'run', ...report('unit-integration')]],
  ['web build', ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']],
  ['end-to-end tests', ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.e2e.config.ts', ...report('e2e')]],
  ['security requirements', ['scripts/security-coverage.js', '--check', 'test-results/unit-integration.json', 'test-results/e2e.json']],
];
for (const [name, args] of stages) {
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${name} failed`);
    process.exit(r.status ?? 1);
  }
}
