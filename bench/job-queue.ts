/**
 * The background-job queue behind mail delivery (docs/architecture.md, "Background jobs"): for
 * pg-boss as Portico runs it (src/jobs/), on PGlite and on PostgreSQL, prints
 *   - the time to install the queue's schema (first runner start),
 *   - enqueue→delivered latency of one mail to a real SMTP server on loopback (median and max of
 *     BENCH_MAILS_LATENCY sequential mails, each queued in its own transaction),
 *   - throughput: BENCH_MAILS mails queued in one transaction, delivered by one runner,
 *   - idle cost: statements the idle runner sends in BENCH_IDLE_SECONDS, and how long they held
 *     the connection (on PGlite every statement takes the one connection),
 * at the default poll interval (2 s) unless BENCH_POLL_SECONDS says otherwise.
 * When graphile-worker is installed (`npm install --no-save graphile-worker@0.17.3`), the same on
 * PostgreSQL for it, and whether it runs on PGlite through a one-connection pool.
 * PostgreSQL: PORTICO_TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres (own database).
 */
import { EventEmitter } from 'node:events';
import { SMTPServer } from 'smtp-server';
import { loadConfig, type Config } from '../src/config.js';
import type { DbHandle, SqlExecutor } from '../src/db/connection.js';
import { startBackgroundWork } from '../src/jobs/index.js';
import { createSmtpSender } from '../src/integrations/smtp.js';
import { createTestDatabase } from '../test/support/db.js';

const LATENCY_MAILS = Number(process.env.BENCH_MAILS_LATENCY ?? 10);
const MAILS = Number(process.env.BENCH_MAILS ?? 300);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
const POLL_SECONDS = Number(process.env.BENCH_POLL_SECONDS ?? 2);

