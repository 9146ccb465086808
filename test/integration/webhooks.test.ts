import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { createTestApp, loginStaff, accountIdOf, as, type Session, type TestApp } from '../support/app.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/deps.js';
import type { Config } from '../../src/config.js';
import { startBackgroundWork, type BackgroundWork } from '../../src/jobs/index.js';
import { deliverDueWebhooks } from '../../src/use-cases/webhooks/deliver-due-webhooks.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { revokeExpiredAccess } from '../../src/use-cases/customer-access/revoke-expired-access.js';
import type { AppContext } from '../../src/use-cases/context.js';

// Webhooks (docs/product.md#webhooks): an organization's endpoints get signed customer events
// (Standard Webhooks), written to an outbox in the change's transaction and delivered by the job
// runner to a real HTTP receiver on loopback, which checks each signature with standardwebhooks' own
// Webhook.verify. Retries are due by an injected clock that the tests move; nothing sleeps for them.

const SECRET_KEY = 'webhook-test-secret-key-0123456789abcdefghij';
const webhookSettings = { allowedHosts: ['127.0.0.1'], retryLimit: 3, retryDelaySeconds: 60, timeoutSeconds: 1, pollSeconds: 3600 };

interface Received {
  id: string;
  type: string;
  accountId: string;
  verified: boolean;
}

/** A webhook endpoint on loopback: answers as `mode` says, verifies every signature it is sent. */
class Receiver {
  server!: Server;
  url = '';
  secret = '';
  /** what each next request gets: 'ok' (204), 'fail' (500) or 'hang' (no answer until closed) */
  modes: Array<'ok' | 'fail' | 'hang'> = [];
  fallback: 'ok' | 'fail' | 'hang' = 'ok';
  received: Received[] = [];
  accepted: Received[] = [];
  private hanging: ServerResponse[] = [];

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hooks`;
    return this;
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      let event: { type: string; data: { accountId: string } } | undefined;
      try {
        event = new Webhook(this.secret).verify(body, req.headers as Record<string, string>) as typeof event;
        verified = true;
      } catch {
        event = JSON.parse(body);
      }
      const entry = { id: String(req.headers['webhook-id']), type: event!.type, accountId: event!.data.accountId, verified };
      this.received.push(entry);
      const mode = this.modes.shift() ?? this.fallback;
      if (mode === 'hang') {
        this.hanging.push(res);
        return;
      }
      if (mode === 'fail') {
        res.writeHead(500).end('broken');
        return;
      }
      this.accepted.push(entry);
      res.writeHead(204).end();
    });
  }

  async close() {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let t: TestApp;
let ada: Session;
let greta: Session;
let acmeOrg: string;
let now: Date;
let background: BackgroundWork;
let app: App;
const clock = () => now;
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

beforeAll(async () => {
  t = await createTestApp({ config: { secretKey: SECRET_KEY, webhooks: webhookSettings } });
  console.log(`database: ${t.database.label}`);
  now = new Date();
  const config: Config = { ...t.config, jobPollSeconds: 0.5 };
  background = await startBackgroundWork(t.database, config, { now: clock, onError: (e) => console.error('job error', e) });
  app = await buildApp({ db: t.db, mailer: background.mailer, webhooks: background.webhooks, config });
  await app.ready();
  ada = await loginStaff(app, 'admin@acme.test');
  greta = await loginStaff(app, 'admin@globex.test');
  acmeOrg = (await t.db.selectFrom('sites').select('org_id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).org_id;
});
afterAll(async () => {
  await app?.close();
  await background?.stop();
  await t?.close();
});

const eventually = (check: () => Promise<void> | void) => vi.waitFor(check, { timeout: 20_000, interval: 50 });

async function subscribe(receiver: Receiver, events: string[], session = ada) {
  const res = await app.inject({ method: 'POST', url: `/api/admin/orgs/${acmeOrg}/webhooks`, headers: as(session), payload: { url: receiver.url, events, description: 'test receiver' } });
  if (res.statusCode === 201) receiver.secret = res.json().secret;
  return res;
}
function customerAction(accountId: string, action: 'revoke' | 'grant') {
  return app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${accountId}/${action}`, headers: as(ada) });
}
async function deliveries(subscriptionId: string) {
  const res = await app.inject({ method: 'GET', url: `/api/admin/orgs/${acmeOrg}/webhooks/${subscriptionId}/deliveries`, headers: as(ada) });
  expect(res.statusCode).toBe(200);
  return res.json().values as Array<{ id: string; messageId: string; eventType: string; customerId: string; status: string; attempts: number; lastError: string | null; lastStatusCode: number | null; resendOf: string | null }>;
}
async function subscription(id: string) {
  const res = await app.inject({ method: 'GET', url: `/api/admin/orgs/${acmeOrg}/webhooks`, headers: as(ada) });
  return (res.json().values as Array<{ id: string; enabled: boolean; disabledReason: string | null }>).find((s) => s.id === id)!;
}
async function removeSubscription(id: string) {
  expect((await app.inject({ method: 'DELETE', url: `/api/admin/orgs/${acmeOrg}/webhooks/${id}`, headers: as(ada) })).statusCode).toBe(204);
}

