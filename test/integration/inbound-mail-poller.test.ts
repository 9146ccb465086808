import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { createTestApp, loginStaff, as, type TestApp } from '../support/app.js';
import { TEST_DB_KIND } from '../support/db.js';
import { openPostgres, type DbHandle } from '../../src/db/connection.js';
import { startBackgroundWork, type BackgroundWork } from '../../src/jobs/index.js';

// One mailbox poller across instances (docs/architecture.md#incoming-mail): two Portico processes'
// job runners on one PostgreSQL database both offer the poll every second, and a mailbox server that
// never answers shows how many polls read at the same time.

describe.runIf(TEST_DB_KIND === 'postgres')('the mailbox poller on two instances', () => {
  let t: TestApp;
  let silent: Server;
  const open = new Set<Socket>();
  let connections = 0;
  let mostAtOnce = 0;
  const handles: DbHandle[] = [];
  const instances: BackgroundWork[] = [];

  beforeAll(async () => {
    // the never-greeting server is on loopback: allowed explicitly (docs/security.md, E7)
    t = await createTestApp({ config: { secretKey: 'poller-test-secret-key-0123456789abcdefgh', mailboxAllowedHosts: ['127.0.0.1'] } });
    // an IMAP server that accepts connections and never greets: a poll holds until its timeout
    silent = createServer((socket) => {
      connections++;
      open.add(socket);
      mostAtOnce = Math.max(mostAtOnce, open.size);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const ada = await loginStaff(t.app, 'admin@acme.test');
    const res = await t.app.inject({ method: 'PUT', url: '/api/admin/sites/acme/projects/HELP/mailbox', headers: as(ada), payload: { host: '127.0.0.1', port, tls: false, user: 'help@acme.test', password: 'x' } });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => {
    for (const socket of open) socket.destroy();
    await Promise.all(instances.map((i) => i.stop()));
    await Promise.all(handles.map((h) => h.close()));
    await new Promise<void>((resolve) => silent?.close(() => resolve()));
    await t?.close();
  });

  it('E6: reads with one poller at a time however many instances offer the poll', async () => {
    for (let i = 0; i < 2; i++) {
      const handle = openPostgres(t.database.url!, 3);
      handles.push(handle);
      const work = await startBackgroundWork(handle, { ...t.config, jobPollSeconds: 0.5, mailboxPollSeconds: 1 });
      instances.push(work);
      work.startMailboxPolling('http://localhost:80');
    }
    await vi.waitFor(() => expect(connections).toBeGreaterThanOrEqual(1), { timeout: 15_000, interval: 100 });
    // six more offers from each instance while the first poll holds: none of them starts a second reader
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(mostAtOnce).toBe(1);
    expect(connections).toBe(1);
    // when the held poll ends (the server hangs up), the next offer reads again
    for (const socket of open) socket.destroy();
    await vi.waitFor(() => expect(connections).toBeGreaterThanOrEqual(2), { timeout: 15_000, interval: 100 });
    expect(mostAtOnce).toBe(1);
    const mailbox = await t.db.selectFrom('project_mailboxes').select(['last_error', 'last_polled_at']).executeTakeFirstOrThrow();
    expect(mailbox.last_polled_at).not.toBeNull();
  }, 60_000);
});
