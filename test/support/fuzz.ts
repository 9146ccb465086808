import fc from 'fast-check';
import type { RouteOptions } from 'fastify';

// The fuzz harness behind test/integration/fuzz.test.ts: it lists the app's routes as they are
// added, turns each route's JSON schema (TypeBox) into fast-check arbitraries, and mutates the
// requests built from them with hostile values and broken encodings.

// ---- routes -----------------------------------------------------------------------------------

export type JsonSchema = Record<string, any>;

export interface RouteSchema {
  params?: JsonSchema;
  querystring?: JsonSchema;
  body?: JsonSchema;
  hide?: boolean;
}

export interface FuzzRoute {
  method: string;
  url: string;
  /** undefined when the route was added without a schema */
  schema: RouteSchema | undefined;
}

/**
 * Collects every route the app adds (one entry per method), through buildApp's onRoute option,
 * and gives each an onError hook that keeps the last error a handler threw (for the report of a 5xx).
 */
export function routeCollector() {
  const routes: FuzzRoute[] = [];
  const errors: { last: Error | null } = { last: null };
  const keepError = async (_request: unknown, _reply: unknown, error: Error) => {
    errors.last = error;
  };
  return {
    routes,
    errors,
    onRoute(route: RouteOptions) {
      for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url ?? '', schema: route.schema as RouteSchema | undefined });
      route.onError = [...(route.onError ? [route.onError].flat() : []), keepError] as RouteOptions['onError'];
    },
  };
}

/** Path parameters of a route URL: `:name` segments, and `*` for a wildcard. */
export function pathParams(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)|\*/g)].map((m) => m[1] ?? '*');
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * What a route's schema lacks: a schema at all; a declaration of each path parameter; a body
 * schema for a write, unless the route is known to take no body.
 */
export function schemaProblems(route: FuzzRoute, bodiless: ReadonlySet<string>): string[] {
  const name = `${route.method} ${route.url}`;
  if (!route.schema) return [`${name} has no schema`];
  const problems: string[] = [];
  const declared = Object.keys(route.schema.params?.properties ?? {});
  for (const p of pathParams(route.url)) {
    if (!declared.includes(p)) problems.push(`${name} does not declare its path parameter '${p}'`);
  }
  if (WRITE_METHODS.has(route.method) && !route.schema.body && !bodiless.has(name)) {
    problems.push(`${name} has no body schema (or belongs in the list of routes that take no body)`);
  }
  return problems;
}

// ---- values -----------------------------------------------------------------------------------

/**
 * Known values for a field name (site slugs for `site`, account ids for `accountIds`, …): `likely`
 * ones make a request that goes deep (the main demo site and its requests), `other` ones cross
 * sites and organizations.
 */
export interface Pool {
  likely: readonly string[];
  other?: readonly string[];
}
export type Pools = Record<string, Pool>;

const LONG = 'x'.repeat(20_000);

/** Strings that have broken servers, by family, so that each family comes up often. */
export const HOSTILE_STRINGS = {
  nul: ['\u0000', 'a\u0000b', '\u0000\u0000\u0000', '%00', 'a%00b'],
  surrogates: ['\ud800', 'x\udfffy', '\udbff\udfff', '\udc00\ud800', '😀', '\u202eevil', '\u200b', '\ufeff', '\uffff', 'İ', 'ß', 'ﬃ', 'e\u0301'],
  sql: ["' OR 1=1 --", '"; DROP TABLE accounts; --', "'", '"', '`', '%', '_', '\\', '%_\\', '\\%', '*', '?', "a'b", '$1', '::text'],
  numbers: ['-0', 'NaN', 'Infinity', '-Infinity', '1e309', '9007199254740993', '99999999999999999999', '-1', '0', '0x10', '1.5', '00001', ' 1', '١٢٣', '1e3', '+1'],
  words: ['null', 'undefined', 'true', '[]', '{}', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'],
  ids: ['qm:', 'qm:00000000-0000-0000-0000-000000000000', 'qm:not-a-uuid', 'HELP-', 'HELP-0', '-HELP-1', 'HELP-99999999999999999999', 'HELP-1.5', 'help-1', 'customfield_', 'customfield_99999999999999999999', '10000.0'],
  paths: ['../../etc/passwd', '..', '/', '%2e%2e%2f', '..\\..\\windows', '%2F', '?', '#', '&', '='],
  markup: ['<script>alert(1)</script>', '${7*7}', '{{7*7}}', '\r\n', '\t', '\u001b[31m', ' ', '', '\u0085', '\u2028'],
  long: ['a'.repeat(63), 'a'.repeat(64), 'a'.repeat(255), 'a'.repeat(256), 'a'.repeat(5_000), LONG],
  jqlish: ['summary ~ "x" OR '.repeat(50), '((((((((((', 'ORDER BY', 'a@', '@b', 'a@b@c', ' alice@customer.test ', 'ALICE@CUSTOMER.TEST', '"', 'currentUser()', 'EMPTY'],
} as const;

const char16 = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** A hostile string: one of a family of known troublemakers, or random text over every UTF-16 code unit (lone surrogates included). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.nul) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.surrogates) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.sql) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.numbers) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.words) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.ids) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.paths) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.markup) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.long) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.jqlish) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: char16, maxLength: 40 }) },
);

