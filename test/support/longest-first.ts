import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order test files start in: the longest first, over all projects, so that the two workers end
 * together instead of one of them starting a long file when everything else is done. Vitest's own
 * order runs projects one after the other and, on a fresh clone (no timings cached yet), files in
 * no particular order: a half-minute property test that starts last makes the whole stage that much longer.
 *
 * A file's expected time is what the last run on this machine took (vitest's cache), or else what it
 * took in the run recorded in durations.json (`node scripts/record-durations.js` after a full run).
 * Only a file of 10 seconds or more is moved by it; the rest count 1 second each and so keep vitest's
 * order, which keeps each project's files together: a worker runs one project's files, and
 * alternating projects file by file re-imports the app's modules (equal records of a file on both
 * databases did that: 257 s of imports in one run against 76–120 s; so did ordering every file by
 * the cache on a second run on the same machine: 246 s of imports, the stage 659 s against 511).
 */
const LONG_SECONDS = 10;
const RECORDED: Record<string, number> = JSON.parse(readFileSync(new URL('./durations.json', import.meta.url), 'utf8'));

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const expected = (file: TestSpecification): number => {
      const path = relative(this.ctx.config.root, file.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${file.project.name}:${path}`);
      const seconds = cached ? cached.duration / 1000 : (RECORDED[path] ?? 0);
      return seconds >= LONG_SECONDS ? seconds : 1;
    };
    return [...files].map((file) => ({ file, weight: expected(file) })).sort((a, b) => b.weight - a.weight).map(({ file }) => file);
  }
}
