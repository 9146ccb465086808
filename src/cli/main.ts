import { loadConfig, type Config } from '../config.js';
import { openPglite, openPostgres, type DbHandle } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { createOutboxMailer } from '../mailer.js';
import { AppError } from '../domain/errors.js';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createApiTokenForStaffEmail } from '../use-cases/tokens/create-api-token-for-staff-email.js';
import { importSiteCustomersFromCli, type ImportReport } from '../use-cases/customers/import-customers.js';
import { IMPORT_MAX_BYTES } from '../domain/customer-import.js';
import type { AnonymousContext } from '../use-cases/context.js';
import { setProjectMailboxFromCli } from '../use-cases/inbound-mail/project-mailbox.js';
import { createScimTokenFromCli, type CreatedScimToken } from '../use-cases/scim/scim-tokens.js';
import { acquireCliLock, liveServer } from './server-registry.js';
import { CliError, serverCall, serverError, type ServerCall } from './server-call.js';
import { backupDatabase, restoreDatabase } from './backup.js';
import { backupFileName } from '../db/backup.js';

const USAGE = `Usage:
  portico token create --email <staff email> [--label <text>]
      Creates an API token for a staff account and prints it (alone) on stdout.
  portico scim-token create --site <slug> [--label <text>]
      Creates a SCIM token for the site's identity provider and prints it alone on the last line.
      Its label names the actor of every change made with it: "SCIM (<label>)".
  portico customers import --site <slug> <file.csv> [--dry-run]
      Imports portal-only customers from a CSV file with a header line: Email (or Email address),
      optionally Name (Display name, Full name) and Status (Active, or Access revoked, Revoked,
      Inactive, Deactivated). Emails already customers of the site are left as they are, so the
      same file may be run again. --dry-run reports what would happen and writes nothing.
      Exit 0: done; 3: done, but some rows were refused (listed); 1: nothing written.
  portico mailbox set --site <slug> --project <KEY> --url imap://USER:PASSWORD@HOST:PORT/INBOX [--tls on|off]
      Sets the project's incoming mailbox: mail to it raises requests and adds comments. imaps://
      (or --tls on) uses TLS. The password is stored encrypted with PORTICO_SECRET_KEY, which the
      server (or, without one running, this command) must have. Percent-encode @ : / in USER and
      PASSWORD (%40 %3A %2F).
  portico backup [--out FILE]
      Writes a consistent backup of the database to FILE (default: portico-backup-<UTC time>.tar.gz,
      or .pgdump on PostgreSQL, in the current directory); never overwrites a file. Embedded: a
      gzipped tar of the data directory, through the running server when one holds it. PostgreSQL:
      pg_dump's custom format (pg_dump must be installed), without the sessions.
  portico restore FILE
      Loads a backup into an empty data directory (PORTICO_DATA_DIR) or an empty PostgreSQL database
      (DATABASE_URL, with pg_restore installed); refuses one that is not empty. Every session ends.

Environment: DATABASE_URL (PostgreSQL) or PORTICO_DATA_DIR (embedded PGlite, default ./data).
While a Portico server holds the PGlite data directory, the command works through that server.`;

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

/** Runs `portico …`; returns the exit code. Only the result (a token, an import's report) goes to stdout. */
export async function main(argv: string[], io: CliIo = defaultIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const [group, command, ...rest] = argv;
    if (group === undefined || group === 'help' || group === '--help' || group === '-h') {
      io.err(USAGE + '\n');
      return group === undefined ? 2 : 0;
    }
    if (group === 'backup') return await backup(argv.slice(1), io, env);
    if (group === 'restore') return await restore(argv.slice(1), io, env);
    if (group === 'customers' && command === 'import') return await customersImport(rest, io, env);
    if (group === 'mailbox' && command === 'set') return await mailboxSet(rest, io, env);
    if (group === 'scim-token' && command === 'create') return await scimTokenCreate(rest, io, env);
    if (group !== 'token' || command !== 'create') throw new CliError(`Unknown command: ${[group, command].filter(Boolean).join(' ')}\n\n${USAGE}`, 2);
    const options = parseOptions(rest, ['email', 'label']);
    if (!options.email?.trim()) throw new CliError(`--email is required.\n\n${USAGE}`, 2);
    const token = await runCommand(loadConfig(env), tokenCommand({ email: options.email.trim(), label: options.label ?? '' }));
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

/**
 * `portico customers import --site SLUG FILE.csv [--dry-run]`: the report on stdout; exit 0 when
 * every row was created or already there, 3 when some rows were refused (the others imported), 1
 * when the file or the site was refused and nothing was written, 2 for a usage error.
 */
async function customersImport(args: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const dryRun = args.includes('--dry-run');
  const rest = args.filter((a) => a !== '--dry-run');
  const files = rest.filter((a, i) => !a.startsWith('--') && !(i > 0 && rest[i - 1] === '--site'));
  if (files.length !== 1) throw new CliError(`Name one CSV file.\n\n${USAGE}`, 2);
  const options = parseOptions(rest.filter((a) => a !== files[0]), ['site']);
  if (!options.site?.trim()) throw new CliError(`--site is required.\n\n${USAGE}`, 2);
  const file = files[0];
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    throw new CliError(`Cannot read the file ${file}.`);
  }
  if (size > IMPORT_MAX_BYTES) throw new CliError(`The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB. Split it into smaller files.`);
  const site = options.site.trim();
  const report = await runCommand(loadConfig(env), importCommand({ site, file, dryRun }));
  io.out(importSummary(file, site, report));
  return report.refused > 0 ? 3 : 0;
}

