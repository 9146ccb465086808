import { Type } from 'typebox';

// Shared request/response schemas of the sign-in endpoints. Bodies refuse unknown fields; limits
// keep argon2 and the database away from absurd input (a password is at most 100 characters to be
// set, 1,000 to be tried).
export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);

export const LoginResponse = Type.Object({
  accountId: Type.String(),
  displayName: Type.String(),
  email: Type.String(),
  csrfToken: Type.String(),
});

export const SessionAccount = Type.Object({
  accountId: Type.String(),
  displayName: Type.String(),
  email: Type.String(),
});

export const SiteParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 63 }) });

export const ErrorResponse = Type.Object({
  errorMessages: Type.Array(Type.String()),
  errors: Type.Record(Type.String(), Type.String()),
  status: Type.Number(),
  errorMessage: Type.String(),
});