/** JSON values of the wrong type for whatever field they land in. */
export const confusedValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    12345, -0, 0, -1, 1.5, 1e308, 2 ** 53 + 2, -(2 ** 63), true, false, null, [], ['a'], [[[]]], [null], {}, { $ne: '' }, { length: 1 },
    JSON.parse('{"__proto__": {"polluted": true}}'),
    JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A schema-valid value, taken from the pools where the field's name has one. */
export function valueFor(schema: JsonSchema | undefined, name: string, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  schema ??= {};
  if (Array.isArray(schema.anyOf)) return fc.oneof(...schema.anyOf.map((s: JsonSchema) => valueFor(s, name, pools, depth)));
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      return stringFor(schema, name, pools);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -1_000;
      const max = schema.maximum ?? 1_000_000;
      const edges = fc.constantFrom(min, max, Math.min(max, Math.max(min, 0)), Math.min(max, Math.max(min, 1)));
      const ints = fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) });
      return fc.oneof(ints, edges);
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = depth > 3 ? fc.constant('x') : valueFor(schema.items, name, pools, depth + 1);
      const usual = fc.array(item, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
      if (schema.maxItems === undefined) return usual;
      // sometimes one over the cap, to see it refused cleanly
      const over = fc.array(item, { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 1 });
      return fc.oneof({ weight: 19, arbitrary: usual }, { weight: 1, arbitrary: over });
    }
    case 'object':
      return objectFor(schema, pools, depth);
    default:
      return fc.oneof(fc.constantFrom(...(pools[name]?.likely ?? ['x'])), fc.jsonValue({ maxDepth: 2 }));
  }
}

function poolArbitrary(pool: Pool): fc.Arbitrary<string> {
  const likely = fc.constantFrom(...pool.likely);
  return pool.other?.length ? fc.oneof({ weight: 4, arbitrary: likely }, { weight: 1, arbitrary: fc.constantFrom(...pool.other) }) : likely;
}

function stringFor(schema: JsonSchema, name: string, pools: Pools): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? 60;
  const fits = (s: string) => s.length >= minLength && s.length <= maxLength;
  let generated: fc.Arbitrary<string>;
  if (typeof schema.pattern === 'string') {
    generated = fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  } else if (schema.format === 'date-time') {
    generated = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  } else {
    generated = fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, 40) });
  }
  const pool = pools[name];
  return pool?.likely.length ? fc.oneof({ weight: 4, arbitrary: poolArbitrary(pool) }, { weight: 1, arbitrary: generated }) : generated;
}

