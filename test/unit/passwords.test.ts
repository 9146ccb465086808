import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decoyPasswordHash, hashPassword, passwordHashNeedsUpgrade, passwordProblem, verifyPassword, PASSWORD_MAX, PASSWORD_MIN } from '../../src/domain/passwords.js';
import { hashSecret, newSecret, safeEqual } from '../../src/domain/secrets.js';

describe('password rules', () => {
  it('S9: accepts 8 to 100 characters that are not common', () => {
    expect(passwordProblem('a-brand-new-secret-9')).toBeNull();
    expect(passwordProblem('x'.repeat(PASSWORD_MIN - 1) + 'Q')).toBeNull();
    expect(passwordProblem('Zq'.repeat(PASSWORD_MAX / 2))).toBeNull();
  });

  it('S9: counts characters by code point: an emoji is one character, however many UTF-16 units it takes', () => {
    expect(passwordProblem('🔑🌊🚲🎻')).toBe('The password must be at least 8 characters.');
    expect(passwordProblem('🔑🌊🚲🎻🍋🧭🪁🦉')).toBeNull();
    expect(passwordProblem('𝔭'.repeat(PASSWORD_MAX))).toBeNull();
    expect(passwordProblem('𝔭'.repeat(PASSWORD_MAX + 1))).toBe('The password must be at most 100 characters.');
  });

  it('S9: refuses too short and too long with the limit in the message', () => {
    expect(passwordProblem('Zq3$abc')).toBe('The password must be at least 8 characters.');
    expect(passwordProblem('')).toBe('The password must be at least 8 characters.');
    expect(passwordProblem('Zq'.repeat(50) + 'x')).toBe('The password must be at most 100 characters.');
  });

  it('S9: refuses common passwords whatever their case', () => {
    for (const common of ['password', 'password123', 'PASSWORD123', '12345678', 'qwertyuiop']) {
      expect(passwordProblem(common), common).toBe('This password is too common. Choose another one.');
    }
  });

  it('never throws, and any refusal is one of the three messages', () => {
    const seen = { short: 0, long: 0, common: 0, accepted: 0 };
    const codePoints = (p: string) => [...p].length;
    fc.assert(
      fc.property(
        // lengths around both bounds, in one- and two-unit characters, and common passwords in any case
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ minLength: PASSWORD_MAX - 3, maxLength: PASSWORD_MAX + 3 }),
          fc.string({ unit: 'grapheme', minLength: PASSWORD_MAX - 3, maxLength: PASSWORD_MAX + 3 }),
          fc.constantFrom('password', 'Password123', 'QWERTYUIOP', '12345678'),
        ),
        (p) => {
          const problem = passwordProblem(p);
          const length = codePoints(p);
          if (length < PASSWORD_MIN) {
            expect(problem).toBe('The password must be at least 8 characters.');
            seen.short++;
          } else if (length > PASSWORD_MAX) {
            expect(problem).toBe('The password must be at most 100 characters.');
            seen.long++;
          } else if (problem !== null) {
            expect(problem).toBe('This password is too common. Choose another one.');
            seen.common++;
          } else {
            expect(length).toBeGreaterThanOrEqual(PASSWORD_MIN);
            expect(length).toBeLessThanOrEqual(PASSWORD_MAX);
            seen.accepted++;
          }
        },
      ),
      { numRuns: 1000 },
    );
    // each outcome was reached, the upper bound included
    expect(seen.short).toBeGreaterThan(20);
    expect(seen.long).toBeGreaterThan(100);
    expect(seen.common).toBeGreaterThan(50);
    expect(seen.accepted).toBeGreaterThan(100);
  });
});

describe('argon2id hashes', () => {
  it('S10: hashes with argon2id at m=19456, t=2, p=1 and verifies only the same password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery ')).toBe(false);
    expect(await verifyPassword(hash, 'Correct horse battery')).toBe(false);
    // salted: the same password hashes differently each time
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
  });

  it('S10: a hash weaker than today\'s (another algorithm or version, less memory, fewer passes) needs an upgrade; a stronger one does not', async () => {
    expect(passwordHashNeedsUpgrade(await hashPassword('correct horse battery'))).toBe(false);
    expect(passwordHashNeedsUpgrade('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA')).toBe(false);
    expect(passwordHashNeedsUpgrade('$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaA')).toBe(false);
    for (const weaker of [
      '$argon2id$v=19$m=4096,t=2,p=1$c2FsdHNhbHQ$aGFzaA',
      '$argon2id$v=19$m=19456,t=1,p=1$c2FsdHNhbHQ$aGFzaA',
      '$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA',
      '$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA',
      '$argon2d$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA',
      '$2b$12$abcdefghijklmnopqrstuuOq1m0mD3Vv0m1m3O8p3w0KqjHnqWz6',
      'garbage',
    ]) {
      expect(passwordHashNeedsUpgrade(weaker), weaker).toBe(true);
    }
  });

  it('refuses without throwing: no hash, a garbage hash, an over-long password', async () => {
    expect(await verifyPassword(null, 'anything-at-all')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'anything-at-all')).toBe(false);
    const hash = await hashPassword('x'.repeat(PASSWORD_MAX));
    expect(await verifyPassword(hash, 'x'.repeat(PASSWORD_MAX))).toBe(true);
    expect(await verifyPassword(hash, 'x'.repeat(PASSWORD_MAX + 1))).toBe(false);
  });

  it('the decoy hash is a real argon2id hash that the demo password does not match', async () => {
    const decoy = await decoyPasswordHash();
    expect(decoy).toMatch(/^\$argon2id\$/);
    expect(await decoyPasswordHash()).toBe(decoy);
    expect(await verifyPassword(decoy, 'portico-demo')).toBe(false);
  });
});

describe('secrets', () => {
  it('S2: are 256-bit, URL-safe, distinct, and stored only as a SHA-256 digest', () => {
    const a = newSecret();
    const b = newSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(hashSecret(a)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashSecret(a)).not.toContain(a);
    expect(hashSecret(a)).toBe(hashSecret(a));
  });

  it('compares safely, including different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});
