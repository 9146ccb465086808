import { sql } from 'kysely';
import type { Db } from '../../src/db/connection.js';

export interface ChangeLogOptions {
  /** tables left out whole (e.g. login throttling, which refused logins must write) */
  skipTables: ReadonlySet<string>;
  /** "table.column" whose changes alone do not count (e.g. sessions.last_seen_at, which any authenticated request may slide) */
  skipColumns: ReadonlySet<string>;
}

/**
 * What a refused or failed request may still write, left out of the log: login_throttle (a refused
 * login must count towards throttling), sessions.last_seen_at and idle_expires_at,
 * accounts.last_active_at (an authenticated request slides its session, at most once a minute),
 * api_tokens.last_used_at and scim_tokens.last_used_at (a request with a token records its use), and the migrations' own tables.
 */
export const SIDE_WRITES: ChangeLogOptions = {
  skipTables: new Set(['login_throttle', 'kysely_migration', 'kysely_migration_lock']),
  skipColumns: new Set(['sessions.last_seen_at', 'sessions.idle_expires_at', 'accounts.last_active_at', 'api_tokens.last_used_at', 'scim_tokens.last_used_at']),
};

export interface Change {
  table: string;
  op: string;
  row: string;
}

/**
 * Records every committed change to the database's tables, through an AFTER ROW trigger on each
 * table (read from the catalog, so tables added later are covered without touching the test). An
 * update that changes only skipped columns is not recorded; a rolled-back write leaves no record.
 * `take()` answers the changes since the last call and forgets them.
 */
export async function installChangeLog(db: Db, options: ChangeLogOptions = SIDE_WRITES): Promise<{ take(): Promise<Change[]> }> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const tables = rows.map((r) => r.table_name).filter((t) => !options.skipTables.has(t));
  await sql`create table test_change_log (id bigserial primary key, table_name text not null, op text not null, row_text text not null)`.execute(db);
  await sql`
    create function test_record_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and (to_jsonb(old) - tg_argv) = (to_jsonb(new) - tg_argv) then return null; end if;
      insert into test_change_log (table_name, op, row_text)
      values (tg_table_name, tg_op, left(case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end::text, 300));
      return null;
    end $$`.execute(db);
  const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
  for (const table of tables) {
    const skipped = [...options.skipColumns].filter((c) => c.startsWith(`${table}.`)).map((c) => literal(c.slice(table.length + 1)));
    await sql
      .raw(`create trigger test_change_log after insert or update or delete on ${ident(table)} for each row execute function test_record_change(${skipped.join(', ')})`)
      .execute(db);
  }
  return {
    async take() {
      const result = await sql<{ table_name: string; op: string; row_text: string }>`delete from test_change_log returning table_name, op, row_text`.execute(db);
      return result.rows.map((r) => ({ table: r.table_name, op: r.op, row: r.row_text }));
    },
  };
}
