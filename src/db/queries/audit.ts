import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

export interface AuditEventInput {
  action: string;
  orgId: string | null;
  siteId: string | null;
  actorId: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  details?: Record<string, unknown>;
}

/** Appends an audit event inside the caller's transaction: the event exists iff the change does. */
export async function appendAuditEvent(trx: Transaction<Database>, event: AuditEventInput): Promise<void> {
  await insertAuditEvent(trx, event).execute();
}

/**
 * The insert of an audit event, not yet run: appendAuditEvent runs it on its own, and a change that
 * writes in one statement runs it as a part of that statement (db/queries/customer-access.ts), so
 * the event still exists iff the change does.
 */
export function insertAuditEvent(db: Kysely<Database>, event: AuditEventInput) {
  return db.insertInto('audit_events').values({
    action: event.action,
    org_id: event.orgId,
    site_id: event.siteId,
    actor_id: event.actorId,
    target_id: event.targetId,
    ip: event.ip,
    user_agent: event.userAgent,
    // jsonb refuses lone surrogates ("\ud800") that JSON.stringify keeps: make text well-formed.
    details: JSON.stringify(event.details ?? {}, (_key, value) => (typeof value === 'string' ? value.toWellFormed() : value)),
  });
}
