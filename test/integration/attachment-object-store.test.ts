import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { request as httpRequest } from 'node:http';
import { createTestApp, loginCustomer, loginStaff, accountIdOf, as, type Session, type TestApp } from '../support/app.js';
import { staffAuth } from './rest-helpers.js';
import { TestS3Server } from '../support/s3.js';
import { rawMail } from '../support/dovecot.js';
import { failOnRow } from '../support/failure-injection.js';
import { buildApp } from '../../src/http/app.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { receiveMail, MailWaitsForStore } from '../../src/use-cases/inbound-mail/receive-mail.js';
import type { Config } from '../../src/config.js';
import type { App } from '../../src/http/deps.js';

// Attachments in an S3-compatible object store (docs/product.md#attachments): a real S3 server
// (s3rver) on loopback; what the bucket holds is read through the S3 API.

let s3: TestS3Server;
let t: TestApp;
/** the app with the object store configured */
let app: App;
/** the same database without an object store: attachments in the database, as before */
let dbApp: App;
let storeConfig: Config;
let alice: Session, carol: Session, sam: Session, greta: Session;
let aliceKey: string;
let helpProjectId: string;
let acmeSiteId: string;

const upload = (target: App, key: string, who: Record<string, string>, name: string, type: string, body: string | Buffer) =>
  target.inject({ method: 'POST', url: `/s/acme/api/portal/requests/${key}/attachments?filename=${encodeURIComponent(name)}`, headers: { ...who, 'content-type': type }, payload: body });
