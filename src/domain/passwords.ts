import { hash, verify } from '@node-rs/argon2';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// OWASP's argon2id baseline: m=19456 KiB, t=2, p=1.
const ARGON2_OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 100;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(fileURLToPath(new URL('./common-passwords.txt', import.meta.url)), 'utf8')
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean),
  );
  return common;
}

/** Characters as people count them: code points, so an emoji is one (String#length would say two). */
export function passwordLength(password: string): number {
  let n = 0;
  for (const _ of password) n++;
  return n;
}

/**
 * Returns why a new password is refused, or null when it is acceptable: 8 to 100 characters (code
 * points), not on the list of common passwords, and no rules about which kinds of characters.
 */
export function passwordProblem(password: string): string | null {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN) return `The password must be at least ${PASSWORD_MIN} characters.`;
  if (length > PASSWORD_MAX) return `The password must be at most ${PASSWORD_MAX} characters.`;
  if (commonPasswords().has(password.toLowerCase())) return 'This password is too common. Choose another one.';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/**
 * Whether a stored hash is weaker than what hashPassword makes today (another algorithm or older
 * version, less memory or fewer passes): it is replaced on the owner's next successful login, the
 * one moment the password itself is at hand. A stronger hash is kept.
 */
export function passwordHashNeedsUpgrade(passwordHash: string): boolean {
  const m = /^\$argon2id\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(passwordHash);
  if (!m) return true;
  const [version, memory, passes, lanes] = m.slice(1).map(Number);
  return version < 19 || memory < ARGON2_OPTIONS.memoryCost || passes < ARGON2_OPTIONS.timeCost || lanes < ARGON2_OPTIONS.parallelism;
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  // no password longer than any that can be set is ever hashed (argon2 work is bounded)
  if (!passwordHash || passwordLength(password) > PASSWORD_MAX) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A fixed hash verified when the email is unknown or not allowed in, so a login takes the same time
 * whatever the account's state (no account-state oracle).
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword('decoy-password-that-never-matches');
  return decoyHash;
}
