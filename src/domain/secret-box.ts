import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets Portico must use again later (an incoming mailbox's password) are stored encrypted with
 * AES-256-GCM under a key derived from PORTICO_SECRET_KEY: a copy of the database alone does not
 * give them away, and a changed ciphertext is refused rather than decrypted into garbage.
 * Stored as `v1:` + base64url(12-byte IV | 16-byte tag | ciphertext).
 */
export class SecretBoxError extends Error {}

function keyOf(secretKey: string): Buffer {
  // The configured key is text of at least 32 characters; SHA-256 makes it exactly 256 bits.
  return createHash('sha256').update(`portico-secret-box:${secretKey}`).digest();
}

export function sealSecret(secretKey: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secretKey), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

export function openSecret(secretKey: string, sealed: string): string {
  if (!sealed.startsWith('v1:')) throw new SecretBoxError('unknown secret format');
  const bytes = Buffer.from(sealed.slice(3), 'base64url');
  if (bytes.length < 28) throw new SecretBoxError('secret too short');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secretKey), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('the secret does not open with the configured PORTICO_SECRET_KEY');
  }
}
