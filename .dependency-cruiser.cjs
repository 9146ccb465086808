// The layer rule of docs/architecture.md ("Layers"), checked by `npm test` (stage "layer rules",
// scripts/test.js) with dependency-cruiser. Paths are relative to the directory it runs in, so the
// same rules run on src/ and, in test/unit/layer-rules.test.ts, on a fixture that breaks each one.
//
//   domain     imports nothing outside src/domain
//   db         may import domain; never use cases, http, web, jobs or the CLI
//   use-cases  import db and domain; never http, web, jobs or the CLI
//   http       imports use cases and domain; db only in the three places named below
//   web        imports nothing from the server but types, and those only from the response
//              schemas and presenters of src/http and from src/domain
//   and no circular imports anywhere.
//
// Type-only imports count (tsPreCompilationDeps), except where a rule says otherwise.

const SERVER_OUTSIDE_WEB = '^src/(?!web/)';

/** A file of src/http allowed into src/db, and then only into the modules `allowed` names. */
function dbExceptionOnly(name, comment, file, allowed) {
  return { name, comment, severity: 'error', from: { path: file }, to: { path: '^src/db/', pathNot: `^src/db/(${allowed})\\.ts$` } };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-self-contained',
      comment: 'src/domain owns its types and rules and imports nothing outside itself (no db, no HTTP, no config).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'db-below-use-cases',
      comment: 'src/db may import the domain, never a layer above it.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(use-cases|http|web|jobs|cli|integrations)/|^src/(server|main|mailer)\\.ts$' },
    },
    {
      name: 'use-cases-below-http',
      comment: 'Use cases import db and domain (and the mailer and config they are handed); never HTTP, the web app, jobs or the CLI.',
      severity: 'error',
      from: { path: '^src/use-cases/' },
      to: { path: '^src/(http|web|jobs|cli)/|^src/(server|main)\\.ts$' },
    },
    {
      name: 'http-not-db',
      comment:
        'HTTP reaches the data through use cases. Exceptions, each with its own rule below: the auth plugin ' +
        'resolves the caller with the session queries; app.ts schedules requests in db lanes; the error ' +
        'plugin recognises a statement timeout; and the Db handle type is passed to use cases.',
      severity: 'error',
      from: { path: '^src/http/', pathNot: '^src/http/(app|plugins/auth|plugins/errors)\\.ts$' },
      to: { path: '^src/db/', pathNot: '^src/db/connection\\.ts$' },
    },
    {
      name: 'http-db-handle-type-only',
      comment: 'HTTP holds the database handle only to give it to use cases: a type import.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/db/connection\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    dbExceptionOnly(
      'http-auth-plugin-session-queries-only',
      'The auth plugin resolves the caller on every request (before any use case runs) with one indexed ' +
        'query (db/queries/caller.ts): the session or API token, the account and its roles; the site of the URL from the ' +
        "instance's site cache (db/queries/site-cache.ts); a kept caller from the instance's caller cache (db/caller-cache.ts, " +
        'reached through db/queries/caller.ts); the session touch and the last use of a token are written at most once a minute; on the routes of the SCIM server, ' +
        'the SCIM token of the site of the URL instead (db/queries/scim-caller.ts).',
      '^src/http/plugins/auth\\.ts$',
      'connection|queries/(caller|sites|site-cache|scim-caller)',
    ),
    dbExceptionOnly(
      'http-app-db-lanes-only',
      "app.ts puts each request in the database lane of its site (db/lanes.ts) and lets its caller cache's notices vouch for what reads keep (db/look-up-notices.ts), and nothing else from db.",
      '^src/http/app\\.ts$',
      'connection|lanes|look-up-notices',
    ),
    dbExceptionOnly(
      'http-errors-db-errors-only',
      'The error plugin recognises database errors (db/errors.ts), and nothing else from db.',
      '^src/http/plugins/errors\\.ts$',
      'errors',
    ),
    {
      name: 'web-imports-server-types-only',
      comment: 'The web app talks to the server over HTTP only: from the server it may import types (import type), nothing that runs.',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: SERVER_OUTSIDE_WEB, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-server-types-from-schemas',
      comment: "The server types the web app may import: the response schemas and presenters of src/http, and the domain's own types.",
      severity: 'error',
      from: { path: '^src/web/' },
      to: {
        path: SERVER_OUTSIDE_WEB,
        pathNot: '^src/domain/|^src/http/presenters/|^src/http/[a-z/-]*schemas(\\.ts$|/)',
      },
    },
    {
      name: 'server-not-web',
      comment: 'The server never imports the web app (it serves its build from dist/web).',
      severity: 'error',
      from: { path: SERVER_OUTSIDE_WEB },
      to: { path: '^src/web/' },
    },
    {
      name: 'no-circular',
      comment: 'No module imports itself through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.(txt|css|html)$' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
