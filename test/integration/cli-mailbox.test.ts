import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPgliteDataDir, createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../support/db.js';
import { loadDemoData } from '../../src/db/demo.js';
import { loadConfig } from '../../src/config.js';
import { openSecret } from '../../src/domain/secret-box.js';
import { startServer, type RunningServer } from '../../src/server.js';

// `portico mailbox set` (docs/product.md#requests-by-email): straight to PostgreSQL, or through the
// running server that holds a PGlite data directory, as `portico token create` does.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/portico.js');
const SLOW = 300_000;
const KEY = 'cli-test-secret-key-0123456789abcdefghij';
const URL_ARG = 'imap://help%40acme.test:s3cret%3Apass@imap.example.test:1993/Support';

function portico(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const cleanEnv = { ...process.env };
    delete cleanEnv.DATABASE_URL;
    delete cleanEnv.PORTICO_DATA_DIR;
    delete cleanEnv.PORTICO_SECRET_KEY;
    execFile(process.execPath, [bin, ...args], { env: { ...cleanEnv, ...env }, cwd: tmpdir(), timeout: SLOW - 10_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const args = (tls?: 'on' | 'off') => ['mailbox', 'set', '--site', 'acme', '--project', 'HELP', '--url', URL_ARG, ...(tls ? ['--tls', tls] : [])];

describe.runIf(TEST_DB_KIND === 'postgres')('portico mailbox set on PostgreSQL (DATABASE_URL)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres', { demo: true });
    if (!database.hasDemo) await loadDemoData(database.db);
  });
  afterAll(() => database?.close());

  it('E4: saves the mailbox with the password sealed under PORTICO_SECRET_KEY, and refuses without a key', async () => {
    const refused = await portico(args('on'), { DATABASE_URL: database.url! });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('PORTICO_SECRET_KEY is not set');
    expect(await database.db.selectFrom('project_mailboxes').selectAll().execute()).toEqual([]);

    const saved = await portico(args('on'), { DATABASE_URL: database.url!, PORTICO_SECRET_KEY: KEY });
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    expect(saved.stdout).toBe('Mailbox of HELP set: help@acme.test at imap.example.test:1993 (TLS), folder Support.\n');
    expect(saved.stdout).not.toContain('s3cret');
    const row = await database.db.selectFrom('project_mailboxes').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ host: 'imap.example.test', port: 1993, tls: true, username: 'help@acme.test', folder: 'Support' });
    expect(row.password_sealed).not.toContain('s3cret');
    expect(openSecret(KEY, row.password_sealed)).toBe('s3cret:pass');

    const usage = await portico(['mailbox', 'set', '--site', 'acme', '--url', URL_ARG], { DATABASE_URL: database.url!, PORTICO_SECRET_KEY: KEY });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--project is required');
    const badUrl = await portico(['mailbox', 'set', '--site', 'acme', '--project', 'HELP', '--url', 'http://x'], { DATABASE_URL: database.url!, PORTICO_SECRET_KEY: KEY });
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain('must start with imap:// or imaps://');
  }, SLOW);

  it('E7: a mail server on loopback is refused with the plain message unless PORTICO_MAILBOX_ALLOWED_HOSTS allows it', async () => {
    const loopback = ['mailbox', 'set', '--site', 'acme', '--project', 'HELP', '--url', 'imap://help%40acme.test:pw@127.0.0.1:1143/INBOX'];
    const before = await database.db.selectFrom('project_mailboxes').selectAll().execute();
    const refused = await portico(loopback, { DATABASE_URL: database.url!, PORTICO_SECRET_KEY: KEY });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("This mail server's address is on a private network that this Portico does not allow.");
    expect(await database.db.selectFrom('project_mailboxes').selectAll().execute()).toEqual(before);
    const allowed = await portico(loopback, { DATABASE_URL: database.url!, PORTICO_SECRET_KEY: KEY, PORTICO_MAILBOX_ALLOWED_HOSTS: '127.0.0.1' });
    expect(allowed.stderr).toBe('');
    expect(allowed.stdout).toBe('Mailbox of HELP set: help@acme.test at 127.0.0.1:1143 (no TLS), folder INBOX.\n');
  }, SLOW);
});

describe.runIf(TEST_DB_KIND === 'pglite')('portico mailbox set on a PGlite data directory held by a server', () => {
  let dir: string;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'portico-cli-mailbox-'));
    await createPgliteDataDir(dir, { demo: true });
    server = await startServer({ ...loadConfig({}), logLevel: 'silent', dataDir: dir, port: 0, host: '127.0.0.1', demo: false, secretKey: KEY, mailboxPollSeconds: 3600 });
  }, SLOW);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('works through the running server, whose key seals the password (the command needs none)', async () => {
    const result = await portico(args('off'), { PORTICO_DATA_DIR: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Mailbox of HELP set: help@acme.test at imap.example.test:1993 (no TLS), folder Support.\n');
    const row = await server!.handle.db.selectFrom('project_mailboxes').selectAll().executeTakeFirstOrThrow();
    expect(row.tls).toBe(false);
    expect(openSecret(KEY, row.password_sealed)).toBe('s3cret:pass');
    const audit = await server!.handle.db.selectFrom('audit_events').select(['action', 'actor_id', 'details']).where('action', '=', 'project.mailbox.changed').execute();
    expect(audit).toEqual([{ action: 'project.mailbox.changed', actor_id: null, details: expect.objectContaining({ project: 'HELP', host: 'imap.example.test' }) }]);
    expect(JSON.stringify(audit)).not.toContain('s3cret');

    const unknown = await portico(['mailbox', 'set', '--site', 'acme', '--project', 'NOPE', '--url', URL_ARG], { PORTICO_DATA_DIR: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Service project 'NOPE' not found.");

    // the server's own configuration decides (it allows no private mail server): refused, nothing changed
    const loopback = await portico(['mailbox', 'set', '--site', 'acme', '--project', 'HELP', '--url', 'imap://u:p@localhost:1143/INBOX'], { PORTICO_DATA_DIR: dir });
    expect(loopback.code).toBe(1);
    expect(loopback.stderr).toContain("This mail server's address is on a private network that this Portico does not allow.");
    expect((await server!.handle.db.selectFrom('project_mailboxes').select('host').executeTakeFirstOrThrow()).host).toBe('imap.example.test');
  }, SLOW);
});
