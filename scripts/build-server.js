// Bundles the server (src/main.ts and everything it imports from src/) into dist/server/main.js with
// esbuild, so `npm start` and the end-to-end tests run plain JavaScript instead of compiling
// TypeScript through tsx at every start. node_modules stay external: Node loads them as usual (PGlite
// finds its WebAssembly and the pg_trgm extension inside its own package, argon2 its native binary).
//
// Files the code reads next to its own module (`new URL('./x', import.meta.url)`) are copied beside
// the bundle: dist/server/common-passwords.txt. The migrations are imported (src/db/migrate.ts), so
// they are in the bundle. The web app is found at ../../dist/web from src/http/ and from dist/server/
// alike.
//
//   node scripts/build-server.js            build when src/ is newer than the bundle
//   node scripts/build-server.js --force    build anyway
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_ENTRY = path.join(ROOT, 'dist/server/main.js');
const OUT_DIR = path.dirname(SERVER_ENTRY);

/** Files read at run time beside the module that reads them: source → name in dist/server. */
const ASSETS = [['src/domain/common-passwords.txt', 'common-passwords.txt']];

function newestMtime(dir, skip) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (skip.includes(p)) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p, skip) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether dist/server/main.js is missing or older than the server's sources (src/ but the web app) or this script. */
export function serverBuildIsStale() {
  if (!existsSync(SERVER_ENTRY)) return true;
  const sources = Math.max(newestMtime(path.join(ROOT, 'src'), [path.join(ROOT, 'src/web')]), statSync(fileURLToPath(import.meta.url)).mtimeMs);
  return sources > statSync(SERVER_ENTRY).mtimeMs;
}

/** Bundles src/main.ts to dist/server/main.js (with a source map) and copies the assets beside it. */
export async function buildServer() {
  const esbuild = await import('esbuild');
  mkdirSync(OUT_DIR, { recursive: true });
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'src/main.ts' },
    outdir: OUT_DIR,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const [from, to] of ASSETS) copyFileSync(path.join(ROOT, from), path.join(OUT_DIR, to));
  return SERVER_ENTRY;
}

/** Builds when stale (or always with force); returns whether it built. */
export async function ensureServerBuilt({ force = false } = {}) {
  if (!force && !serverBuildIsStale()) return false;
  await buildServer();
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await ensureServerBuilt({ force: process.argv.includes('--force') });
  console.log(built ? `built ${path.relative(ROOT, SERVER_ENTRY)}` : `${path.relative(ROOT, SERVER_ENTRY)} is up to date`);
}
