import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_DB_KIND } from '../support/db.js';

// Durability of the embedded database (docs/operations.md, "Durability"): watched from outside with
// strace, each commit fsyncs before it is acknowledged by default, and none does with
// PORTICO_EMBEDDED_FSYNC=off. PostgreSQL's own durability is the server's (fsync=on by default).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STRACE = '/usr/bin/strace';
const COMMITS = 20;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * The system calls between each commit's "sent" and "acknowledged" markers, per commit, for each
 * setting (one traced process commits with fsync on, then with it off: one data directory made).
 */
async function syscallsPerCommit(): Promise<Record<'on' | 'off', string[][]>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-durability-'));
  dirs.push(dir);
  const trace = path.join(dir, '..', `${path.basename(dir)}.strace`);
  await new Promise<void>((resolve, reject) => {
    execFile(
      STRACE,
      ['-f', '--seccomp-bpf', '-qq', '-e', 'trace=fsync,fdatasync,write', '-o', trace, process.execPath, '--import', 'tsx', 'test/support/durable-commits.ts', path.join(dir, 'data'), String(COMMITS), path.join(root, 'dist/server/new-database.tar.gz')],
      { cwd: root, timeout: 120_000 },
      (error, _stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve()),
    );
  });
  const lines = readFileSync(trace, 'utf8').split('\n');
  rmSync(trace, { force: true });
  const perCommit: Record<'on' | 'off', string[][]> = { on: [], off: [] };
  let current: string[] | undefined;
  for (const line of lines) {
    if (/write\(2, "commit-sent (on|off) \d+/.test(line)) current = [];
    else if (/write\(2, "commit-acknowledged (on|off) \d+/.test(line)) {
      const mode = /commit-acknowledged (on|off)/.exec(line)![1] as 'on' | 'off';
      if (current) perCommit[mode].push(current);
      current = undefined;
    } else if (current && /\b(fsync|fdatasync)\(/.test(line)) current.push(line.replace(/^\d+\s+/, '').replace(/\(.*/, ''));
  }
  return perCommit;
}

describe.runIf(TEST_DB_KIND === 'pglite' && existsSync(STRACE))('durability of the embedded database, watched with strace', () => {
  let traced: Record<'on' | 'off', string[][]>;
  beforeAll(async () => {
    traced = await syscallsPerCommit();
  }, 180_000);

  it('by default every commit is fsynced to the disk before it is acknowledged', () => {
    const commits = traced.on;
    expect(commits).toHaveLength(COMMITS);
    for (const calls of commits) expect(calls).toContain('fsync');
  });

  it('with PORTICO_EMBEDDED_FSYNC=off no commit is (PGlite on its own never reaches the disk)', () => {
    const commits = traced.off;
    expect(commits).toHaveLength(COMMITS);
    expect(commits.flat()).toEqual([]);
  });
});
