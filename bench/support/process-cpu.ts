import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// The CPU a process has used, from /proc (Linux only), for the benchmarks that say where a request's
// time goes (bench/metrics-cost.ts, bench/revoke-probe.ts).

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system) the process has used. */
export function cpuSeconds(pid: number | string): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime (fields 14 and 15)
}
