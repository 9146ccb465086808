import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPgliteDataDir, createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../support/db.js';
import { loadDemoData } from '../../src/db/demo.js';
import { buildApp } from '../../src/http/app.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/portico.js');
const SLOW = 300_000;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `portico …` as a user would (`npx portico` runs bin/portico.js), from another directory. */
function portico(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const cleanEnv = { ...process.env };
    delete cleanEnv.DATABASE_URL;
    delete cleanEnv.PORTICO_DATA_DIR;
    execFile(process.execPath, [bin, ...args], { env: { ...cleanEnv, ...env }, cwd: tmpdir(), timeout: SLOW - 10_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const basic = (email: string, token: string) => `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;

describe.runIf(TEST_DB_KIND === 'postgres')('portico token create on PostgreSQL (DATABASE_URL)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres', { demo: true });
    if (!database.hasDemo) await loadDemoData(database.db);
    console.log(`database: ${database.label}`);
  });
  afterAll(() => database?.close());

  it('prints a token alone that authenticates /s/acme/rest/api/3/myself with Basic auth', async () => {
    const result = await portico(['token', 'create', '--email', 'admin@acme.test', '--label', 'from the CLI'], { DATABASE_URL: database.url! });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\S+\n$/);
    const token = result.stdout.trim();

    const app = await buildApp({ db: database.db, mailer: createOutboxMailer(), config: { ...loadConfig({}), logLevel: 'silent' } });
    try {
      const res = await app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers: { authorization: basic('admin@acme.test', token) } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ displayName: 'Ada Admin', emailAddress: 'admin@acme.test', accountType: 'atlassian' });
      const row = await database.db.selectFrom('api_tokens').select(['label']).where('revoked_at', 'is', null).execute();
      expect(row).toEqual([{ label: 'from the CLI' }]);
    } finally {
      await app.close();
    }
  }, SLOW);

  it('portico scim-token create prints a SCIM token alone on its last line, which the site\'s SCIM server takes (audited)', async () => {
    const result = await portico(['scim-token', 'create', '--site', 'acme', '--label', 'Okta'], { DATABASE_URL: database.url! });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const token = result.stdout.trimEnd().split('\n').at(-1)!;
    expect(token).toMatch(/^scim_\S+$/);
    const app = await buildApp({ db: database.db, mailer: createOutboxMailer(), config: { ...loadConfig({}), logLevel: 'silent' } });
    try {
      const res = await app.inject({ method: 'GET', url: '/s/acme/scim/v2/Users?count=1', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode, res.body).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/s/globex/scim/v2/Users', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
      const event = await database.db.selectFrom('audit_events').select(['action', 'details']).where('action', '=', 'scim_token.created').executeTakeFirstOrThrow();
      expect(JSON.stringify(event.details)).toContain('"via":"cli"');
    } finally {
      await app.close();
    }
    expect((await portico(['scim-token', 'create', '--site', 'nope'], { DATABASE_URL: database.url! })).code).toBe(1);
  }, SLOW);

  it('refuses an unknown email and a customer\'s email on stderr with exit 1', async () => {
    for (const email of ['nobody@acme.test', 'alice@customer.test']) {
      const result = await portico(['token', 'create', '--email', email], { DATABASE_URL: database.url! });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`No active staff account has the email ${email}`);
    }
    const usage = await portico(['token', 'create'], { DATABASE_URL: database.url! });
    expect(usage.code).toBe(2);
    expect(usage.stdout).toBe('');
    expect(usage.stderr).toContain('--email is required');
  }, SLOW);

  it('customers import: a dry run writes nothing, the import creates and reports refused lines, a re-run creates nothing twice', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'portico-import-')), 'customers.csv');
    writeFileSync(file, 'Display name,Email address,Status\nCli Active,cli.active@import.test,Active\nCli Revoked,cli.revoked@import.test,Inactive\nBroken,broken,Active\n');
    const imported = () => database.db.selectFrom('accounts').select(['email', 'status']).where('email_lower', 'like', 'cli.%@import.test').orderBy('email').execute();

    const dry = await portico(['customers', 'import', '--site', 'acme', file, '--dry-run'], { DATABASE_URL: database.url! });
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(3);
    expect(dry.stdout).toContain('Dry run: nothing was written');
    expect(dry.stdout).toMatch(/customers to create: +2 \(1 with access revoked\)/);
    expect(dry.stdout).toContain('line 4 (broken): The email address is not valid.');
    expect(await imported()).toEqual([]);

    const real = await portico(['customers', 'import', '--site=acme', file], { DATABASE_URL: database.url! });
    expect(real.code).toBe(3);
    expect(real.stdout).toMatch(/customers created: +2 \(1 with access revoked\)/);
    expect(await imported()).toEqual([
      { email: 'cli.active@import.test', status: 'active' },
      { email: 'cli.revoked@import.test', status: 'revoked' },
    ]);
    const event = await database.db.selectFrom('audit_events').select(['actor_id', 'details']).where('action', '=', 'customers.imported').executeTakeFirstOrThrow();
    expect(event).toEqual({ actor_id: null, details: { via: 'cli', rows: 3, created: 2, createdRevoked: 1, present: 0, refused: 1 } });

    writeFileSync(file, 'Email\ncli.active@import.test\ncli.revoked@import.test\n');
    const again = await portico(['customers', 'import', '--site', 'acme', file], { DATABASE_URL: database.url! });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already customers \(left as they are\): 2/);
    expect(await imported()).toHaveLength(2);

    const noSite = await portico(['customers', 'import', '--site', 'nowhere', file], { DATABASE_URL: database.url! });
    expect(noSite.code).toBe(1);
    expect(noSite.stdout).toBe('');
    expect(noSite.stderr).toContain("No site has the slug 'nowhere'");
    writeFileSync(file, 'Name\nNo Email\n');
    const bad = await portico(['customers', 'import', '--site', 'acme', file], { DATABASE_URL: database.url! });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no Email column');
    const usage = await portico(['customers', 'import', file], { DATABASE_URL: database.url! });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--site is required');
  }, SLOW);
});

describe.runIf(TEST_DB_KIND === 'pglite')('portico token create on a PGlite data directory', () => {
  let dir: string;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'portico-cli-'));
    await createPgliteDataDir(dir, { demo: true });
    console.log(`database: pglite data dir ${dir}`);
  }, SLOW);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async () => startServer({ ...loadConfig({}), logLevel: 'silent', dataDir: dir, port: 0, host: '127.0.0.1', demo: false });
  const myself = (url: string, email: string, token: string) =>
    fetch(`${url}/s/acme/rest/api/3/myself`, { headers: { authorization: basic(email, token), accept: 'application/json' } });

  it('without a server, opens the directory itself', async () => {
    const result = await portico(['token', 'create', '--email', 'agent@acme.test'], { PORTICO_DATA_DIR: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(result.stdout).toBe(`${token}\n`);
    expect(existsSync(path.join(dir, 'cli.lock'))).toBe(false);

    server = await start();
    const res = await myself(server.url, 'agent@acme.test', token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ displayName: 'Sam Agent', accountType: 'atlassian' });
  }, SLOW);

  it('with a server running, works through it and leaves it serving', async () => {
    expect(server).toBeDefined();
    const file = path.join(dir, 'server.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const announced = JSON.parse(readFileSync(file, 'utf8'));
    expect(announced).toMatchObject({ pid: process.pid, url: server!.url });

    const result = await portico(['token', 'create', '--email', 'admin@acme.test', '--label', 'via server'], { PORTICO_DATA_DIR: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const token = result.stdout.trim();

    const res = await myself(server!.url, 'admin@acme.test', token);
    expect(res.status).toBe(200);
    const audit = await server!.handle.db.selectFrom('audit_events').select('details').where('action', '=', 'api_token.created').execute();
    expect(audit.map((a) => (a.details as { label?: string }).label)).toContain('via server');

    const unknown = await portico(['token', 'create', '--email', 'nobody@acme.test'], { PORTICO_DATA_DIR: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('No active staff account has the email nobody@acme.test');

    // the internal route wants the secret of server.json
    const forged = await fetch(`${server!.url}/api/internal/cli/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-portico-cli-secret': 'guess' },
      body: JSON.stringify({ email: 'admin@acme.test' }),
    });
    expect(forged.status).toBe(401);

    const health = await fetch(`${server!.url}/healthz`);
    expect(health.status).toBe(200);
  }, SLOW);

  it('customers import works through the running server too', async () => {
    expect(server).toBeDefined();
    const file = path.join(dir, '..', `${path.basename(dir)}-customers.csv`);
    writeFileSync(file, 'Name,Email\nVia Server,via.server@import.test\n');
    const through = await portico(['customers', 'import', '--site', 'acme', file], { PORTICO_DATA_DIR: dir });
    expect(through.stderr).toBe('');
    expect(through.code).toBe(0);
    expect(through.stdout).toMatch(/customers created: +1/);
    const row = await server!.handle.db.selectFrom('accounts').select(['display_name', 'status']).where('email_lower', '=', 'via.server@import.test').execute();
    expect(row).toEqual([{ display_name: 'Via Server', status: 'active' }]);
    const again = await portico(['customers', 'import', '--site', 'acme', file, '--dry-run'], { PORTICO_DATA_DIR: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/customers to create: +0/);
    // the internal route wants the secret of server.json
    const forged = await fetch(`${server!.url}/api/internal/cli/customers/import?site=acme`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-portico-cli-secret': 'guess' },
      body: 'Email\nforged@import.test\n',
    });
    expect(forged.status).toBe(401);
    rmSync(file, { force: true });
  }, SLOW);

  it('the server removes server.json when it closes; a stale one is ignored', async () => {
    await server!.close();
    server = undefined;
    expect(existsSync(path.join(dir, 'server.json'))).toBe(false);

    // a server.json left behind by a process that died
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = dead.pid!;
    await new Promise((r) => dead.on('exit', r));
    writeFileSync(path.join(dir, 'server.json'), JSON.stringify({ pid: deadPid, url: 'http://127.0.0.1:9', cliSecret: 'x' }), { mode: 0o600 });
    const result = await portico(['token', 'create', '--email', 'admin@globex.test'], { PORTICO_DATA_DIR: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    server = await start();
    const res = await myself(server.url, 'admin@globex.test', result.stdout.trim());
    expect(res.status).toBe(200);
  }, SLOW);
});
