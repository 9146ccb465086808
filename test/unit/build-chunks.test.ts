import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The built server's chunks (scripts/build-server.js; docs/architecture.md, "Loaded on first use"): a
// build deletes the chunks that no build has made for a week, earlier builds' source maps, and
// nothing else — a server still running an earlier build loads its chunks on first use, maybe days
// after it started.
const { pruneOldChunks } = (await import('../../scripts/build-server.js' as string)) as {
  pruneOldChunks(dir: string, current: Set<string>, now?: number): void;
};

const dir = mkdtempSync(path.join(tmpdir(), 'portico-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pruning the chunks of earlier builds', () => {
  it('deletes the chunks of builds older than a week and every earlier source map; keeps younger chunks, this build’s files and every other file', () => {
    const now = Date.now();
    const day = 24 * 3600_000;
    const files: Record<string, number> = {
      'main.js': 30 * day, // the entry points and assets are never pruned, however old
      'new-database.tar.gz': 30 * day,
      'chunk-AAAAAAAA.js': 8 * day, // an earlier build's, a week old: gone
      'chunk-AAAAAAAA.js.map': 8 * day,
      'nodemailer-BBBBBBBB.js': 8 * day,
      'chunk-CCCCCCCC.js': 2 * day, // an earlier build's, two days old: kept, but not its source map
      'chunk-CCCCCCCC.js.map': 2 * day,
      'chunk-DDDDDDDD.js': 30 * day, // this build's (its name is its content's hash): kept, with its map
      'chunk-DDDDDDDD.js.map': 30 * day,
    };
    for (const [name, age] of Object.entries(files)) {
      const file = path.join(dir, name);
      writeFileSync(file, '');
      utimesSync(file, (now - age) / 1000, (now - age) / 1000);
    }
    pruneOldChunks(dir, new Set(['main.js', 'new-database.tar.gz', 'chunk-DDDDDDDD.js', 'chunk-DDDDDDDD.js.map']), now);
    expect(readdirSync(dir).sort()).toEqual(['chunk-CCCCCCCC.js', 'chunk-DDDDDDDD.js', 'chunk-DDDDDDDD.js.map', 'main.js', 'new-database.tar.gz']);
  });
});
