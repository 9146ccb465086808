// Timing helpers shared by the benches: every number a bench prints comes from these.

async function sample(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times;
}

const middle = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];

/**
 * The median time of `fn` in milliseconds over `runs` runs (default 15). With `warm`, one untimed
 * run first warms the plan and the buffers, and a search slower than a second gets 3 runs only.
 */
export async function median(fn: () => Promise<unknown>, options: { runs?: number; warm?: boolean } = {}): Promise<number> {
  let runs = options.runs ?? 15;
  if (options.warm) {
    const t0 = process.hrtime.bigint();
    await fn();
    if (Number(process.hrtime.bigint() - t0) / 1e6 > 1000) runs = Math.min(runs, 3);
  }
  return middle(await sample(fn, runs));
}

/** Median and maximum of `runs` timings of `fn` (ms), after one warm-up run. */
export async function timings(runs: number, fn: () => Promise<unknown>): Promise<{ median: number; max: number; all: number[] }> {
  await fn();
  const all = await sample(fn, runs);
  return { median: middle(all), max: Math.max(...all), all };
}
