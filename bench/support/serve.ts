// A server for bench/http.ts, in a process of its own so that the load generator does not share its
// event loop: `tsx bench/support/serve.ts pglite|postgres|bare`. Prints one JSON line — the URL and
// the Authorization header of an org admin's API token — when it listens.
import Fastify from 'fastify';
import { benchApp } from './bench-app.js';

const kind = process.argv[2];
if (kind === 'bare') {
  const app = Fastify();
  app.get('/hello', async () => ({ hello: 'world' }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ url, headers: {} }));
} else if (kind === 'pglite' || kind === 'postgres') {
  const b = await benchApp(kind, Number(process.env.BENCH_REQUESTS ?? 0));
  const url = await b.app.listen({ port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ url, headers: b.ada }));
} else {
  throw new Error('usage: serve.ts pglite|postgres|bare');
}