const list = async (target: App, key: string, who: Record<string, string>) => (await target.inject({ method: 'GET', url: `/s/acme/api/portal/requests/${key}/attachments`, headers: who })).json().values as Array<{ id: string; fileName: string; size: number }>;
const download = (target: App, key: string, id: string, who: Record<string, string>) => target.inject({ method: 'GET', url: `/s/acme/api/portal/requests/${key}/attachments/${id}`, headers: who });
const rowOf = (id: string) => t.db.selectFrom('request_attachments').select(['content', 'storage_key', 'size']).where('id', '=', id).executeTakeFirstOrThrow();
const rowCount = async () => Number((await t.db.selectFrom('request_attachments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

/** A port nothing listens on: an object store that cannot be reached. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  s3 = await TestS3Server.start();
  t = await createTestApp();
  console.log(`database: ${t.database.label}`);
  storeConfig = { ...t.config, objectStore: s3.settings() };
  app = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: storeConfig });
  dbApp = t.app;
  alice = await loginCustomer(app, 'acme', 'alice@customer.test');
  carol = await loginCustomer(app, 'acme', 'carol@customer.test');
  sam = await loginStaff(app, 'agent@acme.test');
  greta = await loginStaff(app, 'admin@globex.test');
  const aliceId = await accountIdOf(t.db, 'alice@customer.test', 'acme');
  const request = await t.db.selectFrom('requests').select(['key', 'project_id', 'site_id']).where('reporter_id', '=', aliceId).orderBy('id').executeTakeFirstOrThrow();
  aliceKey = request.key;
  helpProjectId = String(request.project_id);
  acmeSiteId = request.site_id;
});
afterAll(async () => {
  await app?.close();
  await t?.close();
  await s3?.stop();
});

describe('with an object store configured', () => {
  let fileId: string;
  let objectKey: string;

  it('E5: a file uploaded in the help center lands in the bucket, the database keeps only its key, and it downloads with the same headers', async () => {
    expect(await s3.keys()).toEqual([]);
    const res = await upload(app, aliceKey, as(alice), 'printer log.txt', 'text/plain', 'paper jam at 10:02');
    expect(res.statusCode, res.body).toBe(201);
    fileId = res.json().id;
    expect(res.json()).toMatchObject({ fileName: 'printer log.txt', contentType: 'text/plain', size: 18 });

    const keys = await s3.keys();
    expect(keys).toHaveLength(1);
    objectKey = keys[0]!;
    expect(objectKey).toMatch(new RegExp(`^portico/attachments/${acmeSiteId}/[0-9a-f-]{36}$`));
    expect((await s3.read(objectKey)).toString()).toBe('paper jam at 10:02');
    expect(await rowOf(fileId)).toEqual({ content: null, storage_key: objectKey, size: 18 });

    const got = await download(app, aliceKey, fileId, as(alice));
    expect(got.statusCode).toBe(200);
    expect(got.body).toBe('paper jam at 10:02');
    expect(got.headers).toMatchObject({
      'content-type': 'text/plain',
      'content-length': '18',
      'content-disposition': `attachment; filename="printer log.txt"; filename*=UTF-8''printer%20log.txt`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
    });
    // the agent sees it too
    expect((await download(app, aliceKey, fileId, as(sam))).body).toBe('paper jam at 10:02');
  });

  it('E5: a file in the store downloads only after the request\'s own check: another customer, another organization and nobody get 404 or 401', async () => {
    expect((await download(app, aliceKey, fileId, as(carol))).statusCode).toBe(404);
    expect((await download(app, aliceKey, fileId, as(greta))).statusCode).toBe(404);
    expect((await download(app, aliceKey, fileId, {})).statusCode).toBe(401);
    // another request's URL with this file's id: 404, the file belongs to its own request only
    const other = (await t.db.selectFrom('requests').select('key').where('site_id', '=', acmeSiteId).where('key', '!=', aliceKey).orderBy('id').executeTakeFirstOrThrow()).key;
    expect((await download(app, other, fileId, as(sam))).statusCode).toBe(404);
  });

  it('a REST client with an API token uploads the same way; a 6 MB file goes up in parts and comes back whole', async () => {
    const token = await staffAuth(t, 'agent@acme.test', 'bearer');
    const big = Buffer.alloc(6 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 251;
    const res = await upload(app, aliceKey, token, 'scan.pdf', 'application/pdf', big);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().size).toBe(big.length);
    const row = await rowOf(res.json().id);
    expect(row.content).toBeNull();
    expect(await s3.keys()).toContain(row.storage_key);
    expect((await s3.read(row.storage_key!)).equals(big)).toBe(true);
    const got = await download(app, aliceKey, res.json().id, token);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(big)).toBe(true);
  });

  it("files attached with a REST comment (attachTemporaryFile, then the comment) wait in the database and go to the bucket with the comment", async () => {
    const boundary = 'store-boundary';
    const body = Buffer.from([`--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="trace.txt"', 'Content-Type: text/plain', '', 'stack trace', `--${boundary}--`, ''].join('\r\n'));
    const before = await s3.keys();
    const kept = await app.inject({ method: 'POST', url: `/s/acme/rest/servicedeskapi/servicedesk/${helpProjectId}/attachTemporaryFile`, headers: { ...as(alice), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    expect(kept.statusCode, kept.body).toBe(201);
    expect(await s3.keys()).toEqual(before);
    const ids = kept.json().temporaryAttachments.map((f: { temporaryAttachmentId: string }) => f.temporaryAttachmentId);
    const made = await app.inject({ method: 'POST', url: `/s/acme/rest/servicedeskapi/request/${aliceKey}/attachment`, headers: as(alice), payload: { temporaryAttachmentIds: ids, public: true } });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().comment.body).toBe('Attached: trace.txt');
    const id = String(made.json().attachments.values[0]._links.self).split('/').pop()!;
    const row = await rowOf(id);
    expect(row.content).toBeNull();
    expect((await s3.read(row.storage_key!)).toString()).toBe('stack trace');
    expect(await t.db.selectFrom('temporary_attachments').select('id').where('id', 'in', ids).execute()).toEqual([]);
  });

  it('a file over 10 MB, an empty file, a type not allowed and a caller who may not see the request leave nothing in the bucket or the database', async () => {
    const before = { keys: await s3.keys(), rows: await rowCount() };
    const tooBig = await upload(app, aliceKey, as(alice), 'huge.zip', 'application/zip', Buffer.alloc(10 * 1024 * 1024 + 1));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().errorMessages).toEqual(['A file can be at most 10 MB.']);
    const empty = await upload(app, aliceKey, as(alice), 'empty.txt', 'text/plain', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errorMessages).toEqual(['The file is empty.']);
    expect((await upload(app, aliceKey, as(alice), 'page.html', 'text/html', '<script>x</script>')).statusCode).toBe(415);
    expect((await upload(app, aliceKey, as(carol), 'x.txt', 'text/plain', 'nosy')).statusCode).toBe(404);
    expect({ keys: await s3.keys(), rows: await rowCount() }).toEqual(before);
  });

  it('a body sent without a length (chunked) is counted as it streams: past 10 MB the upload stops with 413, and the parts already sent are dropped', async () => {
    const before = { keys: await s3.keys(), rows: await rowCount() };
    const chunk = Buffer.alloc(1024 * 1024, 7);
    // over real HTTP: a request body streamed with Transfer-Encoding: chunked, no Content-Length
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    /** Sends `chunks` megabytes as a chunked body and resolves with the answer as soon as it comes (even mid-body). */
    const send = (name: string, chunks: number) =>
      new Promise<{ status: number; json: { id: string; size: number; errorMessages: string[] } }>((resolve, reject) => {
        const req = httpRequest(`${base}/s/acme/api/portal/requests/${aliceKey}/attachments?filename=${name}`, {
          method: 'POST',
          headers: { ...as(alice), 'content-type': 'application/zip', origin: 'http://localhost:80', 'transfer-encoding': 'chunked' },
        });
        let answered = false;
        req.on('response', (res) => {
          answered = true;
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
        });
        req.on('error', (error) => (answered ? undefined : reject(error)));
        (async () => {
          for (let i = 0; i < chunks && !answered; i++) {
            if (!req.write(chunk)) await new Promise((r) => req.once('drain', r).once('close', r));
          }
          req.end();
        })().catch(() => {});
      });
    const tooBig = await send('big.zip', 12);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.errorMessages).toEqual(['A file can be at most 10 MB.']);
    expect({ keys: await s3.keys(), rows: await rowCount() }).toEqual(before);
    // and a chunked body within the cap (three parts' worth of megabytes: two parts) is stored whole
    const ok = await send('seven.zip', 7);
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
    expect(ok.json.size).toBe(7 * chunk.length);
    expect((await s3.read((await rowOf(ok.json.id)).storage_key!)).equals(Buffer.concat(Array(7).fill(chunk)))).toBe(true);
  });

  it('when the database refuses the row, the object just written is deleted again: no row without its object, no object without its row', async () => {
    const before = { keys: await s3.keys(), rows: await rowCount() };
    const failure = await failOnRow(t.db, { table: 'request_attachments', op: 'INSERT', nth: 1 });
    try {
      const res = await upload(app, aliceKey, as(alice), 'notes.txt', 'text/plain', 'will not stay');
      expect(res.statusCode).toBe(500);
      expect(await failure.seen()).toBe(1);
    } finally {
      await failure.remove();
    }
    expect({ keys: await s3.keys(), rows: await rowCount() }).toEqual(before);
  });

  it("E5: a revoked customer's files in the store stay with her request for those who may see it", async () => {
    const aliceId = await accountIdOf(t.db, 'alice@customer.test', 'acme');
    const ada = await loginStaff(app, 'admin@acme.test');
    expect((await app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${aliceId}/revoke`, headers: as(ada) })).statusCode).toBe(200);
    try {
      expect((await download(app, aliceKey, fileId, as(alice))).statusCode).toBe(401);
      const got = await download(app, aliceKey, fileId, as(sam));
      expect(got.statusCode).toBe(200);
      expect(got.body).toBe('paper jam at 10:02');
      expect(await s3.keys()).toContain(objectKey);
    } finally {
      expect((await app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${aliceId}/grant`, headers: as(ada) })).statusCode).toBe(200);
    }
    alice = await loginCustomer(app, 'acme', 'alice@customer.test');
  });
});