// A real SMTP server on loopback that reports each accepted message.
const accepted = new EventEmitter();
let acceptedCount = 0;
const smtpServer = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  disableReverseLookup: true,
  logger: false,
  onData(stream, _session, callback) {
    let subject = '';
    stream.on('data', (chunk: Buffer) => {
      subject ||= /^Subject: (.*)$/m.exec(chunk.toString())?.[1]?.trim() ?? '';
    });
    stream.on('end', () => {
      acceptedCount++;
      accepted.emit('mail', subject);
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtpServer.listen(0, '127.0.0.1', resolve));
const smtpUrl = `smtp://127.0.0.1:${(smtpServer.server.address() as { port: number }).port}`;
const config: Config = { ...loadConfig({}), smtpUrl, jobPollSeconds: POLL_SECONDS };

const delivered = (subject: string) => new Promise<void>((resolve) => {
  const on = (s: string) => {
    if (s === subject) {
      accepted.off('mail', on);
      resolve();
    }
  };
  accepted.on('mail', on);
});
const allDelivered = (count: number) => new Promise<void>((resolve) => {
  const check = () => {
    if (acceptedCount >= count) {
      accepted.off('mail', check);
      resolve();
    }
  };
  accepted.on('mail', check);
  check();
});
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms, max ${s.at(-1)!.toFixed(0)} ms`;
};
const mail = (subject: string) => ({ to: 'someone@example.test', subject, body: 'hello', orgId: null, siteId: null, recipientId: null });

function counting(executeSql: SqlExecutor) {
  const counter = { statements: 0, heldMs: 0, run: executeSql };
  counter.run = async (text, values) => {
    const t = process.hrtime.bigint();
    try {
      return await executeSql(text, values);
    } finally {
      counter.statements++;
      counter.heldMs += ms(t);
    }
  };
  return counter;
}

async function benchPgBoss(kind: 'pglite' | 'postgres') {
  const database = await createTestDatabase(kind);
  const counter = counting(database.executeSql);
  const handle: Pick<DbHandle, 'db' | 'executeSql'> = { db: database.db, executeSql: counter.run };
  try {
    let t = process.hrtime.bigint();
    const background = await startBackgroundWork(handle, config);
    console.log(`pg-boss on ${kind}: queue schema installed and runner started in ${ms(t).toFixed(0)} ms`);
    try {
      const latencies: number[] = [];
      for (let i = 0; i < LATENCY_MAILS; i++) {
        const subject = `latency ${kind} ${i}`;
        const arrived = delivered(subject);
        t = process.hrtime.bigint();
        await database.db.transaction().execute((trx) => background.mailer.send(trx, mail(subject)));
        await arrived;
        latencies.push(ms(t));
      }
      console.log(`  enqueue→delivered (poll ${POLL_SECONDS} s): ${stats(latencies)} over ${LATENCY_MAILS} mails`);

      const base = acceptedCount;
      t = process.hrtime.bigint();
      await database.db.transaction().execute(async (trx) => {
        for (let i = 0; i < MAILS; i++) await background.mailer.send(trx, mail(`bulk ${kind} ${i}`));
      });
      const queued = ms(t);
      await allDelivered(base + MAILS);
      const total = ms(t);
      console.log(`  throughput: ${MAILS} mails queued in ${queued.toFixed(0)} ms, all delivered after ${total.toFixed(0)} ms: ${(MAILS / (total / 1000)).toFixed(0)} mails/s`);

      await new Promise((r) => setTimeout(r, 3000)); // let the last batch's bookkeeping finish
      const [n0, h0] = [counter.statements, counter.heldMs];
      await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
      const [n, held] = [counter.statements - n0, counter.heldMs - h0];
      console.log(`  idle: ${n} statements in ${IDLE_SECONDS} s (${((n * 60) / IDLE_SECONDS).toFixed(0)}/min), holding the connection ${held.toFixed(1)} ms in all (${((held / (IDLE_SECONDS * 1000)) * 100).toFixed(3)} % of the time)`);
    } finally {
      t = process.hrtime.bigint();
      await background.stop();
      console.log(`  runner stopped in ${ms(t).toFixed(0)} ms`);
    }
  } finally {
    await database.close();
  }
}

async function benchGraphileWorker() {
  let graphile: any;
  try {
    graphile = await import('graphile-worker' as string);
  } catch {
    console.log('graphile-worker: not installed (npm install --no-save graphile-worker@0.17.3 to compare)');
    return;
  }
  const pg = (await import('pg')).default;
  const smtp = createSmtpSender(smtpUrl, { timeoutSeconds: 30 });

  // PostgreSQL: its own pool, LISTEN/NOTIFY for new jobs.
  const database = await createTestDatabase('postgres');
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  let statements = 0;
  const originalConnect = pool.connect.bind(pool);
  (pool as any).connect = (...args: any[]) => {
    const wrap = (client: any) => {
      if (!client.__counted) {
        const q = client.query.bind(client);
        client.query = (...a: any[]) => {
          statements++;
          return q(...a);
        };
        client.__counted = true;
      }
      return client;
    };
    if (typeof args[0] === 'function') return originalConnect((err: any, client: any, done: any) => args[0](err, client && wrap(client), done));
    return originalConnect().then(wrap);
  };
  pool.on('error', () => {});
  try {
    let t = process.hrtime.bigint();
    const runner = await graphile.run({
      pgPool: pool,
      concurrency: 1,
      noHandleSignals: true,
      pollInterval: POLL_SECONDS * 1000,
      logger: new graphile.Logger(() => () => {}),
      taskList: { deliver_mail: async (payload: { subject: string }) => smtp.send({ from: 'bench@example.test', to: 'someone@example.test', subject: payload.subject, text: 'hello', messageId: `<${payload.subject.replace(/\W/g, '-')}@bench>` }) },
    });
    console.log(`graphile-worker on postgres: schema installed and runner started in ${ms(t).toFixed(0)} ms`);
    const addJob = async (client: any, subject: string) => client.query(`SELECT graphile_worker.add_job('deliver_mail', json_build_object('subject', $1::text))`, [subject]);
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_MAILS; i++) {
      const subject = `latency graphile ${i}`;
      const arrived = delivered(subject);
      t = process.hrtime.bigint();
      const client = await originalConnect();
      try {
        await client.query('BEGIN');
        await addJob(client, subject);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      await arrived;
      latencies.push(ms(t));
    }
    console.log(`  enqueue→delivered: ${stats(latencies)} over ${LATENCY_MAILS} mails`);
    const base = acceptedCount;
    t = process.hrtime.bigint();
    const client = await originalConnect();
    await client.query('BEGIN');
    for (let i = 0; i < MAILS; i++) await addJob(client, `bulk graphile ${i}`);
    await client.query('COMMIT');
    client.release();
    await allDelivered(base + MAILS);
    const total = ms(t);
    console.log(`  throughput: ${MAILS} mails delivered after ${total.toFixed(0)} ms: ${(MAILS / (total / 1000)).toFixed(0)} mails/s (concurrency 1)`);
    await new Promise((r) => setTimeout(r, 3000));
    const n0 = statements;
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    console.log(`  idle: ${statements - n0} statements in ${IDLE_SECONDS} s (one connection held for LISTEN all along)`);
    await runner.stop();
  } finally {
    await pool.end();
    await database.close();
  }

  // PGlite: graphile-worker wants a pg Pool. Offer it one over PGlite that, like Portico's
  // SerializedDriver, lends the one connection to one client at a time.
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create();
  let lock = Promise.resolve();
  const run = async (text: any, values?: any[]) => {
    if (typeof text === 'object') [text, values] = [text.text, text.values];
    if (!values?.length) {
      const r = await pglite.exec(text);
      return { ...r.at(-1)!, rowCount: r.at(-1)?.affectedRows ?? 0 };
    }
    const r = await pglite.query(text, values);
    return { ...r, rowCount: r.affectedRows ?? r.rows.length };
  };
  class OneConnectionPool extends EventEmitter {
    connect(cb?: (err: unknown, client?: any, done?: () => void) => void): any {
      let release!: () => void;
      const previous = lock;
      lock = new Promise<void>((resolve) => (release = resolve));
      const client = Object.assign(new EventEmitter(), { query: run, release: () => release(), escapeIdentifier: (s: string) => `"${s.replace(/"/g, '""')}"` });
      const ready = previous.then(() => client);
      if (cb) {
        ready.then((c) => cb(null, c, c.release));
        return undefined;
      }
      return ready;
    }
    async query(text: any, values?: any[]) {
      const c = await this.connect();
      try {
        return await c.query(text, values);
      } finally {
        c.release();
      }
    }
    async end() {}
  }
  let done = 0;
  const started = graphile.run({
    pgPool: new OneConnectionPool(),
    concurrency: 1,
    noHandleSignals: true,
    pollInterval: 500,
    logger: new graphile.Logger(() => () => {}),
    taskList: { deliver_mail: async () => void done++ },
  });
  const outcome = await Promise.race([
    started.then(async (runner: any) => {
      await runner.addJob('deliver_mail', {});
      for (let i = 0; i < 40 && !done; i++) await new Promise((r) => setTimeout(r, 250));
      return done ? 'ran the job' : 'started but ran no job in 10 s';
    }),
    new Promise((r) => setTimeout(() => r('stalled for 15 s: its LISTEN client keeps the one connection'), 15_000)),
  ]);
  console.log(`graphile-worker on PGlite through a one-connection pool: ${outcome}`);
  smtp.close();
}

try {
  await benchPgBoss('pglite');
  await benchPgBoss('postgres');
  await benchGraphileWorker();
} finally {
  await new Promise<void>((resolve) => smtpServer.close(() => resolve()));
}
// The graphile-worker tried on PGlite may still be stalled: end here (bench/run.ts runs this last).
process.exit(0);
