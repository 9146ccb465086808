import { Type } from 'typebox';
import { MAX_SIGNUP_DOMAINS } from '../../domain/signup.js';

// A site's identity provider (docs/product.md#identity-providers): the admin console's shapes and
// the help center's sign-in options. The client secret goes in, never out.

const settings = {
  protocol: Type.Literal('oidc'),
  displayName: Type.String({ description: 'the name on the help center\'s "Continue with {name}" button' }),
  enabled: Type.Boolean(),
  issuer: Type.String({ description: 'the OpenID Connect issuer URL (its discovery document is read from it)' }),
  clientId: Type.String(),
  scopes: Type.Array(Type.String(), { description: 'openid always, first' }),
  jitAccounts: Type.Boolean({ description: 'a verified email the site does not know gets a portal-only account at its first sign-in' }),
  allowedDomains: Type.Array(Type.String(), { description: 'email domains that may sign in this way; empty: any' }),
  passwordLogin: Type.Boolean({ description: 'false: the help center signs customers in through the provider only' }),
};

export const IdentityProviderSchema = Type.Object({
  ...settings,
  hasClientSecret: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
  redirectUri: Type.String({ description: 'give this to the provider as the client\'s redirect URI' }),
});

export const SiteIdentityProviderSchema = Type.Object({
  canSave: Type.Boolean({ description: 'false: PORTICO_SECRET_KEY is not set, so no client secret can be kept' }),
  redirectUri: Type.String(),
  provider: Type.Union([IdentityProviderSchema, Type.Null()]),
});

export const IdentityProviderBody = Type.Object(
  {
    displayName: Type.String({ minLength: 1, maxLength: 60 }),
    enabled: Type.Optional(Type.Boolean()),
    issuer: Type.String({ minLength: 1, maxLength: 500 }),
    clientId: Type.String({ minLength: 1, maxLength: 500 }),
    clientSecret: Type.Optional(Type.String({ maxLength: 2000, description: 'omitted or empty: keep the saved secret' })),
    scopes: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
    jitAccounts: Type.Optional(Type.Boolean()),
    allowedDomains: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: MAX_SIGNUP_DOMAINS })),
    passwordLogin: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ConnectionTestSchema = Type.Object({
  ok: Type.Boolean(),
  message: Type.String(),
  issuer: Type.Optional(Type.String()),
  authorizationEndpoint: Type.Optional(Type.String()),
});

export const SignInOptionsSchema = Type.Object({
  passwordLogin: Type.Boolean({ description: 'the help center takes email and password' }),
  providers: Type.Array(Type.Object({ protocol: Type.Literal('oidc'), name: Type.String() })),
});

export const SsoStartBody = Type.Object(
  { next: Type.Optional(Type.String({ maxLength: 2000, description: 'a page of this help center to open after signing in' })) },
  { additionalProperties: false },
);
export const SsoStartSchema = Type.Object({ redirectUrl: Type.String({ description: 'send the browser here: the provider\'s sign-in' }) });

export const SsoCallbackBody = Type.Object(
  { query: Type.String({ maxLength: 8000, description: 'the query string the provider sent the browser back with' }) },
  { additionalProperties: false },
);

export const SsoCallbackSchema = Type.Object({
  accountId: Type.String(),
  displayName: Type.String(),
  email: Type.String(),
  csrfToken: Type.String(),
  next: Type.Union([Type.String(), Type.Null()], { description: 'the help-center page to open now' }),
});
