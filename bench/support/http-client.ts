import http from 'node:http';

// Node's own HTTP client over keep-alive connections, for the benchmarks that keep their connections
// open as a browser or an integration does (bench/mixed.ts, bench/scale.ts's revokes and grants).

export interface Answer {
  status: number;
  body: string;
  cookies: string[];
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

/** One request; `body`, when given, is sent as JSON. Never rejects: a failed request answers status -1. */
export function send(base: string, method: string, urlPath: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const url = new URL(urlPath, base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname + url.search,
        agent,
        headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }) },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'] ?? [];
          resolve({ status: res.statusCode ?? -1, body: Buffer.concat(chunks).toString('utf8'), cookies: setCookie.map((c) => c.split(';')[0]) });
        });
        res.on('error', (e) => resolve({ status: -1, body: String(e), cookies: [] }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out after 30 s')));
    req.on('error', (e) => resolve({ status: -1, body: String(e), cookies: [] }));
    req.end(payload);
  });
}

export const ok = (status: number) => status >= 200 && status < 300;

/** Closes the kept connections (at the end of a run, so that none holds the process open). */
export function closeConnections(): void {
  agent.destroy();
}
