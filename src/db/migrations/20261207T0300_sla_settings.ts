import { sql, type Kysely } from 'kysely';

// A project's SLA settings (docs/product.md#slas): its goals, in minutes of working time per
// priority per metric (a priority without a goal is not measured), and an optional business
// calendar (time zone, working hours per weekday, holidays), both as JSON in the shapes of
// src/domain/sla.ts and src/domain/business-calendar.ts. A project without a row has the default
// goals and no calendar.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE project_sla_settings (
      project_id bigint PRIMARY KEY REFERENCES projects(id),
      goals text NOT NULL,
      calendar text,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE project_sla_settings`.execute(db);
}
