import { ConfigError, loadConfig, type Config } from './config.js';
import { startServer, type RunningServer } from './server.js';
import { DEMO_LOGINS, DEMO_PASSWORD } from './db/demo.js';
import { DatabaseNewerThanCodeError } from './db/migrate.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Portico cannot start: ${error.message}`);
  process.exit(1);
}

// SIGTERM (an orchestrator, systemd, `kill`) and SIGINT (Ctrl-C): a graceful shutdown, bounded by
// PORTICO_SHUTDOWN_GRACE_SECONDS (server.ts). The handlers are in place before the server starts: a
// signal that comes while it starts stops it once it has (never half-way through opening the
// database). A second signal while it stops changes nothing: the bound holds either way, and
// `npm start` passes a terminal's Ctrl-C on as a second SIGINT.
let server: RunningServer | undefined;
let stopSignal: NodeJS.Signals | undefined;
const stop = (signal: NodeJS.Signals) => {
  if (stopSignal) return;
  stopSignal = signal;
  if (server) shutDown(server, signal);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

function shutDown(running: RunningServer, signal: NodeJS.Signals) {
  console.log(`${signal}: Portico is shutting down (requests and jobs under way get up to ${config.shutdownGraceSeconds} s to end)`);
  running.close().then(
    () => {
      console.log('Portico stopped');
      process.exit(0);
    },
    (error: unknown) => {
      console.error('Portico could not shut down cleanly:', error);
      process.exit(1);
    },
  );
}

try {
  server = await startServer(config);
} catch (error) {
  // an instance older than its database's schema (docs/operations.md, "Upgrades")
  if (!(error instanceof DatabaseNewerThanCodeError)) throw error;
  console.error(`Portico cannot start: ${error.message}`);
  process.exit(1);
}
const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL (PGlite) in ${config.dataDir}`;
console.log(`Portico is running at ${server.url}  —  database: ${where}`);
if (server.publicUrl !== server.url) console.log(`Public URL (links in mail and answers; open Portico there): ${server.publicUrl}`);
if (server.metricsUrl) console.log(`Metrics (this machine only): ${server.metricsUrl}`);
if (config.demo) {
  console.log(`\nDemo logins (password for all: ${DEMO_PASSWORD}):`);
  for (const l of DEMO_LOGINS) console.log(`  ${l.email.padEnd(24)} ${l.name.padEnd(16)} ${l.role.padEnd(40)} ${server.publicUrl}${l.where}`);
}
if (stopSignal) shutDown(server, stopSignal);
