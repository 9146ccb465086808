import { sql, type Kysely } from 'kysely';

// The audit log filters by who did it and to whom (docs/product.md#admin-console): each person's
// events of an organization, newest first, straight from an index however long the log grows.
// The date range uses audit_events_org_idx (org_id, created_at).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX audit_events_org_actor_idx ON audit_events (org_id, actor_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX audit_events_org_target_idx ON audit_events (org_id, target_id, created_at DESC, id DESC)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS audit_events_org_actor_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS audit_events_org_target_idx`.execute(db);
}