/** `portico backup [--out FILE]`: the file's name and size on stdout. */
async function backup(args: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const options = parseOptions(args, ['out']);
  const config = loadConfig(env);
  const file = options.out?.trim() || backupFileName(config.databaseUrl ? 'postgres' : 'embedded');
  const { via, bytes } = await backupDatabase(config, file, env);
  io.out(`Backup written to ${file} (${formatBytes(bytes)}, ${config.databaseUrl ? 'PostgreSQL, pg_dump custom format' : 'embedded database'}, taken through ${via}).\n`);
  return 0;
}

/** `portico restore FILE`: what was restored on stdout. */
async function restore(args: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  if (args.length !== 1 || args[0].startsWith('--')) throw new CliError(`Name one backup file.\n\n${USAGE}`, 2);
  io.out((await restoreDatabase(loadConfig(env), args[0], env)) + '\n');
  return 0;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

/** `portico scim-token create --site SLUG [--label L]`: the token alone on the last line of stdout. */
async function scimTokenCreate(args: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const options = parseOptions(args, ['site', 'label']);
  if (!options.site?.trim()) throw new CliError(`--site is required.\n\n${USAGE}`, 2);
  const input = { site: options.site.trim(), label: options.label ?? '' };
  const created = await runCommand(loadConfig(env), {
    direct: (ctx) => createScimTokenFromCli(ctx, { siteSlug: input.site, label: input.label }),
    async throughServer(call) {
      const res = await call('/api/internal/cli/scim-tokens', { method: 'POST', contentType: 'application/json', body: JSON.stringify(input) });
      if (res.status !== 201) throw await serverError(res);
      return (await res.json()) as CreatedScimToken;
    },
  });
  io.out(`SCIM token "${created.label}" created for site ${input.site}. It is shown once; the SCIM base URL is {public URL}/s/${input.site}/scim/v2\n${created.token}\n`);
  return 0;
}

/** `portico mailbox set`: prints the mailbox as saved (never the password). */
async function mailboxSet(args: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const options = parseOptions(args, ['site', 'project', 'url', 'tls']);
  for (const name of ['site', 'project', 'url']) {
    if (!options[name]?.trim()) throw new CliError(`--${name} is required.\n\n${USAGE}`, 2);
  }
  if (options.tls !== undefined && options.tls !== 'on' && options.tls !== 'off') throw new CliError(`--tls must be on or off.\n\n${USAGE}`, 2);
  const input = { site: options.site!.trim(), project: options.project!.trim(), url: options.url!.trim(), tls: options.tls === undefined ? undefined : options.tls === 'on' };
  const m = await runCommand(loadConfig(env), mailboxCommand(input));
  io.out(`Mailbox of ${m.projectKey} set: ${m.user} at ${m.host}:${m.port} (${m.tls ? 'TLS' : 'no TLS'}), folder ${m.folder}.\n`);
  return 0;
}

interface SavedMailbox {
  projectKey: string;
  host: string;
  port: number;
  tls: boolean;
  user: string;
  folder: string;
}

function mailboxCommand(input: { site: string; project: string; url: string; tls: boolean | undefined }): Command<SavedMailbox> {
  return {
    direct: (ctx) => setProjectMailboxFromCli(ctx, { siteSlug: input.site, projectKey: input.project, url: input.url, tls: input.tls }),
    async throughServer(call) {
      const res = await call('/api/internal/cli/mailbox', { method: 'POST', contentType: 'application/json', body: JSON.stringify(input) });
      if (res.status !== 200) throw await serverError(res);
      return (await res.json()) as SavedMailbox;
    },
  };
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/**
 * What a command does on the database: `direct` with the database opened by this process, or
 * `throughServer` while a Portico server holds the embedded data directory (PGlite admits one
 * process), calling its internal CLI routes with the secret of server.json.
 */
interface Command<T> {
  direct(ctx: AnonymousContext): Promise<T>;
  throughServer(server: ServerCall): Promise<T>;
}

async function runCommand<T>(config: Config, command: Command<T>): Promise<T> {
  if (config.databaseUrl) {
    // PostgreSQL serves any number of processes: go straight to the database. The command may run
    // migrations, which the request statement timeout must not cut short.
    return withDatabase(openPostgres(config.databaseUrl, { poolSize: 2, statementTimeoutMs: 0 }), config, command);
  }
  const dataDir = config.dataDir;
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = liveServer(dataDir);
    if (server) return command.throughServer(await serverCall(dataDir, server));

    const release = acquireCliLock(dataDir);
    if (!release) throw new CliError(`Another portico command is using the data directory ${dataDir}. Try again in a moment.`);
    try {
      // A server may have claimed the dir between our look and our lock: then it waits for us
      // to let go, and we go through it instead.
      const late = liveServer(dataDir);
      if (late) {
        release();
        return command.throughServer(await serverCall(dataDir, late));
      }
      return await withDatabase(await openPglite(dataDir, { fsync: config.embeddedFsync }), config, command);
    } finally {
      release();
    }
  }
  throw new CliError(`The data directory ${dataDir} is busy. Try again in a moment.`);
}

async function withDatabase<T>(handle: DbHandle, config: Config, command: Command<T>): Promise<T> {
  try {
    await migrateToLatest(handle.db);
    return await command.direct({ db: handle.db, actor: null, ip: null, userAgent: 'portico-cli', mailer: createOutboxMailer(), config, origin: '' });
  } finally {
    await handle.close();
  }
}

function tokenCommand(input: { email: string; label: string }): Command<string> {
  return {
    async direct(ctx) {
      return (await createApiTokenForStaffEmail(ctx, { staffEmail: input.email, label: input.label })).token;
    },
    async throughServer(call) {
      const res = await call('/api/internal/cli/tokens', { method: 'POST', contentType: 'application/json', body: JSON.stringify({ email: input.email, label: input.label }) });
      if (res.status !== 201) throw await serverError(res);
      const body = (await res.json().catch(() => ({}))) as { token?: string };
      if (typeof body.token !== 'string') throw new CliError(`The Portico server answered ${res.status}.`);
      return body.token;
    },
  };
}

function importCommand(input: { site: string; file: string; dryRun: boolean }): Command<ImportReport> {
  return {
    direct: (ctx) => importSiteCustomersFromCli(ctx, { siteSlug: input.site, csv: createReadStream(input.file), dryRun: input.dryRun }),
    async throughServer(call) {
      const query = new URLSearchParams({ site: input.site, dryRun: String(input.dryRun) });
      const res = await call(`/api/internal/cli/customers/import?${query}`, {
        method: 'POST',
        contentType: 'text/csv; charset=utf-8',
        body: new Blob([readFileSync(input.file)]),
        timeoutMs: 30 * 60_000,
      });
      if (res.status !== 200) throw await serverError(res);
      return (await res.json()) as ImportReport;
    },
  };
}

/** The report of an import, as the command prints it on stdout. */
export function importSummary(file: string, site: string, r: ImportReport): string {
  const lines = [
    r.dryRun ? `Dry run: nothing was written. Importing ${file} into site ${site} would:` : `Imported ${file} into site ${site}:`,
    `  rows read:                        ${r.rows}`,
    `  ${r.dryRun ? 'customers to create:  ' : 'customers created:    '}            ${r.created}${r.createdRevoked ? ` (${r.createdRevoked} with access revoked)` : ''}`,
    `  already customers (left as they are): ${r.present}`,
    `  refused:                          ${r.refused}`,
    ...r.refusals.map((x) => `    line ${x.line}${x.email ? ` (${x.email})` : ''}: ${x.reason}`),
  ];
  if (r.refused > r.refusals.length) lines.push(`    … and ${r.refused - r.refusals.length} more refused rows`);
  return lines.join('\n') + '\n';
}
