import { sql, type Kysely } from 'kysely';
import { STAFF_MATCHES } from './20261206T0700_picker_total_horizon.js';
import { pickUsersWithWords } from './20261207T0900_picker_term_words.js';
import { ACCOUNT_LOOK_UP_COLUMNS, accountsLookUpsChangedTrigger } from './20261207T1000_look_up_notices.js';

// The staff's part of the picker answers each staff member's lower-cased email in its `term` column
// (NULL before: nothing read it). An instance that keeps the organization's pickable staff
// (db/queries/user-picker.ts; docs/architecture.md, "Kept picker answers") matches them against a
// search's words with the very email the statement's own match reads. Signature and every other
// column unchanged.
//
// What that match reads announces itself: the accounts' look-up notice (migration
// 20261207T1000_look_up_notices) watches `sort_name` too, so a staff member's sort name changed on its
// own (no code of Portico's does; a hand-made fix might) drops the kept staff like a rename does.
const BEFORE = `SELECT 'staff'::text, a.account_id, NULL::text, coalesce(a.sort_name, '')::text`;
const AFTER = `SELECT 'staff'::text, a.account_id, a.email_lower::text, coalesce(a.sort_name, '')::text`;

const STAFF_MATCHES_WITH_EMAIL = STAFF_MATCHES.replace(BEFORE, AFTER);
if (STAFF_MATCHES_WITH_EMAIL === STAFF_MATCHES) throw new Error('20261208T0100: the staff part to change was not found');

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(pickUsersWithWords(STAFF_MATCHES_WITH_EMAIL)).execute(db);
  await sql`DROP TRIGGER accounts_look_ups_changed ON accounts`.execute(db);
  await sql.raw(accountsLookUpsChangedTrigger([...ACCOUNT_LOOK_UP_COLUMNS, 'sort_name'])).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER accounts_look_ups_changed ON accounts`.execute(db);
  await sql.raw(accountsLookUpsChangedTrigger(ACCOUNT_LOOK_UP_COLUMNS)).execute(db);
  await sql.raw(pickUsersWithWords(STAFF_MATCHES)).execute(db);
}
