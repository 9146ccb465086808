import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  console.log(`database: ${t.database.label}`);
});
afterAll(() => t?.close());

describe('health and API documents', () => {
  it('answers /healthz once migrations ran', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toBe('3.0.3');
  });

  it('answers unknown API paths with a JSON 404 in Atlassian shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().errorMessages).toEqual(['Not found.']);
  });

  it('loaded the demo data of docs/product.md#running', async () => {
    const keys = await t.db.selectFrom('requests').select('key').orderBy('id').execute();
    expect(keys.map((k) => k.key)).toEqual(['HELP-1', 'HELP-2', 'HELP-3', 'HELP-4', 'SUP-1']);
    const dave = await t.db.selectFrom('accounts').select('status').where('email_lower', '=', 'dave@customer.test').executeTakeFirstOrThrow();
    expect(dave.status).toBe('revoked');
  });
});

describe('help-center public site name', () => {
  it('tells anonymous visitors the name of the help center they are logging in to', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/site' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ slug: 'acme', name: 'Acme Support' });
    const missing = await t.app.inject({ method: 'GET', url: '/s/nowhere/api/portal/site' });
    expect(missing.statusCode).toBe(404);
  });
});
