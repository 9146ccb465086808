import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The layer rules of .dependency-cruiser.cjs (the "layer rules" stage of `npm test`) fail on a
// violation: run on test/fixtures/layer-violations, where each file breaks one rule, they report
// every rule by name and exit non-zero.

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'test/fixtures/layer-violations');

describe('layer rules', () => {
  it('refuses each kind of violation by name, and fails the stage', { timeout: 120_000 }, () => {
    const run = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), '--config', path.join(root, '.dependency-cruiser.cjs'), '--output-type', 'err', 'src'],
      { cwd: fixture, encoding: 'utf8' },
    );
    // the stage's own reporter: one "error RULE: FROM → TO" line per violation, exit code = their number
    expect(run.status, run.stderr).toBe(7);
    const found = [...run.stdout.matchAll(/^\s*error ([\w-]+): (\S+) → ?(\S*)/gm)].map(([, rule, from, to]) => `${rule}: ${from} → ${to}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'domain-is-self-contained: src/domain/display.ts → src/db/schema.ts',
        'db-below-use-cases: src/db/queries.ts → src/use-cases/revoke.ts',
        'use-cases-below-http: src/use-cases/revoke.ts → src/http/route.ts',
        'http-not-db: src/http/route.ts → src/db/schema.ts',
        'web-imports-server-types-only: src/web/page.ts → src/http/route.ts',
        'web-server-types-from-schemas: src/web/page.ts → src/http/route.ts',
      ]),
    );
    expect(found).toContain('no-circular: src/domain/a.ts → ');
    expect(found).toHaveLength(7); // and nothing about web/typed.ts, whose import of a response type is allowed
  });
});
