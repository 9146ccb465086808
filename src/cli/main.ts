import { loadConfig, type Config } from '../config.js';
import { openPglite, openPostgres, type DbHandle } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { createOutboxMailer } from '../mailer.js';
import { AppError } from '../domain/errors.js';
import { createApiTokenForStaffEmail } from '../use-cases/tokens/create-api-token-for-staff-email.js';
import { CLI_SECRET_HEADER } from '../http/routes/auth/cli.js';
import { acquireCliLock, liveServer, type ServerFile } from './server-registry.js';

const USAGE = `Usage:
  portico token create --email <staff email> [--label <text>]
      Creates an API token for a staff account and prints it (alone) on stdout.

Environment: DATABASE_URL (PostgreSQL) or PORTICO_DATA_DIR (embedded PGlite, default ./data).
While a Portico server holds the PGlite data directory, the command works through that server.`;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

function parseOptions(args: string[], allowed: string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(2, eq) : arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name === undefined || !allowed.includes(name)) throw new CliError(`Unknown argument: ${arg}\n\n${USAGE}`, 2);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new CliError(`--${name} needs a value.\n\n${USAGE}`, 2);
    options[name] = value;
  }
  return options;
}

/** Runs `portico …`; returns the exit code. Only the token goes to stdout. */
export async function main(argv: string[], io: CliIo = defaultIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const [group, command, ...rest] = argv;
    if (group === undefined || group === 'help' || group === '--help' || group === '-h') {
      io.err(USAGE + '\n');
      return group === undefined ? 2 : 0;
    }
    if (group !== 'token' || command !== 'create') throw new CliError(`Unknown command: ${[group, command].filter(Boolean).join(' ')}\n\n${USAGE}`, 2);
    const options = parseOptions(rest, ['email', 'label']);
    if (!options.email?.trim()) throw new CliError(`--email is required.\n\n${USAGE}`, 2);
    const token = await createTokenCommand(loadConfig(env), { email: options.email.trim(), label: options.label ?? '' });
    io.out(token + '\n');
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.err(error.message + '\n');
      return error.exitCode;
    }
    if (error instanceof AppError) {
      io.err(error.message + '\n');
      return 1;
    }
    io.err(`portico: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

async function createTokenCommand(config: Config, input: { email: string; label: string }): Promise<string> {
  if (config.databaseUrl) {
    // PostgreSQL serves any number of processes: go straight to the database. The command may run
    // migrations, which the request statement timeout must not cut short.
    return withDatabase(openPostgres(config.databaseUrl, { poolSize: 2, statementTimeoutMs: 0 }), config, input);
  }
  const dataDir = config.dataDir;
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = liveServer(dataDir);
    if (server) return throughServer(dataDir, server, input);

    const release = acquireCliLock(dataDir);
    if (!release) throw new CliError(`Another portico command is using the data directory ${dataDir}. Try again in a moment.`);
    try {
      // A server may have claimed the dir between our look and our lock: then it waits for us
      // to let go, and we go through it instead.
      const late = liveServer(dataDir);
      if (late) {
        release();
        return throughServer(dataDir, late, input);
      }
      return await withDatabase(await openPglite(dataDir), config, input);
    } finally {
      release();
    }
  }
  throw new CliError(`The data directory ${dataDir} is busy. Try again in a moment.`);
}

async function withDatabase(handle: DbHandle, config: Config, input: { email: string; label: string }): Promise<string> {
  try {
    await migrateToLatest(handle.db);
    const created = await createApiTokenForStaffEmail(
      { db: handle.db, actor: null, ip: null, userAgent: 'portico-cli', mailer: createOutboxMailer(), config, origin: '' },
      { staffEmail: input.email, label: input.label },
    );
    return created.token;
  } finally {
    await handle.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function throughServer(dataDir: string, first: ServerFile, input: { email: string; label: string }): Promise<string> {
  // A server that is still starting has no URL yet.
  let server: ServerFile | undefined = first;
  const deadline = Date.now() + 30_000;
  while (server && !server.url) {
    if (Date.now() > deadline) throw new CliError(`The Portico server (pid ${server.pid}) using ${dataDir} did not finish starting.`);
    await sleep(200);
    server = liveServer(dataDir);
  }
  if (!server?.url) throw new CliError(`The Portico server using ${dataDir} stopped. Run the command again.`);

  let res: Response;
  try {
    res = await fetch(`${server.url}/api/internal/cli/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CLI_SECRET_HEADER]: server.cliSecret },
      body: JSON.stringify({ email: input.email, label: input.label }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliError(
      `A Portico server (pid ${server.pid}) holds ${dataDir} but did not answer at ${server.url} (${(error as Error).message}). ` +
        'Stop it, or try again once it answers.',
    );
  }
  const body = (await res.json().catch(() => ({}))) as { token?: string; errorMessages?: string[] };
  if (res.status === 201 && typeof body.token === 'string') return body.token;
  throw new CliError(body.errorMessages?.[0] ?? `The Portico server answered ${res.status}.`);
}
