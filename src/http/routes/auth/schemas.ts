import { Type } from 'typebox';

// Shared request schemas of the sign-in endpoints (their responses: ../../schemas/auth.ts). Bodies refuse unknown fields; limits
// keep argon2 and the database away from absurd input (a password is at most 100 characters to be
// set, 1,000 to be tried).
/** Any typed email without control characters (the database refuses NUL; nobody types the rest). */
export const TypedEmail = Type.String({ minLength: 1, maxLength: 254, pattern: '^[^\\x00-\\x1f\\x7f]+$' });
/** A plausible address: something@something, no spaces or control characters. */
export const EmailAddress = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@\\x00-\\x1f\\x7f]+@[^\\s@\\x00-\\x1f\\x7f]+$' });

export const LoginBody = Type.Object(
  {
    email: TypedEmail,
    password: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);

export const SiteParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 63 }) });
