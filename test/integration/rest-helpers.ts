import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { hashSecret, newSecret } from '../../src/domain/secrets.js';
import type { TestApp } from '../support/app.js';
import { as, loginCustomer } from '../support/app.js';

// Shared by the rest*.test.ts files: callers (API tokens for staff, help-center cookies for
// customers) and checks of docs/product.md#rest-shapes field by field.

export type Headers = Record<string, string>;

/** An API token of a staff account, inserted as the profile page would store it (hash only). */
export async function staffAuth(t: TestApp, email: string, scheme: 'basic' | 'bearer' = 'basic'): Promise<Headers> {
  const account = await t.db.selectFrom('accounts').select('account_id').where('kind', '=', 'staff').where('email_lower', '=', email).executeTakeFirstOrThrow();
  const token = newSecret();
  await t.db.insertInto('api_tokens').values({ id: randomUUID(), account_id: account.account_id, label: 'rest test', token_hash: hashSecret(token) }).execute();
  return {
    authorization: scheme === 'basic' ? `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` : `Bearer ${token}`,
  };
}

/** A customer's help-center session on a site (cookie + CSRF header). */
export async function customerAuth(t: TestApp, site: string, email: string): Promise<Headers> {
  return as(await loginCustomer(t.app, site, email));
}

export function json(res: LightMyRequestResponse, status: number): any {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  expect(res.headers['content-type']).toMatch(/^application\/json(;\s*charset=utf-8)?$/i);
  return res.json();
}

/** An Atlassian error body with the given status and a message that mentions `mention`. */
export function expectError(res: LightMyRequestResponse, status: number, mention?: RegExp): any {
  const body = json(res, status);
  expect(Array.isArray(body.errorMessages)).toBe(true);
  expect(typeof body.errors).toBe('object');
  if (mention) expect(JSON.stringify(body)).toMatch(mention);
  return body;
}

export function expectUrl(value: unknown): void {
  expect(typeof value).toBe('string');
  expect(() => new URL(value as string)).not.toThrow();
  expect(value as string).not.toMatch(/\s/);
  expect(value as string).toMatch(/^https?:\/\//);
}

/** Optional field of the listed type: absent, or present with that type (never null). */
function opt(obj: Record<string, unknown>, key: string, check: (v: unknown) => void) {
  if (!(key in obj)) return;
  expect(obj[key], `${key} is null`).not.toBeNull();
  check(obj[key]);
}

export const str = (v: unknown) => expect(typeof v, `expected string, got ${JSON.stringify(v)}`).toBe('string');
export const num = (v: unknown) => expect(typeof v, `expected number, got ${JSON.stringify(v)}`).toBe('number');
export const bool = (v: unknown) => expect(typeof v, `expected boolean, got ${JSON.stringify(v)}`).toBe('boolean');
export const obj = (v: unknown) => {
  expect(typeof v).toBe('object');
  expect(v).not.toBeNull();
  expect(Array.isArray(v)).toBe(false);
};
const strArr = (v: unknown) => {
  expect(Array.isArray(v)).toBe(true);
  for (const x of v as unknown[]) str(x);
};

/** No null anywhere in a value, except under the listed keys (e.g. requestFieldValues[].value). */
export function expectNoNulls(value: unknown, allowedKeys: string[] = [], path = '$'): void {
  if (value === null) throw new Error(`null at ${path}`);
  if (Array.isArray(value)) value.forEach((v, i) => expectNoNulls(v, allowedKeys, `${path}[${i}]`));
  else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === null && allowedKeys.includes(k)) continue;
      expectNoNulls(v, allowedKeys, `${path}.${k}`);
    }
  }
}

/** 1.4 DateDTO */
export function expectDate(d: unknown): void {
  obj(d);
  const o = d as Record<string, unknown>;
  opt(o, 'iso8601', str);
  opt(o, 'jira', str);
  opt(o, 'friendly', str);
  opt(o, 'epochMillis', num);
  expect(o.iso8601).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
  expect(o.jira).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  expect(new Date(o.epochMillis as number).toISOString().slice(0, 19)).toBe((o.iso8601 as string).slice(0, 19));
}

/** 1.3 UserDTO */
export function expectJsmUser(u: unknown): void {
  obj(u);
  const o = u as Record<string, any>;
  opt(o, 'accountId', str);
  opt(o, 'displayName', str);
  opt(o, 'emailAddress', str);
  opt(o, 'active', bool);
  opt(o, 'timeZone', str);
  opt(o, '_links', obj);
  if (o._links) {
    opt(o._links, 'self', expectUrl);
    opt(o._links, 'jiraRest', expectUrl);
    opt(o._links, 'avatarUrls', obj);
  }
  expect(o.accountId).toBeDefined();
  expectNoNulls(u);
}

/** 1.12 platform User (and the UserDetails of search results) */
export function expectPlatformUser(u: unknown): void {
  obj(u);
  const o = u as Record<string, any>;
  opt(o, 'self', expectUrl);
  opt(o, 'accountId', (v) => {
    str(v);
    expect((v as string).length).toBeLessThanOrEqual(128);
  });
  opt(o, 'accountType', (v) => expect(['atlassian', 'app', 'customer', 'unknown']).toContain(v));
  opt(o, 'active', bool);
  opt(o, 'displayName', str);
  opt(o, 'emailAddress', str);
  opt(o, 'timeZone', str);
  opt(o, 'locale', str);
  opt(o, 'avatarUrls', (v) => {
    obj(v);
    for (const url of Object.values(v as object)) expectUrl(url);
  });
  expectNoNulls(u);
}