describe('webhook subscriptions', () => {
  it('E9: an org admin subscribes an endpoint: the signing secret is in that answer only, the list never shows it, and the change is audited', async () => {
    const receiver = await new Receiver().start();
    try {
      const res = await subscribe(receiver, ['customer.access.revoked']);
      expect(res.statusCode).toBe(201);
      const created = res.json();
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(created).toMatchObject({ url: receiver.url, events: ['customer.access.revoked'], enabled: true });
      const list = await app.inject({ method: 'GET', url: `/api/admin/orgs/${acmeOrg}/webhooks`, headers: as(ada) });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(created.secret);
      expect(list.body).not.toContain(created.secret.slice(6));
      const stored = await t.db.selectFrom('webhook_subscriptions').select('secret_sealed').where('id', '=', created.id).executeTakeFirstOrThrow();
      expect(stored.secret_sealed.startsWith('v1:')).toBe(true);
      expect(stored.secret_sealed).not.toContain(created.secret.slice(6));
      const audit = await t.db.selectFrom('audit_events').select(['action', 'actor_id']).where('action', '=', 'webhook.subscription.created').execute();
      expect(audit.length).toBeGreaterThan(0);
      await removeSubscription(created.id);
    } finally {
      await receiver.close();
    }
  });

  it('another organization’s admin, a site admin and an agent find no such organization (404); bad input is a 400 with a message', async () => {
    const receiver = await new Receiver().start();
    try {
      expect((await subscribe(receiver, ['customer.created'], greta)).statusCode).toBe(404);
      const sam = await loginStaff(app, 'agent@acme.test');
      expect((await app.inject({ method: 'GET', url: `/api/admin/orgs/${acmeOrg}/webhooks`, headers: as(sam) })).statusCode).toBe(404);
      const unknownEvent = await subscribe(receiver, ['customer.exploded']);
      expect(unknownEvent.statusCode).toBe(400);
      expect(unknownEvent.json().errorMessages[0]).toMatch(/Unknown event type/);
      const badUrl = await app.inject({ method: 'POST', url: `/api/admin/orgs/${acmeOrg}/webhooks`, headers: as(ada), payload: { url: 'ftp://example.com/x', events: ['customer.created'] } });
      expect(badUrl.statusCode).toBe(400);
      expect(badUrl.json().errors.url).toMatch(/http/);
    } finally {
      await receiver.close();
    }
  });

  it('E8: an endpoint on loopback or a private network is refused unless the operator allows it (PORTICO_WEBHOOK_ALLOWED_HOSTS)', async () => {
    const strict = await buildApp({ db: t.db, mailer: background.mailer, config: { ...t.config, webhooks: { ...webhookSettings, allowedHosts: [] } } });
    await strict.ready();
    try {
      const session = await loginStaff(strict, 'admin@acme.test');
      for (const url of ['http://127.0.0.1:9/x', 'http://[::1]/x', 'http://10.0.0.8/hook', 'http://169.254.169.254/latest/meta-data', 'http://localhost/x']) {
        const res = await strict.inject({ method: 'POST', url: `/api/admin/orgs/${acmeOrg}/webhooks`, headers: as(session), payload: { url, events: ['customer.created'] } });
        expect(res.statusCode, url).toBe(400);
        expect(res.json().errorMessages).toEqual(["This endpoint's address is on a private network that this Portico does not allow."]);
      }
    } finally {
      await strict.close();
    }
  });
});

