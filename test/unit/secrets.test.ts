import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { newSecret } from '../../src/domain/secrets.js';

// Watch node:crypto's randomBytes (the operating system's CSPRNG) while the real one still answers.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, randomBytes: vi.fn(original.randomBytes) };
});

describe('where secrets come from', () => {
  it('S2: every session id, CSRF token, API token and one-time token is 32 bytes straight from the CSPRNG', () => {
    const spy = vi.mocked(randomBytes);
    spy.mockClear();
    const secret = newSecret();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledWith(32);
    const bytes = spy.mock.results[0].value as Buffer;
    expect(secret).toBe(bytes.toString('base64url'));
  });
});
