import { Type } from 'typebox';
import { MAX_SIGNUP_DOMAINS } from '../../domain/signup.js';

// A site's identity provider (docs/product.md#identity-providers): the admin console's shapes and
// the help center's sign-in options. The client secret goes in, never out.

const Protocol = Type.Union([Type.Literal('oidc'), Type.Literal('saml')]);

const settings = {
  protocol: Protocol,
  displayName: Type.String({ description: 'the name on the help center\'s "Continue with {name}" button' }),
  enabled: Type.Boolean(),
  issuer: Type.String({ description: 'OIDC: the issuer URL (its discovery document is read from it); SAML: the provider\'s entity id' }),
  clientId: Type.String({ description: 'OIDC: Portico\'s client id; SAML: Portico\'s entity id, the audience assertions must name' }),
  scopes: Type.Array(Type.String(), { description: 'OIDC: openid always, first; SAML: empty' }),
  jitAccounts: Type.Boolean({ description: 'a verified email the site does not know gets a portal-only account at its first sign-in' }),
  allowedDomains: Type.Array(Type.String(), { description: 'email domains that may sign in this way; empty: any' }),
  passwordLogin: Type.Boolean({ description: 'false: the help center signs customers in through the provider only' }),
  saml: Type.Union([
    Type.Object({
      metadataUrl: Type.Union([Type.String(), Type.Null()], { description: 'where the metadata was read from; null: pasted' }),
      metadataXml: Type.String({ description: 'the provider\'s metadata as read' }),
      ssoUrl: Type.String({ description: 'where the browser is sent to sign in (HTTP-Redirect binding)' }),
      certificates: Type.Array(Type.String(), { description: 'base64 DER of the certificates assertions must be signed with' }),
    }),
    Type.Null(),
  ], { description: 'SAML only' }),
};

export const SamlServiceProviderSchema = Type.Object({
  metadataUrl: Type.String({ description: 'Portico\'s SAML metadata for this site' }),
  entityId: Type.String({ description: 'Portico\'s entity id: the saved one, else the metadata URL' }),
  acsUrl: Type.String({ description: 'the Assertion Consumer Service the provider posts its response to' }),
});

export const IdentityProviderSchema = Type.Object({
  ...settings,
  hasClientSecret: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
  redirectUri: Type.String({ description: 'give this to the provider as the client\'s redirect URI' }),
});

export const SiteIdentityProviderSchema = Type.Object({
  canSave: Type.Boolean({ description: 'false: PORTICO_SECRET_KEY is not set, so no client secret can be kept' }),
  redirectUri: Type.String(),
  saml: SamlServiceProviderSchema,
  provider: Type.Union([IdentityProviderSchema, Type.Null()]),
});

export const SamlProviderBody = Type.Object(
  {
    displayName: Type.String({ minLength: 1, maxLength: 60 }),
    enabled: Type.Optional(Type.Boolean()),
    metadataUrl: Type.Optional(Type.String({ maxLength: 2000, description: 'where to read the provider\'s SAML metadata (or give metadataXml)' })),
    metadataXml: Type.Optional(Type.String({ maxLength: 200_000, description: 'the provider\'s SAML metadata (or give metadataUrl)' })),
    entityId: Type.Optional(Type.String({ maxLength: 500, description: 'Portico\'s entity id at the provider; omitted or empty: Portico\'s metadata URL' })),
    jitAccounts: Type.Optional(Type.Boolean()),
    allowedDomains: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: MAX_SIGNUP_DOMAINS })),
    passwordLogin: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

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
  providers: Type.Array(Type.Object({ protocol: Protocol, name: Type.String() })),
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
