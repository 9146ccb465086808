import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, loginCustomer, type Session, type TestApp } from '../support/app.js';
import { staffAuth } from './rest-helpers.js';

// What the route fuzzer (fuzz.test.ts) found, each with the smallest input that showed it. Each
// of these answered 500 (or a bare framework error) before its fix.

let t: TestApp;
let alice: Session;
let adminToken: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
  adminToken = await staffAuth(t, 'admin@acme.test');
  console.log(`database: ${t.database.label}`);
});
afterAll(() => t?.close());

function expectAtlassianError(res: LightMyRequestResponse, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json();
  expect(body.errorMessages).toEqual([expect.any(String)]);
  expect(typeof body.errors).toBe('object');
  return body;
}

describe('D1: inputs the fuzzer found', () => {
  it("D1: a broken %-escape in the URL answers 400 in Atlassian's error shape", async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/s/acme/rest/servicedeskapi/servicedesk/U%!/customer', headers: { authorization: adminToken.authorization } });
    expect(expectAtlassianError(res, 400).errorMessages[0]).toMatch(/URL/);
  });

  it("D1: a path segment longer than the router allows answers 414 in Atlassian's error shape", async () => {
    const res = await t.app.inject({ method: 'GET', url: `/s/${'a'.repeat(301)}/rest/servicedeskapi/request/HELP-1/participant`, headers: { cookie: alice.cookie } });
    expect(expectAtlassianError(res, 414).errorMessages[0]).toMatch(/too long/);
  });
});