function objectFor(schema: JsonSchema, pools: Pools, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props: Record<string, JsonSchema> = schema.properties ?? {};
  const required = new Set<string>(schema.required ?? []);
  const known = Object.entries(props).map(([key, s]) => {
    const value = valueFor(s, key, pools, depth + 1);
    const presence = required.has(key) ? fc.constant(true) : fc.boolean();
    return fc.tuple(presence, value).map(([present, v]) => (present ? [[key, v]] : []) as [string, unknown][]);
  });
  const dynamic: fc.Arbitrary<[string, unknown][]>[] = [];
  const keyPool = pools['@key'] ?? { likely: ['k'] };
  for (const [pattern, s] of Object.entries<JsonSchema>(schema.patternProperties ?? {})) {
    const matching = keyPool.likely.filter((k) => new RegExp(pattern).test(k));
    const key = matching.length ? fc.constantFrom(...matching) : fc.stringMatching(new RegExp(pattern)).filter((k) => k.length <= 70);
    dynamic.push(fc.array(fc.tuple(key, valueFor(s, '@value', pools, depth + 1)), { maxLength: 4 }));
  }
  if (typeof schema.additionalProperties === 'object') {
    dynamic.push(fc.array(fc.tuple(poolArbitrary(keyPool), valueFor(schema.additionalProperties, '@value', pools, depth + 1)), { maxLength: 4 }));
  }
  return fc.tuple(fc.tuple(...known), fc.tuple(...dynamic)).map(([k, d]) => {
    const out: Record<string, unknown> = {};
    for (const [key, v] of [...k.flat(), ...d.flat()]) defineOwn(out, key, v);
    return out;
  });
}

/** Sets a property even when its name is __proto__ (as JSON.parse would). */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

// ---- mutations --------------------------------------------------------------------------------

type Path = (string | number)[];

/** Every node of a JSON value (the value itself, each property and element, recursively). */
function nodesOf(value: unknown, path: Path = []): Path[] {
  const out: Path[] = [path];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...nodesOf(v, [...path, i])));
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) out.push(...nodesOf(v, [...path, k]));
  return out;
}

function getAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], root);
}

/** A copy of root with the node at path replaced (or removed when replacement is REMOVE). */
function setAt(root: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    if (rest.length === 0 && replacement === REMOVE) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) defineOwn(copy, k, v);
  if (rest.length === 0 && replacement === REMOVE) delete copy[head as string];
  else defineOwn(copy, head as string, setAt(copy[head as string], rest, replacement));
  return copy;
}

const REMOVE = Symbol('remove');

type Op = 'replace' | 'affix' | 'remove' | 'add';

interface Mutation {
  slot: number;
  op: Op;
  hostile: unknown;
  fragment: string;
  prefix: boolean;
}

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.record({
  slot: fc.nat(),
  op: fc.constantFrom<Op>('replace', 'replace', 'replace', 'affix', 'affix', 'remove', 'add'),
  hostile: fc.oneof({ weight: 4, arbitrary: hostileString }, { weight: 1, arbitrary: confusedValue }),
  fragment: hostileString,
  prefix: fc.boolean(),
});

/** One node of the request changed: replaced by a hostile value, given a hostile prefix or suffix, removed, or given a hostile sibling. */
function mutate(doc: RequestDoc, m: Mutation): RequestDoc {
  // the containers of path values and of the query string stay objects; everything in them is fair game
  const nodes = nodesOf(doc).filter((p) => p.length >= 2 || (p.length === 1 && p[0] === 'body'));
  if (nodes.length === 0) return doc;
  // text is where most trouble lives: two mutations in three go to a string, if there is one
  const strings = nodes.filter((p) => typeof getAt(doc, p) === 'string');
  const pool = strings.length && m.slot % 3 !== 0 ? strings : nodes;
  const path = pool[Math.floor(m.slot / 3) % pool.length];
  const node = getAt(doc, path);
  const parentPath = path.slice(0, -1);
  switch (m.op) {
    case 'affix':
      if (typeof node === 'string') return setAt(doc, path, m.prefix ? m.fragment + node : node + m.fragment) as RequestDoc;
      break;
    case 'remove':
      if (path.length >= 2) return setAt(doc, path, REMOVE) as RequestDoc;
      break;
    case 'add':
      if (Array.isArray(node)) return setAt(doc, path, [...node, m.hostile]) as RequestDoc;
      if (isPlainObject(node)) return setAt(doc, [...path, m.prefix ? 'isAdmin' : '__proto__'], m.hostile) as RequestDoc;
      break;
  }
  void parentPath;
  return setAt(doc, path, m.hostile) as RequestDoc;
}

// ---- requests ---------------------------------------------------------------------------------

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/** A request before it is encoded: path values, query string and JSON body. */
interface RequestDoc {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: unknown;
}

