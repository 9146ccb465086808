import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order test files start in: the longest first, over all projects, so that the two workers end
 * together instead of one of them starting a long file when everything else is done. Vitest's own
 * order runs projects one after the other and, on a fresh clone (no timings cached yet), files in
 * no particular order: a half-minute property test that starts last makes the whole stage that much longer.
 *
 * A file's expected time is what the last run on this machine took (vitest's cache), or else the
 * figure below for the files known to be long (seconds, measured on a 2-core machine), or else 1.
 */
const KNOWN_LONG: Record<string, number> = {
  'test/integration/grant-restores-everything.test.ts': 28,
  'test/integration/fuzz.test.ts': 17,
  'test/integration/cli.test.ts': 9,
  'test/integration/admin-customers.test.ts': 7,
  'test/integration/mail-delivery.test.ts': 6,
  'test/integration/revocation-access.test.ts': 5,
  'test/integration/jql.test.ts': 5,
  'test/integration/people-rules.test.ts': 4,
  'test/integration/two-instances.test.ts': 4,
  'test/integration/auth.test.ts': 4,
  'test/integration/contract.test.ts': 3,
  'test/integration/new-database-image.test.ts': 3,
  'test/integration/revocation.test.ts': 3,
  'test/e2e/accessibility.test.ts': 60,
  'test/e2e/consequences.test.ts': 38,
  'test/e2e/walkthrough.test.ts': 32,
  'test/e2e/login.test.ts': 16,
  'test/e2e/shell.test.ts': 14,
  'test/e2e/agent.test.ts': 10,
  'test/e2e/portal.test.ts': 9,
  'test/e2e/admin-console.test.ts': 8,
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const expected = (file: TestSpecification): number => {
      const path = relative(this.ctx.config.root, file.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${file.project.name}:${path}`);
      if (cached) return cached.duration / 1000;
      return KNOWN_LONG[path] ?? 1;
    };
    return [...files].map((file) => ({ file, weight: expected(file) })).sort((a, b) => b.weight - a.weight).map(({ file }) => file);
  }
}
