// CPU time by kind of process while a command runs: `node scripts/cpu-by-process.js -- npx vitest run
// --config vitest.e2e.config.ts` runs the command and then prints, for every kind of process that ran
// meanwhile (Chromium's renderers, browser and GPU processes, Portico servers and commands, vitest
// workers, PostgreSQL …), the CPU seconds it used and its share. It reads /proc every half second, so
// a process that lives less than that is missed. docs/architecture.md, "How `npm test` spends its
// time", has the figures it gave.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function kindOf(pid) {
  let cmd;
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
  if (/chromium/.test(cmd)) {
    const type = /--type=(\S+)/.exec(cmd)?.[1];
    return type ? `chromium ${type}` : 'chromium browser';
  }
  if (/dist\/server\/main\.js|bin\/portico/.test(cmd)) return 'portico server or command';
  if (/vitest/.test(cmd)) return 'vitest';
  if (/^postgres/.test(cmd)) return 'postgresql';
  if (/dovecot|imap/.test(cmd)) return 'dovecot';
  if (/node/.test(cmd)) return 'other node';
  return 'other';
}

/** utime + stime of every process now, keyed by pid and start time (a pid may be reused). */
function processes() {
  const found = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      found.push({ pid, key: `${pid}:${fields[19]}`, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {} // gone meanwhile
  }
  return found;
}

const seen = new Map(processes().map((p) => [p.key, { ticks: p.ticks, kind: 'already running' }]));
const totals = {};
function sample() {
  for (const p of processes()) {
    const before = seen.get(p.key);
    const kind = before?.kind ?? kindOf(p.pid);
    if (!kind) continue;
    seen.set(p.key, { ticks: p.ticks, kind });
    totals[kind] = (totals[kind] ?? 0) + p.ticks - (before?.ticks ?? 0);
  }
}

const args = process.argv.slice(process.argv.indexOf('--') + 1);
if (!args.length || !process.argv.includes('--')) {
  console.error('usage: node scripts/cpu-by-process.js -- COMMAND [ARGS…]');
  process.exit(2);
}
const timer = setInterval(sample, 500);
const started = Date.now();
const child = spawn(args[0], args.slice(1), { stdio: 'inherit' });
child.on('exit', (code) => {
  sample();
  clearInterval(timer);
  delete totals['already running'];
  const sum = Object.values(totals).reduce((a, b) => a + b, 0);
  console.log(`\nCPU by kind of process over ${((Date.now() - started) / 1000).toFixed(0)} s (the command exited with ${code}):`);
  for (const [kind, ticks] of Object.entries(totals).sort((a, b) => b[1] - a[1])) {
    console.log(`${kind.padEnd(28)} ${(ticks / TICKS_PER_SECOND).toFixed(1).padStart(8)} s  ${((100 * ticks) / sum).toFixed(1).padStart(5)}%`);
  }
  console.log(`${'in all'.padEnd(28)} ${(sum / TICKS_PER_SECOND).toFixed(1).padStart(8)} s`);
  process.exit(code ?? 1);
});
