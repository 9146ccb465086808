import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite admits one process per data dir. The server announces itself in <dataDir>/server.json
 * ({pid, url, cliSecret}, mode 0600) for as long as it holds the dir; a `portico` command that
 * finds a live server there works through it over HTTP, and otherwise holds <dataDir>/cli.lock
 * while it opens the dir itself.
 *
 * Ordering rule that keeps the two from ever opening the dir together: each side first writes its
 * own file, then looks for the other's. The server waits for a live cli.lock to go away; a
 * command that sees a live server.json drops its lock and goes through the server.
 */
export interface ServerFile {
  pid: number;
  url: string | null;
  cliSecret: string;
}

export const serverFilePath = (dataDir: string) => path.join(dataDir, 'server.json');
export const cliLockPath = (dataDir: string) => path.join(dataDir, 'cli.lock');

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readServerFile(dataDir: string): ServerFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(serverFilePath(dataDir), 'utf8')) as Partial<ServerFile>;
    if (typeof parsed.pid !== 'number' || typeof parsed.cliSecret !== 'string') return undefined;
    return { pid: parsed.pid, url: typeof parsed.url === 'string' ? parsed.url : null, cliSecret: parsed.cliSecret };
  } catch {
    return undefined;
  }
}

/** The server of this data dir, if one is alive (its url may still be null while it starts). */
export function liveServer(dataDir: string): ServerFile | undefined {
  const file = readServerFile(dataDir);
  return file && isAlive(file.pid) ? file : undefined;
}

function writeServerFile(dataDir: string, content: ServerFile) {
  const tmp = `${serverFilePath(dataDir)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, JSON.stringify(content) + '\n', { mode: 0o600 });
  renameSync(tmp, serverFilePath(dataDir));
}

function lockHolder(dataDir: string): number | undefined {
  try {
    const text = readFileSync(cliLockPath(dataDir), 'utf8').trim();
    // just created, pid not written yet: held
    if (text === '') return Date.now() - statSync(cliLockPath(dataDir)).mtimeMs < 5_000 ? -1 : undefined;
    const pid = Number(text);
    return isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DataDirClaim {
  cliSecret: string;
  /** records the URL once the server listens */
  announce(url: string): void;
  /** removes server.json (only if it is still ours) */
  release(): void;
}

/**
 * Called by the server before it opens a PGlite data dir. Refuses a dir another live server
 * holds; waits (up to `waitMs`) for a running `portico` command to finish with it.
 */
export async function claimDataDir(dataDir: string, options: { waitMs?: number } = {}): Promise<DataDirClaim> {
  mkdirSync(dataDir, { recursive: true });
  const other = liveServer(dataDir);
  if (other && other.pid !== process.pid) {
    throw new Error(`Another Portico server (pid ${other.pid}) is using the data directory ${dataDir}. Stop it first, or set PORTICO_DATA_DIR.`);
  }
  const cliSecret = randomBytes(32).toString('base64url');
  let content: ServerFile = { pid: process.pid, url: null, cliSecret };
  writeServerFile(dataDir, content);

  const deadline = Date.now() + (options.waitMs ?? 30_000);
  while (lockHolder(dataDir) !== undefined) {
    if (Date.now() > deadline) {
      releaseIfOurs(dataDir, cliSecret);
      throw new Error(`A portico command (pid ${lockHolder(dataDir)}) keeps the data directory ${dataDir} busy.`);
    }
    await sleep(100);
  }
  return {
    cliSecret,
    announce(url) {
      content = { ...content, url };
      writeServerFile(dataDir, content);
    },
    release() {
      releaseIfOurs(dataDir, cliSecret);
    },
  };
}

function releaseIfOurs(dataDir: string, cliSecret: string) {
  const file = readServerFile(dataDir);
  if (file && file.cliSecret === cliSecret) {
    try {
      unlinkSync(serverFilePath(dataDir));
    } catch {
      // already gone
    }
  }
}

/**
 * Takes cli.lock for this process. Returns a release function, or undefined when another live
 * `portico` command holds it. A lock left by a dead process is taken over.
 */
export function acquireCliLock(dataDir: string): (() => void) | undefined {
  mkdirSync(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(cliLockPath(dataDir), 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(cliLockPath(dataDir), 'utf8').trim() === String(process.pid)) unlinkSync(cliLockPath(dataDir));
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (lockHolder(dataDir) !== undefined) return undefined;
      try {
        unlinkSync(cliLockPath(dataDir)); // stale: its process is gone
      } catch {
        // someone else removed it first
      }
    }
  }
  return undefined;
}