describe('old and new attachments side by side', () => {
  it('without a store files stay in the database as before; after the switch the old ones are still served from the database and the new ones from the bucket', async () => {
    const keysBefore = await s3.keys();
    const old = await upload(dbApp, aliceKey, as(await loginCustomer(dbApp, 'acme', 'alice@customer.test')), 'before.txt', 'text/plain', 'kept in the database');
    expect(old.statusCode, old.body).toBe(201);
    const oldRow = await rowOf(old.json().id);
    expect(oldRow.storage_key).toBeNull();
    expect(Buffer.from(oldRow.content!).toString()).toBe('kept in the database');
    expect(await s3.keys()).toEqual(keysBefore);

    const fresh = await upload(app, aliceKey, as(alice), 'after.txt', 'text/plain', 'kept in the bucket');
    expect(fresh.statusCode).toBe(201);
    expect((await rowOf(fresh.json().id)).content).toBeNull();
    expect((await s3.keys()).length).toBe(keysBefore.length + 1);

    const names = (await list(app, aliceKey, as(alice))).map((f) => f.fileName);
    expect(names).toEqual(expect.arrayContaining(['before.txt', 'after.txt', 'printer log.txt']));
    expect((await download(app, aliceKey, old.json().id, as(alice))).body).toBe('kept in the database');
    expect((await download(app, aliceKey, fresh.json().id, as(alice))).body).toBe('kept in the bucket');
    // the app without a store still serves its own files
    expect((await download(dbApp, aliceKey, old.json().id, as(alice))).body).toBe('kept in the database');
  });
});

