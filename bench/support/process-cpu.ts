import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

// The CPU a process has used, from /proc (Linux only), for the benchmarks that say where a request's
// time goes (bench/metrics-cost.ts, bench/revoke-probe.ts, bench/route-probe.ts).

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system) the process has used. */
export function cpuSeconds(pid: number | string): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime (fields 14 and 15)
}

/** CPU seconds of each process on the machine that `is` picks (given its id), by process id. */
export function cpuByProcess(is: (pid: string) => boolean): Map<string, number> {
  const used = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (is(pid)) used.set(pid, cpuSeconds(pid));
    } catch {
      // a process that ended while we looked
    }
  }
  return used;
}

/** CPU seconds of each PostgreSQL process on the machine (the server's backends; PGlite runs inside the server), by process id. */
export function postgresCpuByProcess(): Map<string, number> {
  return cpuByProcess((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres'));
}

/**
 * The CPU seconds PostgreSQL's processes used since `before` (postgresCpuByProcess): a process that
 * ended meanwhile is left out (what it used since is lost with it), one that started counts whole.
 * A connection closing in between (its backend's CPU gone from a plain sum) cannot make it negative.
 */
export function postgresCpuSince(before: Map<string, number>): number {
  let seconds = 0;
  for (const [pid, used] of postgresCpuByProcess()) seconds += used - (before.get(pid) ?? 0);
  return seconds;
}

/**
 * What the CPU a request costs in all — the server's, PostgreSQL's and the load generator's, which on
 * a benchmark machine share its cores — allows at best: the cores run at most `cores / cpu` of them a
 * second, so `inFlight` requests at once (connections, or a batch) cannot all be answered sooner than
 * `inFlight × cpu / cores` after they start, however the work is scheduled. A latency near that floor
 * is the machine's CPU, not waiting (docs/benchmarks.md, "why the rest is the machine's CPU").
 */
export function floorOf(microsecondsInAll: number, inFlight: number, what = 'request', cores = availableParallelism()): string {
  const most = (cores * 1e6) / microsecondsInAll;
  return `floor: ${microsecondsInAll.toFixed(0)} µs of CPU a ${what} in all; ${cores} cores run at most ${most.toFixed(0)} a second, so ${inFlight} at once take at least ${((inFlight * microsecondsInAll) / cores / 1000).toFixed(2)} ms`;
}
