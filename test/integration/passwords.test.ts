import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { verifyPassword } from '../../src/domain/passwords.js';
import { as, accountIdOf, createTestApp, loginStaff, type Session, type TestApp } from '../support/app.js';

// Password rules as a person meets them: an admin sets a customer's password in the admin console,
// and the customer logs in with it.

let t: TestApp;
let ada: Session;
let bob: string;
beforeAll(async () => {
  t = await createTestApp();
  console.log(`database: ${t.database.label}`);
  ada = await loginStaff(t.app, 'admin@acme.test');
  bob = await accountIdOf(t.db, 'bob@customer.test', 'acme');
});
afterAll(() => t?.close());

const json = { 'content-type': 'application/json' };
const OWASP_ARGON2ID = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/;

function setPassword(password: string) {
  return t.app.inject({ method: 'PUT', url: `/api/admin/sites/acme/customers/${bob}/password`, headers: { ...as(ada), ...json }, payload: JSON.stringify({ password }) });
}
async function logsIn(password: string): Promise<boolean> {
  const res = await t.app.inject({ method: 'POST', url: '/s/acme/api/portal/login', headers: json, payload: JSON.stringify({ email: 'bob@customer.test', password }) });
  expect([200, 401]).toContain(res.statusCode);
  return res.statusCode === 200;
}
const storedHash = async () => (await t.db.selectFrom('accounts').select('password_hash').where('account_id', '=', bob).executeTakeFirstOrThrow()).password_hash!;

describe('password rules', () => {
  it('S9: length is counted in characters (code points): four emoji are 4 characters, eight are enough', async () => {
    const four = '🔑🌊🚲🎻'; // 8 UTF-16 code units
    const refused = await setPassword(four);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors.password).toBe('The password must be at least 8 characters.');
    const eight = '🔑🌊🚲🎻🍋🧭🪁🦉';
    expect((await setPassword(eight)).statusCode).toBe(204);
    expect(await logsIn(eight)).toBe(true);
    expect(await logsIn('🔑🌊🚲🎻🍋🧭🪁')).toBe(false);
  });

  it('S9: at least 8 and up to 100 characters are accepted (64 among them), 101 are refused', async () => {
    expect((await setPassword('seven77')).statusCode).toBe(400);
    for (const length of [8, 64, 100]) {
      const password = 'k'.repeat(length - 1) + 'Z';
      expect((await setPassword(password)).statusCode, `${length}`).toBe(204);
      expect(await logsIn(password), `${length}`).toBe(true);
    }
    // 100 characters with emoji: 150 UTF-16 code units, still 100 characters
    const mixed = '🙂'.repeat(50) + 'a'.repeat(50);
    expect((await setPassword(mixed)).statusCode).toBe(204);
    expect(await logsIn(mixed)).toBe(true);
    const tooLong = await setPassword('🙂' + mixed);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors.password).toBe('The password must be at most 100 characters.');
    expect(await logsIn(mixed)).toBe(true); // the refused change changed nothing
  });

  it('S9: nothing is truncated: a 100-character password differing only in its last character does not log in', async () => {
    const password = 'the-long-passphrase-'.repeat(5); // 100 characters
    expect((await setPassword(password)).statusCode).toBe(204);
    expect(await logsIn(password)).toBe(true);
    expect(await logsIn(password.slice(0, 99) + 'X')).toBe(false);
    expect(await logsIn(password.slice(0, 99))).toBe(false);
    expect(await logsIn(password.slice(0, 72))).toBe(false); // bcrypt would have stopped reading here
  });

  it('S9: no composition rules, but common passwords are refused whatever their case', async () => {
    for (const plain of ['correcthorsebatterystaple', 'lowercase only words', '12398745610']) {
      expect((await setPassword(plain)).statusCode, plain).toBe(204);
      expect(await logsIn(plain), plain).toBe(true);
    }
    for (const common of ['password123', 'Password123', 'QWERTYUIOP', '12345678']) {
      const res = await setPassword(common);
      expect(res.statusCode, common).toBe(400);
      expect(res.json().errors.password, common).toBe('This password is too common. Choose another one.');
    }
  });
});

describe('password hashes', () => {
  it('S10: passwords are stored as argon2id at OWASP\'s parameters (m=19456 KiB, t=2, p=1), never in the clear', async () => {
    expect((await setPassword('Violet-Harbour-Tram-5')).statusCode).toBe(204);
    const stored = await storedHash();
    expect(stored).toMatch(OWASP_ARGON2ID);
    expect(stored).not.toContain('Violet-Harbour-Tram-5');
    const all = await t.db.selectFrom('accounts').select('password_hash').where('password_hash', 'is not', null).execute();
    expect(all.length).toBeGreaterThan(5);
    for (const { password_hash } of all) expect(password_hash).toMatch(OWASP_ARGON2ID);
  });

  it('S10: a hash made with weaker parameters is replaced on the next successful login, not on a failed one', async () => {
    const weak = [
      await hash(DEMO_PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 }), // argon2id, too little memory and time
      await hash(DEMO_PASSWORD, { algorithm: 1, memoryCost: 19456, timeCost: 2, parallelism: 1 }), // argon2i
    ];
    for (const old of weak) {
      await t.db.updateTable('accounts').set({ password_hash: old }).where('account_id', '=', bob).execute();
      expect(await logsIn('not-the-password')).toBe(false);
      expect(await storedHash()).toBe(old);
      expect(await logsIn(DEMO_PASSWORD)).toBe(true);
      const upgraded = await storedHash();
      expect(upgraded).toMatch(OWASP_ARGON2ID);
      expect(await verifyPassword(upgraded, DEMO_PASSWORD)).toBe(true);
      expect(await logsIn(DEMO_PASSWORD)).toBe(true);
      expect(await storedHash()).toBe(upgraded); // once is enough
    }
  });

  it('S10: a hash stronger than today\'s is kept as it is', async () => {
    const strong = await hash(DEMO_PASSWORD, { algorithm: 2, memoryCost: 47104, timeCost: 3, parallelism: 1 });
    await t.db.updateTable('accounts').set({ password_hash: strong }).where('account_id', '=', bob).execute();
    expect(await logsIn(DEMO_PASSWORD)).toBe(true);
    expect(await storedHash()).toBe(strong);
  });
});