describe('a store that cannot be reached', () => {
  it('an upload answers 503 with a plain message and saves nothing; a download of a file in the store answers 503, one in the database still works', async () => {
    const downConfig: Config = { ...t.config, objectStore: s3.settings({ endpoint: `http://127.0.0.1:${await closedPort()}` }) };
    const down = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: downConfig });
    try {
      const session = await loginCustomer(down, 'acme', 'alice@customer.test');
      const before = { keys: await s3.keys(), rows: await rowCount() };
      const res = await upload(down, aliceKey, as(session), 'report.txt', 'text/plain', 'lost?');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'unavailable', errorMessages: ['The file store is not reachable right now, so the file was not saved. Try again in a moment.'] });
      expect(res.body).not.toMatch(/ECONNREFUSED|at .*\.js|127\.0\.0\.1/);
      expect({ keys: await s3.keys(), rows: await rowCount() }).toEqual(before);

      const files = await list(down, aliceKey, as(session));
      const inStore = files.find((f) => f.fileName === 'after.txt')!;
      const inDb = files.find((f) => f.fileName === 'before.txt')!;
      // the request's own check comes before the store is asked: Carol gets 404, not the store's 503
      const carolDown = await loginCustomer(down, 'acme', 'carol@customer.test');
      expect((await download(down, aliceKey, inStore.id, as(carolDown))).statusCode).toBe(404);
      expect((await upload(down, aliceKey, as(carolDown), 'x.txt', 'text/plain', 'nosy')).statusCode).toBe(404);
      const got = await download(down, aliceKey, inStore.id, as(session));
      expect(got.statusCode).toBe(503);
      expect(got.json().errorMessages).toEqual(['The file store is not reachable right now, so the file cannot be downloaded. Try again in a moment.']);
      expect((await download(down, aliceKey, inDb.id, as(session))).body).toBe('kept in the database');
    } finally {
      await down.close();
    }
  });
});

describe('attachments of mail', () => {
  let uid = 0;
  const mailWithFile = (from: string, subject: string) =>
    Buffer.from(
      rawMail(
        { From: from, To: 'help@acme.test', Subject: subject, 'Message-ID': `<s3-${++uid}.${Date.now()}@customer.test>`, 'MIME-Version': '1.0', 'Content-Type': 'multipart/mixed; boundary="b1"' },
        '--b1\r\nContent-Type: text/plain\r\n\r\nSee the attached log.\r\n--b1\r\nContent-Type: text/plain; name="mail-log.txt"\r\nContent-Disposition: attachment; filename="mail-log.txt"\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
          Buffer.from('jam by mail').toString('base64') +
          '\r\n--b1--',
      ),
    );
  const context = (config: Config) => ({ db: t.db, ip: null, userAgent: 'test poller', mailer: createOutboxMailer(), config, origin: 'http://localhost:80' });
  const incoming = (source: Buffer) => ({ projectId: helpProjectId, siteId: acmeSiteId, mailboxAddress: 'help@acme.test', uidValidity: '1', uid, source });

  it("a mail's attachment goes to the bucket with the request it raises; a revoked sender's mail leaves nothing there", async () => {
    const before = await s3.keys();
    const outcome = await receiveMail(context(storeConfig), incoming(mailWithFile('Alice <alice@customer.test>', 'Scanner offline')));
    expect(outcome).toMatchObject({ outcome: 'request' });
    const key = (outcome as { requestKey: string }).requestKey;
    const files = await list(app, key, as(alice));
    expect(files.map((f) => f.fileName)).toEqual(['mail-log.txt']);
    const row = await rowOf(files[0]!.id);
    expect(row.content).toBeNull();
    expect(await s3.keys()).toEqual([...before, row.storage_key].sort());
    expect((await download(app, key, files[0]!.id, as(alice))).body).toBe('jam by mail');

    const rows = await rowCount();
    const refused = await receiveMail(context(storeConfig), incoming(mailWithFile('Dave <dave@customer.test>', 'Let me back in')));
    expect(refused).toEqual({ outcome: 'refused', reason: "the sender's account is revoked" });
    expect(await rowCount()).toBe(rows);
    expect(await s3.keys()).toEqual([...before, row.storage_key].sort());
  });

  it('while the store cannot be reached a mail is not handled at all: it waits for the next poll', async () => {
    const downConfig: Config = { ...t.config, objectStore: s3.settings({ endpoint: `http://127.0.0.1:${await closedPort()}` }) };
    const claimed = async () => Number((await t.db.selectFrom('inbound_messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = { claimed: await claimed(), rows: await rowCount(), requests: (await t.db.selectFrom('requests').select('id').execute()).length };
    const source = mailWithFile('Alice <alice@customer.test>', 'Scanner offline again');
    await expect(receiveMail(context(downConfig), incoming(source))).rejects.toThrow(MailWaitsForStore);
    expect({ claimed: await claimed(), rows: await rowCount(), requests: (await t.db.selectFrom('requests').select('id').execute()).length }).toEqual(before);
    // the next poll, with the store back, handles it
    expect(await receiveMail(context(storeConfig), incoming(source))).toMatchObject({ outcome: 'request' });
  });
});