/** Raw bodies that are not what any route expects, with the content type they are sent under. */
const RAW_BODIES: readonly [string, string][] = [
  ['{"a":', 'application/json'],
  ['{a: 1}', 'application/json'],
  ['{"a":1}}', 'application/json'],
  ['\u0000', 'application/json'],
  ['null', 'application/json'],
  ['[]', 'application/json'],
  ['"text"', 'application/json'],
  ['1e999', 'application/json'],
  ['\ufeff{}', 'application/json'],
  ['{"accountIds":["a"],"accountIds":"b"}', 'application/json'],
  ['['.repeat(5_000) + ']'.repeat(5_000), 'application/json'],
  ['{"a":'.repeat(2_000) + '1' + '}'.repeat(2_000), 'application/json'],
];

const OTHER_CONTENT_TYPES = [
  'application/json; charset=utf-16',
  'application/json;;;',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/plain',
  'application/xml',
  'application/vnd.api+json',
  '',
];

/** Query-string tails that no encoder produces: broken escapes, duplicate and prototype keys. */
const RAW_QUERY_TAILS = ['%zz=1', 'a=%E0%A4%A', 'a=%', '=', '&&', '__proto__=x', 'constructor[prototype][x]=1', 'start=1&start=2', 'limit=-1', 'a=%00', 'a=%ED%A0%80'];

type Transport =
  | { kind: 'raw-body'; body: string; type: string }
  | { kind: 'content-type'; type: string }
  | { kind: 'no-body' }
  | { kind: 'query-tail'; tail: string }
  | { kind: 'duplicate-keys' }
  | { kind: 'raw-path'; slot: number; text: string }
  | { kind: 'header'; name: string; value: string };

/**
 * Odd headers. No control characters: Node's HTTP parser answers 400 to those before any app sees
 * them, so only inject() could send them.
 */
const ODD_HEADERS: readonly [string, string][] = [
  ['user-agent', 'x'.repeat(10_000)],
  ['user-agent', 'caf\u00c3\u00a9 \u00ff'],
  ['origin', 'null'],
  ['origin', 'http://evil.test'],
  ['origin', '%'],
  ['cookie', 'portico_sid=%zz; portico_csid=%E0%A4%A'],
  ['cookie', `portico_sid=${'a'.repeat(5_000)}`],
  ['cookie', 'portico_sid=; portico_sid=x; =; ;;'],
  ['x-csrf-token', 'x'.repeat(5_000)],
  ['authorization', 'Basic %%%'],
  ['authorization', `Bearer ${'a'.repeat(10_000)}`],
  ['authorization', `Basic ${Buffer.from('admin@acme.test:').toString('base64')}`],
  ['authorization', 'Negotiate abc'],
  ['host', 'evil.test:99999'],
  ['x-forwarded-host', 'evil.test'],
  ['x-forwarded-proto', 'gopher'],
  ['x-forwarded-for', 'not-an-ip, 999.1.1.1'],
  ['accept', 'text/csv;q=abc, */*;q=-1'],
];

const transportArbitrary: fc.Arbitrary<Transport> = fc.oneof(
  fc.constantFrom(...RAW_BODIES).map(([body, type]) => ({ kind: 'raw-body' as const, body, type })),
  fc.constantFrom(...OTHER_CONTENT_TYPES).map((type) => ({ kind: 'content-type' as const, type })),
  fc.constant({ kind: 'no-body' as const }),
  fc.constantFrom(...RAW_QUERY_TAILS).map((tail) => ({ kind: 'query-tail' as const, tail })),
  fc.constant({ kind: 'duplicate-keys' as const }),
  fc.record({ slot: fc.nat(), text: fc.constantFrom('..', '%', '%zz', '%00', '%ED%A0%80', '%2F', '%2e%2e', 'a b', '\u00e9', '\u0000') }).map((r) => ({ kind: 'raw-path' as const, ...r })),
  fc.constantFrom(...ODD_HEADERS).map(([name, value]) => ({ kind: 'header' as const, name, value })),
);

function textOf(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? '';
}

/** Percent-encodes like a browser; a lone surrogate (which cannot be encoded) goes as U+FFFD, as a browser sends it. */
function encode(s: string): string {
  return encodeURIComponent(s.toWellFormed());
}

