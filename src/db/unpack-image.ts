import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { extract } from 'tar';

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
 * (docs/benchmarks.md, "Cold start and memory"). Synchronous: nothing else runs at start.
 */
export function unpackImage(file: string, dataDir: string): void {
  const marker = path.join(dataDir, UNPACKING);
  writeFileSync(marker, '');
  extract({ file, cwd: dataDir, sync: true });
  rmSync(marker);
}
