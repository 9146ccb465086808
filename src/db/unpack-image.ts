import { closeSync, existsSync, fsyncSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Present while an image is being unpacked: a start that died halfway unpacks again the next time. */
const UNPACKING = '.portico-unpacking';

/** Whether `dataDir` holds no database yet (or one whose unpacking never finished). */
export function needsNewDatabase(dataDir: string): boolean {
  return !existsSync(path.join(dataDir, 'PG_VERSION')) || existsSync(path.join(dataDir, UNPACKING));
}

/**
 * Unpacks the image (a gzipped tar of a data directory, PGlite's dumpDataDir) into `dataDir` on disk
 * with node-tar, before PGlite opens it as an existing directory. PGlite's own `loadDataDir` writes
 * each file through its WebAssembly file system instead: a few times slower (about 3 s of a first
 * start here), and it grows PGlite's WebAssembly memory by the whole image, which never shrinks
 * (docs/benchmarks.md, "Cold start and memory"). The unpacking itself is synchronous: nothing else
 * runs at start. node-tar is loaded here, so a start on an existing directory never loads it
 * (docs/architecture.md, "Loaded on first use").
 */
export async function unpackImage(file: string, dataDir: string, options: { fsync?: boolean } = {}): Promise<void> {
  const { extract } = await import('tar');
  const marker = path.join(dataDir, UNPACKING);
  writeFileSync(marker, '');
  extract({ file, cwd: dataDir, sync: true });
  // A restore waits for its files to reach the disk (2–5 s for the 1,250 files of a new database on
  // a virtual disk); a first start does not: what power loss could take then is an empty database.
  if (options.fsync) syncTree(dataDir);
  rmSync(marker);
}

/**
 * fsyncs every file and directory under `dir`: files written outside PostgreSQL (an unpacked image
 * or backup) are on the disk before the database that starts on them acknowledges a commit
 * (docs/operations.md, "Durability").
 */
export function syncTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) syncTree(p);
    else if (entry.isFile()) fsyncPath(p);
  }
  fsyncPath(dir);
}

function fsyncPath(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
