import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/db/connection.js';

export interface InjectedFailure {
  /** how many rows the trigger has seen so far (the failing one included) */
  seen(): Promise<number>;
  remove(): Promise<void>;
}

export const INJECTED_FAILURE = 'injected failure';

/**
 * Makes the database refuse the n-th row written to a table by one kind of statement, the way a
 * full disk, a lost connection or a bug would refuse it halfway through a use case: a BEFORE ROW
 * trigger raises on that row. The count is kept in a sequence, which a rollback does not undo.
 */
export async function failOnRow(db: Db, target: { table: string; op: 'INSERT' | 'UPDATE' | 'DELETE'; nth: number }): Promise<InjectedFailure> {
  const name = `d5_${randomBytes(4).toString('hex')}`;
  const table = `"${target.table.replace(/"/g, '""')}"`;
  await sql.raw(`create sequence ${name}`).execute(db);
  await sql
    .raw(
      `create function ${name}() returns trigger language plpgsql as $$
       begin
         if nextval('${name}') = ${Number(target.nth)} then
           raise exception '${INJECTED_FAILURE}: % number ${Number(target.nth)} on %', tg_op, tg_table_name;
         end if;
         return case when tg_op = 'DELETE' then old else new end;
       end $$`,
    )
    .execute(db);
  await sql.raw(`create trigger ${name} before ${target.op} on ${table} for each row execute function ${name}()`).execute(db);
  return {
    async seen() {
      const { rows } = await sql.raw<{ n: string | number }>(`select case when is_called then last_value else 0 end as n from ${name}`).execute(db);
      return Number(rows[0].n);
    },
    async remove() {
      await sql.raw(`drop trigger ${name} on ${table}`).execute(db);
      await sql.raw(`drop function ${name}()`).execute(db);
      await sql.raw(`drop sequence ${name}`).execute(db);
    },
  };
}
