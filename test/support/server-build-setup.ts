import { oncePerRun } from './once-per-run.js';

/**
 * Once per test run: bundles the server and the `portico` command when their sources are newer than
 * the build (scripts/build-server.js), before test/integration/cli.test.ts runs bin/portico.js in
 * both integration projects at once. `npm test` has built them already; this is for a run of vitest
 * alone.
 */
export default async function setup() {
  const run = oncePerRun('server-build', async () => {
    const { ensureServerBuilt } = (await import('../../scripts/build-server.js' as string)) as { ensureServerBuilt(): Promise<boolean> };
    await ensureServerBuilt();
    return { value: undefined, remove: () => {} };
  });
  await run.value;
  return run.release;
}
