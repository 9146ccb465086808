import { sql } from 'kysely';
import type { Db } from '../../src/db/connection.js';

/**
 * The generated columns of the i-th request (`i` from generate_series), the same in every bench:
 * summaries in rotation with one in 199 about a printer (what the text-search benches look for),
 * a unique description, statuses in rotation, one minute apart going back from 2026-11-01.
 */
export const GENERATED = {
  summary: sql`CASE WHEN i % 199 = 0 THEN 'Printer on floor ' || (i % 7) || ' jams'
                    ELSE (ARRAY['VPN drops every hour', 'Cannot log in to payroll', 'New laptop for ' || substr(md5('n' || i), 1, 5),
                                'Password expired', 'Email quota full', 'Access to shared drive', 'Monitor flickers',
                                'Software install request'])[1 + i % 8] END`,
  description: sql`'Reported from the help center. Reference ' || md5('d' || i)`,
  status: sql`(ARRAY['Open', 'In progress', 'Resolved', 'Closed'])[1 + (i / 3) % 4]`,
  at: sql`timestamptz '2026-11-01 00:00Z' - i * interval '1 minute'`,
};

/**
 * Adds `count` requests to project `projectKey` of site `siteSlug` (the demo data's acme/HELP by
 * default), shaped like bench/filters.ts: reporters spread over the site's customers, summaries
 * in rotation with one in 199 about a printer, 0–3 participants, a picker value on half of them
 * (when the site has a user-picker field), a public comment on every third, an internal note on
 * every third. Runs on PGlite and PostgreSQL alike (one INSERT … SELECT per table).
 */
export async function addRequests(db: Db, options: { siteSlug?: string; projectKey?: string; count: number }): Promise<void> {
  const siteSlug = options.siteSlug ?? 'acme';
  const projectKey = options.projectKey ?? 'HELP';
  const site = await db.selectFrom('sites').select('id').where('slug', '=', siteSlug).executeTakeFirstOrThrow();
  const project = await db.selectFrom('projects').select(['id', 'next_request_number']).where('site_id', '=', site.id).where('key', '=', projectKey).executeTakeFirstOrThrow();
  const type = await db.selectFrom('request_types').select('id').where('project_id', '=', project.id).orderBy('id').executeTakeFirstOrThrow();
  const field = await db.selectFrom('custom_fields').select('id').where('site_id', '=', site.id).orderBy('id').executeTakeFirst();
  const customers = (
    await db.selectFrom('accounts').select('account_id').where('site_id', '=', site.id).where('kind', '=', 'customer').where('status', '=', 'active').orderBy('account_id').execute()
  ).map((r) => r.account_id);
  if (customers.length === 0) throw new Error(`no active customers on ${siteSlug}`);
  const first = Number(project.next_request_number);
  const pick = (salt: string) => sql`(${sql.val(customers)}::text[])[1 + abs(hashtext(${salt} || i::text)) % ${customers.length}::int]`;
  await sql`
    INSERT INTO requests (site_id, project_id, request_type_id, number, key, summary, description, status,
                          reporter_id, created_at, updated_at, status_changed_at)
    SELECT ${site.id}::uuid, ${project.id}::bigint, ${type.id}::bigint, ${first}::int + i,
           ${projectKey} || '-' || (${first}::int + i),
           ${GENERATED.summary}, ${GENERATED.description}, ${GENERATED.status},
           ${pick('r')},
           ${GENERATED.at}, ${GENERATED.at}, ${GENERATED.at}
    FROM generate_series(0, ${options.count - 1}::int) AS i`.execute(db);
  await db.updateTable('projects').set({ next_request_number: first + options.count }).where('id', '=', project.id).execute();
  const added = sql`(SELECT r.id, r.number - ${first}::int AS i, r.reporter_id, r.created_at FROM requests r
                     WHERE r.project_id = ${project.id}::bigint AND r.number >= ${first}::int) AS r`;
  for (const k of [1, 2, 3]) {
    await sql`
      INSERT INTO request_participants (site_id, request_id, account_id, added_at)
      SELECT ${site.id}::uuid, r.id, ${pick('p' + k)}, r.created_at FROM ${added}
      WHERE r.i % 4 >= ${k}::int AND ${pick('p' + k)} <> r.reporter_id
      ON CONFLICT DO NOTHING`.execute(db);
  }
  if (field) {
    await sql`
      INSERT INTO request_user_values (site_id, request_id, custom_field_id, account_id, position)
      SELECT ${site.id}::uuid, r.id, ${field.id}::bigint, ${pick('a')}, 0 FROM ${added}
      WHERE r.i % 2 = 1
      ON CONFLICT DO NOTHING`.execute(db);
  }
  await sql`
    INSERT INTO comments (site_id, request_id, author_id, body, public, created_at)
    SELECT ${site.id}::uuid, r.id, r.reporter_id,
           CASE WHEN r.i % 3 = 0 THEN 'Any update on this? Ticket ' || r.i ELSE 'Note for agents: check ' || r.i END,
           r.i % 3 = 0, r.created_at + interval '5 minutes'
    FROM ${added}
    WHERE r.i % 3 <> 1`.execute(db);
  await sql`ANALYZE`.execute(db);
}