function encodeQuery(query: Record<string, unknown>, duplicate: boolean): string[] {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) parts.push(`${encode(key)}=${encode(textOf(v))}`);
    if (duplicate && !Array.isArray(value)) parts.push(`${encode(key)}=${encode(textOf(value))}`);
  }
  return parts;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function encodeRequest(route: FuzzRoute, doc: RequestDoc, transport: Transport | null): FuzzRequest {
  const params = pathParams(route.url);
  let url = route.url;
  params.forEach((name, i) => {
    const raw = transport?.kind === 'raw-path' && transport.slot % params.length === i;
    const text = raw ? transport.text : encode(textOf(doc.params[name]));
    url = name === '*' ? url.replace('*', text) : url.replace(`:${name}`, text);
  });
  const query = encodeQuery(isPlainObject(doc.query) ? doc.query : { q: doc.query }, transport?.kind === 'duplicate-keys');
  if (transport?.kind === 'query-tail') query.push(transport.tail);
  if (query.length) url += `?${query.join('&')}`;
  const headers: Record<string, string> = transport?.kind === 'header' ? { [transport.name]: transport.value } : {};
  if (route.method === 'GET' || route.method === 'HEAD' || transport?.kind === 'no-body') return { method: route.method, url, headers };
  if (transport?.kind === 'raw-body') return { method: route.method, url, headers: { ...headers, 'content-type': transport.type }, payload: transport.body };
  headers['content-type'] = transport?.kind === 'content-type' ? transport.type : 'application/json';
  return { method: route.method, url, headers, payload: JSON.stringify(doc.body) ?? '' };
}

/** Schema-valid path values, query string and body of a route (values from the pools where there are some). */
function docArbitrary(route: FuzzRoute, pools: Pools): fc.Arbitrary<RequestDoc> {
  const names = pathParams(route.url);
  const paramProps: Record<string, JsonSchema> = route.schema?.params?.properties ?? {};
  const params = fc.tuple(...names.map((p) => valueFor(paramProps[p] ?? { type: 'string' }, p, pools)));
  const query = route.schema?.querystring ? valueFor(route.schema.querystring, '@query', pools) : fc.constant({});
  const hasBody = !['GET', 'HEAD'].includes(route.method);
  const body = hasBody ? valueFor(route.schema?.body ?? { type: 'object' }, '@body', pools) : fc.constant(undefined);
  return fc.tuple(params, query, body).map(([p, q, b]) => ({
    params: Object.fromEntries(names.map((n, i) => [n, p[i]])),
    query: (q ?? {}) as Record<string, unknown>,
    ...(hasBody ? { body: b } : {}),
  }));
}

/** Schema-valid requests to a route. */
export function validRequestArbitrary(route: FuzzRoute, pools: Pools): fc.Arbitrary<FuzzRequest> {
  return docArbitrary(route, pools).map((doc) => encodeRequest(route, doc, null));
}

/**
 * Requests to a route, most of them a valid request with one thing wrong — one value hostile
 * (NUL, lone surrogates, SQL and LIKE metacharacters, numbers as text, huge and malformed ids,
 * path traversal, wrong JSON types), removed, or with a hostile sibling — others broken at the
 * transport (raw path text, duplicate and broken query keys, invalid JSON, other content types),
 * a few with several things wrong at once, and some valid.
 */
export function requestArbitrary(route: FuzzRoute, pools: Pools): fc.Arbitrary<FuzzRequest> {
  const docs = docArbitrary(route, pools);
  return fc.oneof(
    { weight: 2, arbitrary: docs.map((doc) => encodeRequest(route, doc, null)) },
    { weight: 6, arbitrary: fc.tuple(docs, mutationArbitrary).map(([doc, m]) => encodeRequest(route, mutate(doc, m), null)) },
    { weight: 2, arbitrary: fc.tuple(docs, transportArbitrary).map(([doc, tr]) => encodeRequest(route, doc, tr)) },
    {
      weight: 1,
      arbitrary: fc.tuple(docs, fc.array(mutationArbitrary, { minLength: 2, maxLength: 4 }), fc.option(transportArbitrary)).map(([doc, ms, tr]) =>
        encodeRequest(route, ms.reduce(mutate, doc), tr),
      ),
    },
  );
}

/** A seed per route from the run's seed, so one route can be replayed alone. */
export function routeSeed(runSeed: number, route: FuzzRoute): number {
  let h = runSeed | 0;
  for (const ch of `${route.method} ${route.url}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}
