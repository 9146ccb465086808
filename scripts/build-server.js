// Bundles the server (src/main.ts and everything it imports from src/) into dist/server/main.js with
// esbuild, so `npm start` and the end-to-end tests run plain JavaScript instead of compiling
// TypeScript through tsx at every start; and the `portico` command (src/cli/main.ts) into
// dist/server/cli.js, which bin/portico.js runs (a command started in about a third of the time). node_modules stay external: Node loads them as usual (PGlite
// finds its WebAssembly and the pg_trgm extension inside its own package, argon2 its native binary).
//
// It then makes dist/server/new-database.tar.gz with the bundle just built: the image of a new, migrated
// embedded database that `npm start` unpacks into an empty data directory instead of running initdb
// (src/new-database-image.ts).
//
// Files the code reads next to its own module (`new URL('./x', import.meta.url)`) are copied beside
// the bundle: dist/server/common-passwords.txt. The migrations are imported (src/db/migrate.ts), so
// they are in the bundle. The web app is found at ../../dist/web from src/http/ and from dist/server/
// alike.
//
//   node scripts/build-server.js            build when src/ is newer than the bundle
//   node scripts/build-server.js --force    build anyway
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_ENTRY = path.join(ROOT, 'dist/server/main.js');
/** The `portico` command (src/cli/main.ts), bundled beside the server: bin/portico.js imports it. */
export const CLI_ENTRY = path.join(ROOT, 'dist/server/cli.js');
/**
 * How the built server is started: `npm start`, the end-to-end tests and bench/start.ts use these
 * arguments, so what is measured is what runs. No --enable-source-maps: Node then parses the bundle's
 * 8 MB source map at start, about 90 MB of resident memory for the life of the process (stack traces
 * name the bundle's lines, whose functions keep their names). To debug with the sources' lines, set
 * NODE_OPTIONS=--enable-source-maps.
 */
export const SERVER_ARGS = [SERVER_ENTRY];
const OUT_DIR = path.dirname(SERVER_ENTRY);
const NEW_DATABASE_IMAGE = path.join(OUT_DIR, 'new-database.tar.gz');

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
  if (!existsSync(SERVER_ENTRY) || !existsSync(CLI_ENTRY) || !existsSync(NEW_DATABASE_IMAGE)) return true;
  const sources = Math.max(newestMtime(path.join(ROOT, 'src'), [path.join(ROOT, 'src/web')]), statSync(fileURLToPath(import.meta.url)).mtimeMs);
  return sources > statSync(SERVER_ENTRY).mtimeMs;
}

/**
 * Bundles src/main.ts to dist/server/main.js and src/cli/main.ts to dist/server/cli.js (with source
 * maps), copies the assets beside them and makes the new-database image. Everything is made in a
 * directory of its own and then renamed into dist/server, file by file: two builds at once (the
 * end-to-end and the integration tests each build when stale; `npx portico` does too) never leave a
 * half-written file where another process loads it.
 */
/** When this build was made and, in a git checkout, from which commit. */
function buildStamp() {
  const git = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  const changeSet = git.status === 0 ? git.stdout.trim() : '';
  return { date: new Date().toISOString(), ...(changeSet ? { changeSet } : {}) };
}

export async function buildServer() {
  const esbuild = await import('esbuild');
  mkdirSync(OUT_DIR, { recursive: true });
  const work = mkdtempSync(path.join(path.dirname(OUT_DIR), '.server-build-'));
  try {
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: { main: 'src/main.ts', cli: 'src/cli/main.ts', 'make-new-database-image': 'src/make-new-database-image.ts' },
      outdir: work,
      bundle: true,
      // Code that only some sites or some moments need — mail in and out, single sign-on, backups,
      // imports — is imported where it is used (`await import(…)`), and splitting puts it in chunks
      // of its own (chunk-HASH.js beside main.js): a start evaluates only what serving requests needs
      // (docs/architecture.md, "Loaded on first use"). Code shared by the entry points is a chunk too.
      // A chunk's name ends in a hash of its content.
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Most packages are bundled too: one file loads several times faster than the hundreds of
      // modules they are made of (module resolution and loading were a third of a cold start). These
      // stay external, loaded from node_modules as usual: files of their own beside their code
      // (PGlite's WebAssembly and extensions, Swagger UI's pages), a native binary (argon2), worker
      // threads (pino's transports), an optional native driver pg never needs here; and the AWS SDK,
      // loaded only when an object store is configured (integrations/object-store.ts), so a
      // Portico without one neither parses nor loads its megabytes.
      external: [
        '@aws-sdk/client-s3',
        '@aws-sdk/lib-storage',
        '@electric-sql/pglite',
        '@electric-sql/pglite/*',
        '@node-rs/argon2',
        '@fastify/swagger-ui',
        'pino',
        'thread-stream',
        'pg-native',
      ],
      // CommonJS packages inside an ES module bundle still call require()
      banner: { js: "import { createRequire as __porticoCreateRequire } from 'node:module'; const require = __porticoCreateRequire(import.meta.url);" },
      sourcemap: true,
      logLevel: 'warning',
      // what GET /rest/servicedeskapi/info tells of the build (src/http/build-info.ts)
      define: { __PORTICO_BUILD__: JSON.stringify(buildStamp()) },
    });
    for (const [from, to] of ASSETS) copyFileSync(path.join(ROOT, from), path.join(work, to));
    // The image a new embedded data directory starts from (src/new-database-image.ts): made by the
    // bundle just built, so it holds exactly the migrations that server runs.
    const image = spawnSync(process.execPath, [path.join(work, 'make-new-database-image.js'), path.join(work, path.basename(NEW_DATABASE_IMAGE))], { cwd: ROOT, encoding: 'utf8' });
    if (image.status !== 0) throw new Error(`making the new-database image failed:\n${image.stdout}${image.stderr}`);
    // the entry points last, so that a fresh main.js or cli.js finds its image and assets in place
    const names = readdirSync(work).sort((a, b) => Number(/^(main|cli)\.js$/.test(a)) - Number(/^(main|cli)\.js$/.test(b)));
    for (const name of names) renameSync(path.join(work, name), path.join(OUT_DIR, name));
    pruneOldChunks(OUT_DIR, new Set(names));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return SERVER_ENTRY;
}

/** A chunk: shared code (chunk-HASH.js) or a module imported where it is used (NAME-HASH.js). */
const CHUNK = /-[A-Z0-9]{8}\.js(\.map)?$/;
/** How long a chunk no longer part of the newest build is kept: a server started from an earlier build loads its chunks on first use, maybe days after it started. */
const OLD_CHUNK_KEPT_MS = 7 * 24 * 3600_000;

/**
 * Deletes the chunks of earlier builds that have not been part of any build for a week, and their
 * source maps at once (nothing loads a map at run time unless NODE_OPTIONS asks; they were two thirds
 * of what a day of rebuilding left behind). A chunk's name is a hash of its content, so a chunk of
 * the newest build is never deleted, and a server still running an earlier build finds its chunks for
 * a week after the build that replaced it.
 */
export function pruneOldChunks(dir, current, now = Date.now()) {
  for (const name of readdirSync(dir)) {
    if (!CHUNK.test(name) || current.has(name)) continue;
    const file = path.join(dir, name);
    if (name.endsWith('.map') || now - statSync(file).mtimeMs > OLD_CHUNK_KEPT_MS) rmSync(file, { force: true });
  }
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
