import { describe, expect, it } from 'vitest';
import { CUSTOMER_WORKFLOW, REQUEST_STATUSES, WORKFLOW, statusAfterReply, transitionsFor, type RequestStatus } from '../../src/domain/request-workflow.js';

// statusAfterReply (docs/product.md#workflow): where a public reply moves a request.

const now = new Date('2026-12-03T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const after = (status: RequestStatus, by: 'support' | 'customer', changed = daysAgo(1), reopenWindowDays = 14) =>
  statusAfterReply({ status, statusChangedAt: changed }, by, { now, reopenWindowDays });

describe('statusAfterReply', () => {
  it("support's reply hands a request that is Open or waiting for support to the customer, nothing else", () => {
    expect(after('Open', 'support')).toBe('Waiting for customer');
    expect(after('Waiting for support', 'support')).toBe('Waiting for customer');
    for (const s of ['Waiting for customer', 'In progress', 'Resolved', 'Closed'] as const) expect(after(s, 'support')).toBeUndefined();
  });

  it("the customer's reply hands a request waiting for them back, and reopens one resolved within the window", () => {
    expect(after('Waiting for customer', 'customer')).toBe('Waiting for support');
    expect(after('Resolved', 'customer', daysAgo(14))).toBe('Waiting for support');
    expect(after('Resolved', 'customer', daysAgo(14.01))).toBeUndefined();
    expect(after('Resolved', 'customer', daysAgo(1), 0)).toBeUndefined();
    for (const s of ['Open', 'Waiting for support', 'In progress', 'Closed'] as const) expect(after(s, 'customer')).toBeUndefined();
  });
});

// The REST API's transition ids (docs/product.md#rest-transitions): a client keeps an id it saw once.
describe('transition ids', () => {
  it('one id per name and target in each workflow, never shared between the two, unique from every status', () => {
    const idOf = new Map<string, string>();
    for (const t of [...WORKFLOW, ...CUSTOMER_WORKFLOW]) {
      const key = `${t.name} → ${t.to}`;
      expect(idOf.get(key) ?? t.id, key).toBe(t.id);
      idOf.set(key, t.id);
    }
    expect(new Set(idOf.values()).size).toBe(idOf.size);
    for (const status of REQUEST_STATUSES) {
      for (const caller of [{ worksProject: true, isReporter: false }, { worksProject: false, isReporter: true }]) {
        const ids = transitionsFor(status, caller).map((t) => t.id);
        expect(new Set(ids).size, status).toBe(ids.length);
      }
    }
    // the ids the docs promise
    expect(Object.fromEntries(idOf)).toMatchObject({ 'Start progress → In progress': '11', 'Resolve → Resolved': '41', 'Mark as resolved → Resolved': '901', 'Reopen → Waiting for support': '911' });
  });

  it('agents get the workflow, the reporter resolve and reopen, anyone else nothing', () => {
    expect(transitionsFor('Resolved', { worksProject: true, isReporter: true }).map((t) => t.name)).toEqual(['Close', 'Reopen']);
    expect(transitionsFor('Resolved', { worksProject: false, isReporter: true }).map((t) => t.to)).toEqual(['Waiting for support']);
    expect(transitionsFor('Closed', { worksProject: false, isReporter: true })).toEqual([]);
    expect(transitionsFor('Open', { worksProject: false, isReporter: false })).toEqual([]);
  });
});
