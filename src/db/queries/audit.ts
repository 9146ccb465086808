import { sql, type Kysely, type Transaction } from 'kysely';
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
  return db.insertInto('audit_events').values(auditRow(event));
}

/**
 * The same insert as a part of a statement whose part `cte` (a data-modifying one) may change nothing:
 * the event is written only if that part changed a row — once, however many it changed.
 */
export function insertAuditEventIfAny(db: Kysely<Database>, event: AuditEventInput, cte: string) {
  return insertAuditRowIfAny(db, auditRow(event), cte);
}

/** insertAuditEventIfAny of the event's row as auditRow makes it (a statement built once takes it as values: db/built-once.ts). */
export function insertAuditRowIfAny(db: Kysely<Database>, r: AuditRow, cte: string) {
  return db
    .insertInto('audit_events')
    .columns(['action', 'org_id', 'site_id', 'actor_id', 'target_id', 'ip', 'user_agent', 'details'])
    .expression(
      sql`SELECT ${r.action}::text, ${r.org_id}::uuid, ${r.site_id}::uuid, ${r.actor_id}::text, ${r.target_id}::text, ${r.ip}::text, ${r.user_agent}::text, ${r.details}::jsonb
          WHERE EXISTS (SELECT 1 FROM ${sql.table(cte)})`,
    );
}

/** An audit event as its row's columns, its details as JSON text. */
export type AuditRow = ReturnType<typeof auditRow>;

export function auditRow(event: AuditEventInput) {
  return {
    action: event.action,
    org_id: event.orgId,
    site_id: event.siteId,
    actor_id: event.actorId,
    target_id: event.targetId,
    ip: event.ip,
    user_agent: event.userAgent,
    // jsonb refuses lone surrogates ("\ud800") that JSON.stringify keeps: make text well-formed.
    details: JSON.stringify(event.details ?? {}, (_key, value) => (typeof value === 'string' ? value.toWellFormed() : value)),
  };
}
