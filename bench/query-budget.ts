/**
 * D2: how long the costliest JQL queries the budget allows take, end to end through REST
 * (POST /s/acme/rest/api/3/search/jql as the org admin of acme), on the demo data and on the demo
 * data plus BENCH_REQUESTS (default 10,000) requests on acme/HELP, on the embedded database (PGlite)
 * and on PostgreSQL. For each: the median and the maximum of BENCH_RUNS (default 3) runs of a first
 * page of 50 ids, and of maxResults 5,000 with every field (served 100 a page); then a page at the deepest offset
 * (10,000) and how fast the review's 1,700-clause query is refused. Prints numbers, never pass/fail.
 * `npx tsx bench/query-budget.ts` (BENCH_KINDS=pglite,postgres; BENCH_SIZES=0,10000).
 */
import { MAX_OFFSET } from '../src/domain/limits.js';
import { encodePageToken } from '../src/http/presenters/rest/search.js';
import { worstAllowedQueries } from '../test/support/worst-query.js';
import { benchApp, type BenchApp } from './support/bench-app.js';
import { timings } from './support/timing.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const KINDS = (process.env.BENCH_KINDS ?? 'pglite,postgres').split(',') as Array<'pglite' | 'postgres'>;
const SIZES = (process.env.BENCH_SIZES ?? `0,${process.env.BENCH_REQUESTS ?? 10_000}`).split(',').map(Number);

const queries: Record<string, string> = {
  'reference: project = HELP': 'project = HELP',
  'reference: text ~ printer': 'text ~ printer',
  ...worstAllowedQueries(['alice@customer.test', 'bob@customer.test', 'carol@customer.test']),
};
const sortAll = ' ORDER BY reporter, summary, project, status, key, updated, created';

let timedOut = 0;
async function search(b: BenchApp, payload: object): Promise<number> {
  const res = await b.app.inject({ method: 'POST', url: '/s/acme/rest/api/3/search/jql', headers: b.ada, payload });
  if (res.statusCode === 503) timedOut++; // PostgreSQL's statement timeout stopped it
  else if (res.statusCode !== 200 && res.statusCode !== 400) throw new Error(`search answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  return res.statusCode;
}

/** The timings of `runs` searches, marked when the statement timeout stopped any of them. */
async function timed(runs: number, fn: () => Promise<unknown>): Promise<string> {
  timedOut = 0;
  const t = await timings(runs, fn);
  return ms(t) + (timedOut ? ` (${timedOut}× 503)` : '');
}

const columns: string[] = [];
const rows = new Map<string, string[]>();
const cell = (label: string, value: string) => {
  if (!rows.has(label)) rows.set(label, []);
  rows.get(label)!.push(value);
  console.error(`  ${columns[columns.length - 1]}  ${label}: ${value}`);
};
const ms = (t: { median: number; max: number }) => `${t.median.toFixed(0)} / ${t.max.toFixed(0)}`;

for (const kind of KINDS) {
  for (const size of SIZES) {
    const started = Date.now();
    const b = await benchApp(kind, size);
    columns.push(`${kind} +${size}`);
    console.error(`${kind} with ${size} more requests: ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    try {
      for (const [label, jql] of Object.entries(queries)) {
        cell(`${label} — page of 50 ids`, await timed(RUNS, () => search(b, { jql, maxResults: 50 })));
        cell(`${label} — maxResults 5000, all fields (served 100 a page)`, await timed(RUNS, () => search(b, { jql, maxResults: 5000, fields: ['*all'] })));
      }
      const deep = `project = HELP${sortAll}`;
      cell(`offset ${MAX_OFFSET} (the cap), 7 sort keys — maxResults 5000, all fields (served 100 a page)`, await timed(RUNS, () =>
        search(b, { jql: deep, maxResults: 5000, fields: ['*all'], nextPageToken: encodePageToken(deep, MAX_OFFSET) })));
      const review = Array.from({ length: 1700 }, (_, i) => `text~w${i % 10}`).join(' OR ');
      cell('the review\'s 1,700 text clauses — refused (400)', await timed(RUNS, async () => {
        if ((await search(b, { jql: review })) !== 400) throw new Error('the 1,700-clause query was not refused');
      }));
    } finally {
      await b.close();
    }
  }
}

console.log(`\nREST search/jql as the org admin of acme: median / max of ${RUNS} runs, ms\n`);
const width = Math.max(...[...rows.keys()].map((k) => k.length));
console.log(''.padEnd(width) + columns.map((c) => c.padStart(24)).join(''));
for (const [label, values] of rows) console.log(label.padEnd(width) + values.map((v) => v.padStart(24)).join(''));
