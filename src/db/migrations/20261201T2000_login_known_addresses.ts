import { sql, type Kysely } from 'kysely';
import { executeScript } from '../script.js';

// Addresses (an IPv4 address, or the /64 of an IPv6 one) each account logged in from, with when it
// last did: the per-account ceiling on failed logins refuses new addresses only, so strangers
// failing from many addresses cannot keep the owner out of their own (domain/login-throttle.ts).
// Rows go with the account, and are pruned once not used for knownAddressDays.
export async function up(db: Kysely<any>): Promise<void> {
  await executeScript(db, `
    CREATE TABLE login_known_addresses (
      account_id text NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
      address text NOT NULL,
      last_login_at timestamptz NOT NULL,
      PRIMARY KEY (account_id, address)
    );
    CREATE INDEX login_known_addresses_last_login_idx ON login_known_addresses (last_login_at);
  `);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS login_known_addresses`.execute(db);
}
