import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DB_KIND } from '../support/db.js';
import { killBuiltServers, startBuiltServer } from '../support/built-server.js';

// The built server (dist/server/main.js, as `npm start` runs it) loads the packages of features that
// only some sites or some moments use — mail in and out, single sign-on, backups, imports, the
// operator's metrics (prom-client, when PORTICO_METRICS_TOKEN or _PORT is set) — on their
// first use, not at start (docs/architecture.md, "Loaded on first use"). Each start here records
// every module file Node loads (a module hook) and reads which packages those files hold (the
// bundle names each package's files in a comment).

/** Packages no start loads here (tar: none on a data directory that already holds a database; prom-client: none without a metrics token or port). */
const LOADED_ON_FIRST_USE = ['nodemailer', 'imapflow', 'mailparser', '@node-saml/node-saml', '@xmldom/xmldom', 'openid-client', 'csv-parse', 'prom-client', 'tar'];

const work = mkdtempSync(path.join(tmpdir(), 'portico-first-use-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Runs in Node's module-hooks thread: appends the URL of every file module loaded to PORTICO_TEST_LOADED.
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.PORTICO_TEST_LOADED, url + '\\n');
  return next(url, context);
}`;
const PRELOAD = path.join(work, 'record-loads.mjs');
writeFileSync(PRELOAD, `import { register } from 'node:module';\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});\n`);

afterAll(killBuiltServers);

interface Started {
  url: string;
  /** the packages in the files loaded so far */
  packages(): Set<string>;
  stop(): Promise<void>;
}

async function start(dataDir: string, name: string): Promise<Started> {
  const loaded = path.join(work, `${name}.loaded`);
  writeFileSync(loaded, '');
  const server = await startBuiltServer({ PORTICO_DATA_DIR: dataDir, PORTICO_TEST_LOADED: loaded }, { nodeArgs: ['--import', PRELOAD] });
  return {
    url: server.url,
    packages() {
      const found = new Set<string>();
      for (const file of readFileSync(loaded, 'utf8').split('\n').filter(Boolean)) {
        const source = readFileSync(fileURLToPath(file), 'utf8');
        for (const m of source.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) found.add(m[1]!);
      }
      return found;
    },
    async stop() {
      server.child.kill('SIGTERM');
      await server.exited;
    },
  };
}

// the embedded database only: what a start loads does not depend on the database
describe.skipIf(TEST_DB_KIND !== 'pglite')('features loaded on first use (built server)', () => {
  const dataDir = path.join(work, 'data');

  it('a first start, on an empty data directory, loads none of them but node-tar (it unpacks the new database)', { timeout: 180_000 }, async () => {
    const first = await start(dataDir, 'first');
    try {
      const packages = first.packages();
      expect(packages.has('fastify')).toBe(true); // the record sees the bundle's packages
      expect(LOADED_ON_FIRST_USE.filter((p) => packages.has(p))).toEqual(['tar']);
    } finally {
      await first.stop();
    }
  });

  it('a start on an existing data directory loads none of them; the first SAML request loads node-saml', { timeout: 180_000 }, async () => {
    const again = await start(dataDir, 'again');
    try {
      expect(LOADED_ON_FIRST_USE.filter((p) => again.packages().has(p))).toEqual([]);
      // Portico's SAML metadata for a site is written by node-saml: loaded now, and it works
      const res = await fetch(`${again.url}/s/acme/api/portal/sso/saml/metadata`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('AssertionConsumerService');
      expect(again.packages().has('@node-saml/node-saml')).toBe(true);
    } finally {
      await again.stop();
    }
  });
});