describe('webhook delivery', () => {
  it('E8: an endpoint that is private when an attempt is made gets no connection: the attempt checks the address again and records the refusal', async () => {
    const receiver = await new Receiver().start();
    const sub = (await subscribe(receiver, ['customer.access.revoked'])).json();
    try {
      await t.db.updateTable('webhook_subscriptions').set({ disabled_at: new Date() }).where('id', '=', sub.id).execute(); // the runner keeps off it
      const bob = await accountIdOf(t.db, 'bob@customer.test', 'acme');
      await t.db
        .insertInto('webhook_deliveries')
        .values({ subscription_id: sub.id, org_id: acmeOrg, message_id: 'msg_e8', event_type: 'customer.access.revoked', customer_id: bob, payload: '{}', next_attempt_at: now, created_at: now })
        .execute();
      await t.db.updateTable('webhook_subscriptions').set({ disabled_at: null }).where('id', '=', sub.id).execute();
      // an instance whose operator allows no private endpoint makes the attempt
      await deliverDueWebhooks({ db: t.db, mailer: createOutboxMailer(), settings: { ...webhookSettings, allowedHosts: [] }, secretKey: SECRET_KEY, clock, origin: () => undefined });
      const row = await t.db.selectFrom('webhook_deliveries').select(['attempts', 'last_error', 'status']).where('message_id', '=', 'msg_e8').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ attempts: 1, status: 'pending', last_error: "This endpoint's address is on a private network that this Portico does not allow." });
      expect(receiver.received).toHaveLength(0);
    } finally {
      await removeSubscription(sub.id);
      await receiver.close();
    }
  });

  it('a revoke writes its event in the revoke’s own transaction; a revoke that changes nothing writes none', async () => {
    const receiver = await new Receiver().start();
    receiver.fallback = 'hang'; // nothing is delivered during this test
    const sub = (await subscribe(receiver, ['customer.access.revoked'])).json();
    try {
      await t.db.updateTable('webhook_subscriptions').set({ disabled_at: new Date() }).where('id', '=', sub.id).execute(); // hold delivery
      await t.db.updateTable('webhook_subscriptions').set({ disabled_at: null }).where('id', '=', sub.id).execute();
      const dave = await accountIdOf(t.db, 'dave@customer.test', 'acme'); // revoked already in the demo
      expect((await customerAction(dave, 'revoke')).statusCode).toBe(200);
      const rows = await t.db.selectFrom('webhook_deliveries').select('id').where('subscription_id', '=', sub.id).execute();
      expect(rows).toHaveLength(0);
    } finally {
      await removeSubscription(sub.id);
      await receiver.close();
    }
  });

  it('a customer’s events arrive in order, signed, through a failure, a time-out and a recovery (exponential backoff on the injected clock)', async () => {
    const receiver = await new Receiver().start();
    receiver.modes = ['fail', 'hang'];
    const sub = (await subscribe(receiver, ['customer.access.revoked', 'customer.access.granted'])).json();
    try {
      const carol = await accountIdOf(t.db, 'carol@customer.test', 'acme');
      expect((await customerAction(carol, 'revoke')).statusCode).toBe(200);
      expect((await customerAction(carol, 'grant')).statusCode).toBe(200);

      // 1st attempt of the revoke: 500. The grant waits behind it.
      await eventually(async () => expect((await deliveries(sub.id)).find((d) => d.eventType === 'customer.access.revoked')?.attempts).toBe(1));
      let log = await deliveries(sub.id);
      const revoked = log.find((d) => d.eventType === 'customer.access.revoked')!;
      const granted = log.find((d) => d.eventType === 'customer.access.granted')!;
      expect(revoked).toMatchObject({ status: 'pending', lastStatusCode: 500, lastError: 'HTTP 500' });
      expect(granted).toMatchObject({ status: 'pending', attempts: 0 });

      // not due yet: a run now sends nothing
      background.deliverWebhooksNow();
      advance(59_000);
      background.deliverWebhooksNow();
      await new Promise((resolve) => setTimeout(resolve, 300)); // let both runs look (they find nothing due)
      expect(receiver.received).toHaveLength(1);

      // due after 60 s: the 2nd attempt gets no answer within the 1 s time-out
      advance(1_000);
      background.deliverWebhooksNow();
      await eventually(async () => expect((await deliveries(sub.id)).find((d) => d.id === revoked.id)?.attempts).toBe(2));
      log = await deliveries(sub.id);
      expect(log.find((d) => d.id === revoked.id)).toMatchObject({ status: 'pending', lastStatusCode: null });
      expect(log.find((d) => d.id === revoked.id)!.lastError).toMatch(/no answer within 1 s/);

      // the wait doubled: 120 s. Then the endpoint is back and both events arrive, in order.
      advance(119_000);
      background.deliverWebhooksNow();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.received).toHaveLength(2);
      advance(1_000);
      background.deliverWebhooksNow();
      await eventually(() => expect(receiver.accepted).toHaveLength(2));
      expect(receiver.accepted.map((r) => [r.type, r.accountId])).toEqual([
        ['customer.access.revoked', carol],
        ['customer.access.granted', carol],
      ]);
      expect(receiver.received.every((r) => r.verified)).toBe(true);
      // every attempt of one event carried the same webhook-id
      expect(new Set(receiver.received.slice(0, 3).map((r) => r.id)).size).toBe(1);
      // the receiver has answered; the sender records each answer just after
      await eventually(async () => {
        log = await deliveries(sub.id);
        expect(log.find((d) => d.id === revoked.id)).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 204, lastError: null });
        expect(log.find((d) => d.id === granted.id)).toMatchObject({ status: 'delivered', attempts: 1 });
      });
    } finally {
      await removeSubscription(sub.id);
      await receiver.close();
    }
  });

  it('resend sends a delivered event again with the same webhook-id, and the log shows the resend', async () => {
    const receiver = await new Receiver().start();
    const sub = (await subscribe(receiver, ['customer.updated'])).json();
    try {
      const bob = await accountIdOf(t.db, 'bob@customer.test', 'acme');
      const rename = await app.inject({ method: 'PUT', url: `/api/admin/sites/acme/customers/${bob}/name`, headers: as(ada), payload: { displayName: 'Bob Rebuilt' } });
      expect(rename.statusCode).toBe(200);
      await eventually(() => expect(receiver.accepted).toHaveLength(1));
      expect(receiver.accepted[0]).toMatchObject({ type: 'customer.updated', accountId: bob, verified: true });
      const [first] = await deliveries(sub.id);
      const resend = await app.inject({ method: 'POST', url: `/api/admin/orgs/${acmeOrg}/webhooks/${sub.id}/deliveries/${first!.id}/resend`, headers: as(ada) });
      expect(resend.statusCode).toBe(202);
      expect(resend.json()).toMatchObject({ resendOf: first!.id, messageId: first!.messageId, status: 'pending' });
      await eventually(() => expect(receiver.accepted).toHaveLength(2));
      expect(receiver.accepted[1]!.id).toBe(receiver.accepted[0]!.id);
      await eventually(async () => expect((await deliveries(sub.id))[0]).toMatchObject({ resendOf: first!.id, status: 'delivered' }));
      // another organization's admin cannot resend it
      const foreign = await app.inject({ method: 'POST', url: `/api/admin/orgs/${acmeOrg}/webhooks/${sub.id}/deliveries/${first!.id}/resend`, headers: as(greta) });
      expect(foreign.statusCode).toBe(404);
    } finally {
      await removeSubscription(sub.id);
      await receiver.close();
    }
  });

  it('an endpoint that keeps failing is switched off with a notice to the org admins; switched on again, what waited is delivered in order', async () => {
    const receiver = await new Receiver().start();
    receiver.fallback = 'fail';
    const sub = (await subscribe(receiver, ['customer.access.revoked', 'customer.access.granted'])).json();
    try {
      const alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
      expect((await customerAction(alice, 'revoke')).statusCode).toBe(200);
      expect((await customerAction(alice, 'grant')).statusCode).toBe(200);
      // first try and 3 retries, 60 s, 120 s and 240 s apart
      for (const [attempt, wait] of [[1, 0], [2, 60_000], [3, 120_000], [4, 240_000]] as const) {
        advance(wait);
        background.deliverWebhooksNow();
        await eventually(async () => expect((await deliveries(sub.id)).find((d) => d.eventType === 'customer.access.revoked')?.attempts).toBe(attempt));
      }
      await eventually(async () => expect((await subscription(sub.id)).enabled).toBe(false));
      const off = await subscription(sub.id);
      expect(off.disabledReason).toMatch(/failed 4 delivery attempts in a row \(last: HTTP 500\)/);
      const log = await deliveries(sub.id);
      expect(log.find((d) => d.eventType === 'customer.access.revoked')!.status).toBe('failed');
      expect(log.find((d) => d.eventType === 'customer.access.granted')).toMatchObject({ status: 'pending', attempts: 0 });

      const outbox = await app.inject({ method: 'GET', url: `/api/orgs/${acmeOrg}/outbox?limit=10`, headers: as(ada) });
      const notice = (outbox.json().values as Array<{ to: string; subject: string; body: string }>).find((m) => m.subject === 'A webhook endpoint was switched off');
      expect(notice).toMatchObject({ to: 'admin@acme.test' });
      expect(notice!.body).toContain(receiver.url);
      const audit = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'webhook.subscription.disabled').execute();
      expect(audit.some((e) => JSON.stringify(e.details).includes(sub.id))).toBe(true);

      // nothing goes out while it is off, however much time passes
      advance(24 * 3_600_000);
      background.deliverWebhooksNow();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.received).toHaveLength(4);

      receiver.fallback = 'ok';
      const on = await app.inject({ method: 'PUT', url: `/api/admin/orgs/${acmeOrg}/webhooks/${sub.id}`, headers: as(ada), payload: { enabled: true } });
      expect(on.statusCode).toBe(200);
      expect(on.json()).toMatchObject({ enabled: true, disabledReason: null });
      await eventually(() => expect(receiver.accepted).toHaveLength(1));
      expect(receiver.accepted[0]).toMatchObject({ type: 'customer.access.granted', accountId: alice, verified: true });
    } finally {
      await removeSubscription(sub.id);
      await receiver.close();
    }
  });

  it('a bulk revoke and grant send one event per customer changed, each customer’s in order', async () => {
    const receiver = await new Receiver().start();
    const sub = (await subscribe(receiver, ['customer.access.revoked', 'customer.access.granted'])).json();
    try {
      const ids = [await accountIdOf(t.db, 'bob@customer.test', 'acme'), await accountIdOf(t.db, 'carol@customer.test', 'acme')];
      for (const action of ['revoke', 'grant'] as const) {
        const res = await app.inject({ method: 'POST', url: '/api/admin/sites/acme/customers/bulk', headers: as(ada), payload: { action, accountIds: ids, dryRun: false } });
        expect(res.statusCode).toBe(200);
      }
      await eventually(() => expect(receiver.accepted).toHaveLength(4));
      for (const id of ids) {
        expect(receiver.accepted.filter((r) => r.accountId === id).map((r) => r.type)).toEqual(['customer.access.revoked', 'customer.access.granted']);
      }
      expect(receiver.accepted.every((r) => r.verified)).toBe(true);
    } finally {
      await removeSubscription(sub.id);
      await receiver.close();
    }
  });

  it('a customer whose "access until" passes is revoked by the schedule, and the subscriber is told as for an admin\'s revoke', async () => {
    const receiver = await new Receiver().start();
    const sub = (await subscribe(receiver, ['customer.access.revoked'])).json();
    try {
      const bob = await accountIdOf(t.db, 'bob@customer.test', 'acme');
      const until = new Date(Date.now() + 3_600_000).toISOString();
      const res = await app.inject({ method: 'PUT', url: `/api/admin/sites/acme/customers/${bob}/access-until`, headers: as(ada), payload: { until } });
      expect(res.statusCode, res.body).toBe(200);
      const ctx: AppContext = { db: t.db, ip: null, userAgent: 'test', mailer: background.mailer, webhooks: background.webhooks, config: t.config, origin: 'http://localhost' };
      expect(await revokeExpiredAccess(ctx, new Date(Date.now() + 2 * 3_600_000))).toBe(1);
      await eventually(() => expect(receiver.accepted.filter((r) => r.accountId === bob).map((r) => r.type)).toEqual(['customer.access.revoked']));
      expect(receiver.accepted.every((r) => r.verified)).toBe(true);
      expect((await customerAction(bob, 'grant')).statusCode).toBe(200);
    } finally {
      await removeSubscription(sub.id);
      await receiver.close();
    }
  });

  it('customer.created and customer.deleted reach a subscriber; a subscription that does not want an event gets none', async () => {
    const receiver = await new Receiver().start();
    const other = await new Receiver().start();
    const sub = (await subscribe(receiver, ['customer.created', 'customer.deleted'])).json();
    const otherSub = (await subscribe(other, ['customer.access.granted'])).json();
    try {
      const created = await app.inject({ method: 'POST', url: '/s/acme/rest/servicedeskapi/customer', headers: as(ada), payload: { displayName: 'Webhook Wendy', email: 'wendy@customer.test' } });
      expect(created.statusCode).toBe(201);
      const wendy = created.json().accountId as string;
      expect((await app.inject({ method: 'DELETE', url: `/api/admin/sites/acme/customers/${wendy}`, headers: as(ada) })).statusCode).toBe(204);
      await eventually(() => expect(receiver.accepted).toHaveLength(2));
      expect(receiver.accepted.map((r) => [r.type, r.accountId])).toEqual([
        ['customer.created', wendy],
        ['customer.deleted', wendy],
      ]);
      expect(other.received).toHaveLength(0);
    } finally {
      await removeSubscription(sub.id);
      await removeSubscription(otherSub.id);
      await receiver.close();
      await other.close();
    }
  });
});
