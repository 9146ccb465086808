#!/usr/bin/env node
// Writes test/support/durations.json: each test file's duration in seconds, from the JSON reports the
// last `npm test` wrote (test-results/unit-integration.json, test-results/e2e.json). The test
// runners start the longest files first (test/support/longest-first.ts); on a fresh clone, which has
// no timings of its own, these figures say which files are long. Run it after a full `npm test` when
// files were added or grew: `node scripts/record-durations.js`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'test/support/durations.json');
const durations = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
for (const name of ['unit-integration', 'e2e']) {
  const file = path.join(root, 'test-results', `${name}.json`);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  // an integration file runs once per database: the longer of its runs
  const seen = new Map();
  for (const result of report.testResults) {
    const key = path.relative(root, result.name);
    const seconds = Math.max(0, (result.endTime - result.startTime) / 1000);
    seen.set(key, Math.max(seen.get(key) ?? 0, seconds));
  }
  for (const [key, seconds] of seen) durations[key] = Math.round(seconds * 10) / 10;
}
const sorted = Object.fromEntries(Object.entries(durations).filter(([key]) => existsSync(path.join(root, key))).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(out, `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`${Object.keys(sorted).length} files' durations written to ${path.relative(root, out)}`);
