import { ConfigError, loadConfig, type Config } from './config.js';
import { startServer } from './server.js';
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
let server: Awaited<ReturnType<typeof startServer>>;
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
if (config.demo) {
  console.log(`\nDemo logins (password for all: ${DEMO_PASSWORD}):`);
  for (const l of DEMO_LOGINS) console.log(`  ${l.email.padEnd(24)} ${l.name.padEnd(16)} ${l.role.padEnd(40)} ${server.publicUrl}${l.where}`);
}
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
