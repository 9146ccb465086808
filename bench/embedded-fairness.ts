/**
 * D3: on the embedded database (PGlite, one connection, one statement at a time, the whole process
 * blocked while a statement runs), how long a customer login on site globex takes while clients
 * loop the costliest allowed JQL search on site acme — with the connection shared out between
 * sites in turn (db/lanes.ts) and, to compare, with the plain first-come queue PGlite had before.
 * Demo data plus BENCH_REQUESTS (default 10,000) requests on acme. For each mode and number of
 * attacking clients (BENCH_ATTACKERS, default 0,1,4): the median and maximum of BENCH_LOGINS
 * (default 10) logins, the worst search alone (W), the ratio max login / W, and the most
 * statements of acme a login statement waited for. Prints numbers, never pass/fail.
 * `npx tsx bench/embedded-fairness.ts`
 */
import { DEMO_PASSWORD } from '../src/db/demo.js';
import type { LaneGrant } from '../src/db/lanes.js';
import { worstAllowedQueries } from '../test/support/worst-query.js';
import { benchApp, type BenchApp } from './support/bench-app.js';
import { timings } from './support/timing.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 10);
const ATTACKERS = (process.env.BENCH_ATTACKERS ?? '0,1,4').split(',').map(Number);
const QUERY = process.env.BENCH_QUERY ?? 'every limit: text + people + row clauses, OR, nested, 7 sort keys';
const jql = worstAllowedQueries(['alice@customer.test', 'bob@customer.test', 'carol@customer.test'])[QUERY];
if (!jql) throw new Error(`no query named '${QUERY}' in test/support/worst-query.ts`);

const heavySearch = async (b: BenchApp) => {
  const res = await b.app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: b.ada, payload: { jql, maxResults: 50 } });
  if (res.statusCode !== 200) throw new Error(`search answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
};
const login = async (b: BenchApp) => {
  const res = await b.app.inject({ method: 'POST', url: '/s/globex/api/portal/login', payload: { email: 'erin@customer.test', password: DEMO_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
};

const lines: string[] = [];
for (const fairShare of [false, true]) {
  const mode = fairShare ? 'lanes (round-robin)' : 'first come (before)';
  const b = await benchApp('pglite', REQUESTS, { fairShare });
  try {
    const worst = await timings(3, () => heavySearch(b));
    for (const attackers of ATTACKERS) {
      let stop = false;
      const loops = Array.from({ length: attackers }, async () => {
        while (!stop) await heavySearch(b);
      });
      const grants: LaneGrant[] = [];
      const unobserve = b.handle.scheduler!.observe((g) => g.lane === 'site:globex' && grants.push(g));
      const logins = await timings(LOGINS, () => login(b));
      unobserve();
      stop = true;
      await Promise.all(loops);
      lines.push(
        [
          mode.padEnd(20),
          String(attackers).padStart(9),
          logins.median.toFixed(0).padStart(12),
          logins.max.toFixed(0).padStart(9),
          worst.median.toFixed(0).padStart(9),
          (logins.max / worst.median).toFixed(2).padStart(13),
          String(Math.max(0, ...grants.map((g) => g.waitedTurns))).padStart(16),
        ].join(''),
      );
      console.error(lines[lines.length - 1]);
    }
  } finally {
    await b.close();
  }
}

console.log(`\nPGlite, demo data + ${REQUESTS} requests on acme; attackers loop "${QUERY}" on acme; ${LOGINS} customer logins on globex (ms)\n`);
console.log('mode'.padEnd(20) + 'attackers'.padStart(9) + 'login median'.padStart(12) + 'max'.padStart(9) + 'W'.padStart(9) + 'max login/W'.padStart(13) + 'max waited for'.padStart(16));
for (const line of lines) console.log(line);
