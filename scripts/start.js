// `npm start`: builds the web app when its sources are newer than the build, bundles the server when
// its sources are newer than dist/server/main.js (scripts/build-server.js), then starts Portico from
// the built JavaScript.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ensureServerBuilt, SERVER_ARGS } from './build-server.js';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const built = 'dist/web/index.html';
const stale = !existsSync(built) || newestMtime('src/web') > statSync(built).mtimeMs;
if (stale) {
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
await ensureServerBuilt();
const child = spawn(process.execPath, SERVER_ARGS, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