/** 1.2 Page<T>, with the links Atlassian always sends */
export function expectPage(p: unknown, item: (v: unknown) => void): any {
  obj(p);
  const o = p as Record<string, any>;
  for (const k of ['start', 'limit', 'size']) num(o[k]);
  bool(o.isLastPage);
  expect(Array.isArray(o.values)).toBe(true);
  expect(o.size).toBe(o.values.length);
  opt(o, '_expands', strArr);
  obj(o._links);
  expectUrl(o._links.base);
  expect(o._links.context).toBe('');
  opt(o._links, 'self', expectUrl);
  opt(o._links, 'next', expectUrl);
  opt(o._links, 'prev', expectUrl);
  expect('next' in o._links).toBe(!o.isLastPage);
  for (const v of o.values) item(v);
  return o;
}

/** 1.5 ServiceDeskDTO */
export function expectServiceDesk(d: unknown): void {
  obj(d);
  const o = d as Record<string, any>;
  for (const k of ['id', 'projectId', 'projectKey', 'projectName', 'projectTypeKey']) opt(o, k, str);
  expect(o.projectTypeKey).toBe('service_desk');
  expectUrl(o._links.self);
  expectNoNulls(d);
}

/** 1.7 CustomerRequestCreateMeta */
export function expectCreateMeta(m: unknown): void {
  obj(m);
  const o = m as Record<string, any>;
  opt(o, 'canRaiseOnBehalfOf', bool);
  opt(o, 'canAddRequestParticipants', bool);
  expect(Array.isArray(o.requestTypeFields)).toBe(true);
  for (const f of o.requestTypeFields) {
    for (const k of ['fieldId', 'name', 'description']) opt(f, k, str);
    for (const k of ['required', 'visible']) opt(f, k, bool);
    opt(f, 'jiraSchema', (s) => {
      obj(s);
      str((s as any).type);
      for (const k of ['system', 'custom', 'items']) opt(s as any, k, str);
      opt(s as any, 'customId', num);
    });
    opt(f, 'validValues', (v) => expect(Array.isArray(v)).toBe(true));
    opt(f, 'defaultValues', (v) => expect(Array.isArray(v)).toBe(true));
    opt(f, 'presetValues', strArr);
  }
  expectNoNulls(m);
}

/** 1.6 RequestTypeDTO */
export function expectRequestType(t: unknown): void {
  obj(t);
  const o = t as Record<string, any>;
  for (const k of ['id', 'name', 'description', 'helpText', 'issueTypeId', 'serviceDeskId', 'portalId', 'practice']) opt(o, k, str);
  opt(o, 'groupIds', strArr);
  opt(o, 'canCreateRequest', bool);
  opt(o, 'restrictionStatus', (v) => expect(['OPEN', 'RESTRICTED']).toContain(v));
  opt(o, 'fields', expectCreateMeta);
  opt(o, '_expands', strArr);
  expectUrl(o._links.self);
  expectNoNulls(t);
}

/** 1.9 CommentDTO */
export function expectComment(c: unknown): void {
  obj(c);
  const o = c as Record<string, any>;
  opt(o, 'id', str);
  opt(o, 'body', str);
  opt(o, 'public', bool);
  opt(o, 'author', expectJsmUser);
  opt(o, 'created', expectDate);
  opt(o, 'renderedBody', (r) => {
    obj(r);
    str((r as any).html);
  });
  opt(o, '_expands', strArr);
  expectUrl(o._links.self);
  expectNoNulls(c);
}

/** 1.8 CustomerRequestDTO */
export function expectCustomerRequest(r: unknown): void {
  obj(r);
  const o = r as Record<string, any>;
  for (const k of ['issueId', 'issueKey', 'summary', 'requestTypeId', 'serviceDeskId']) opt(o, k, str);
  opt(o, 'createdDate', expectDate);
  opt(o, 'reporter', expectJsmUser);
  expect(Array.isArray(o.requestFieldValues)).toBe(true);
  for (const v of o.requestFieldValues) {
    opt(v, 'fieldId', str);
    opt(v, 'label', str);
    opt(v, 'renderedValue', obj);
  }
  obj(o.currentStatus);
  str(o.currentStatus.status);
  expect(['UNDEFINED', 'NEW', 'INDETERMINATE', 'DONE']).toContain(o.currentStatus.statusCategory);
  expectDate(o.currentStatus.statusDate);
  opt(o, '_expands', strArr);
  for (const k of ['self', 'jiraRest', 'web', 'agent']) expectUrl(o._links[k]);
  opt(o, 'serviceDesk', expectServiceDesk);
  opt(o, 'requestType', expectRequestType);
  opt(o, 'participants', (p) => expectPage(p, expectJsmUser));
  opt(o, 'status', (p) => expectPage(p, (s: any) => {
    str(s.status);
    expectDate(s.statusDate);
  }));
  opt(o, 'sla', (p) => expectPage(p, obj));
  opt(o, 'comments', (p) => expectPage(p, expectComment));
  opt(o, 'actions', (a) => {
    for (const k of ['addAttachment', 'addComment', 'addParticipant', 'removeParticipant']) bool((a as any)[k].allowed);
  });
  expectNoNulls(r, ['value']);
}

/** 1.11 ArticleDTO */
export function expectArticle(a: unknown): void {
  obj(a);
  const o = a as Record<string, any>;
  opt(o, 'title', str);
  opt(o, 'excerpt', str);
  opt(o, 'source', (s) => expect((s as any).type).toBe('confluence'));
  opt(o, 'content', (c) => expectUrl((c as any).iframeSrc));
  expectNoNulls(a);
}

