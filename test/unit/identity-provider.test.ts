import { describe, expect, it } from 'vitest';
import { decideSsoSignIn, parseEntityId, parseIssuerUrl, parseMetadataUrl, parseScopes, safeSitePath } from '../../src/domain/identity-provider.js';

// The rule of sign-in with a site's identity provider (docs/product.md#identity-providers).

const settings = { jitAccounts: false, allowedDomains: [] as string[] };
const verified = (email: string) => ({ email, emailVerified: true, name: 'Pat' });

describe('decideSsoSignIn', () => {
  it('S20: an active account found by a verified email signs in; a revoked or deleted one is refused', () => {
    expect(decideSsoSignIn(verified('pat@example.com'), settings, { accountId: 'qm:1', status: 'active' })).toEqual({ outcome: 'sign_in', accountId: 'qm:1' });
    expect(decideSsoSignIn(verified('pat@example.com'), settings, { accountId: 'qm:1', status: 'revoked' })).toEqual({ outcome: 'refused', reason: 'account_not_active' });
    expect(decideSsoSignIn(verified('pat@example.com'), settings, { accountId: 'qm:1', status: 'deleted' })).toEqual({ outcome: 'refused', reason: 'account_not_active' });
  });

  it('S20: only `email_verified: true` counts, for linking and for new accounts', () => {
    expect(decideSsoSignIn({ email: 'pat@example.com', emailVerified: false, name: undefined }, settings, { accountId: 'qm:1', status: 'active' })).toEqual({ outcome: 'refused', reason: 'email_not_verified' });
    expect(decideSsoSignIn({ email: 'pat@example.com', emailVerified: false, name: undefined }, { ...settings, jitAccounts: true }, undefined)).toEqual({ outcome: 'refused', reason: 'email_not_verified' });
    expect(decideSsoSignIn({ email: undefined, emailVerified: true, name: undefined }, settings, undefined)).toEqual({ outcome: 'refused', reason: 'no_email' });
    expect(decideSsoSignIn({ email: 'not an email', emailVerified: true, name: undefined }, settings, undefined)).toEqual({ outcome: 'refused', reason: 'no_email' });
  });

  it('S20: the allowed domains are exact; an unknown email gets an account only just in time', () => {
    const limited = { jitAccounts: true, allowedDomains: ['example.com'] };
    expect(decideSsoSignIn(verified('pat@sub.example.com'), limited, undefined)).toEqual({ outcome: 'refused', reason: 'domain_not_allowed' });
    expect(decideSsoSignIn(verified('pat@example.com'), limited, undefined)).toEqual({ outcome: 'create', email: 'pat@example.com', displayName: 'Pat' });
    expect(decideSsoSignIn({ ...verified('pat@example.com'), name: '  ' }, limited, undefined)).toMatchObject({ displayName: 'pat@example.com' });
    expect(decideSsoSignIn(verified('pat@example.com'), settings, undefined)).toEqual({ outcome: 'refused', reason: 'no_account' });
  });
});

describe('settings and paths', () => {
  it('an issuer is an http(s) URL without credentials, query or fragment; openid is always the first scope', () => {
    expect(parseIssuerUrl('https://login.example.com').href).toBe('https://login.example.com/');
    for (const bad of ['login.example.com', 'ftp://x.example', 'https://u:p@x.example', 'https://x.example/?a=1', 'https://x.example/#f']) expect(() => parseIssuerUrl(bad), bad).toThrow();
    expect(parseScopes('email, profile openid email')).toEqual(['openid', 'email', 'profile']);
    expect(() => parseScopes('a"b')).toThrow(/not a scope/);
  });

  it("SAML: a metadata URL may carry a query (a provider's app id), never credentials or a fragment; an entity id is a URI", () => {
    expect(parseMetadataUrl('https://login.example.com/app/metadata?appid=42').href).toBe('https://login.example.com/app/metadata?appid=42');
    for (const bad of ['login.example.com/metadata', 'file:///etc/passwd', 'https://u:p@x.example/m', 'https://x.example/m#f']) expect(() => parseMetadataUrl(bad), bad).toThrow();
    expect(parseEntityId(' urn:acme:help ')).toBe('urn:acme:help');
    expect(parseEntityId('https://help.example.com/saml')).toBe('https://help.example.com/saml');
    for (const bad of ['help desk', 'acme', `urn:${'x'.repeat(600)}`]) expect(() => parseEntityId(bad), bad.slice(0, 20)).toThrow(/URI/);
  });

  it('after sign-in only a page of the same help center is opened', () => {
    expect(safeSitePath('acme', '/s/acme/servicedesk/customer/portals?x=1')).toBe('/s/acme/servicedesk/customer/portals?x=1');
    for (const bad of ['https://evil.example/s/acme/', '//evil.example/s/acme/', '/s/globex/servicedesk', '/s/acme/../../admin', '/s/acme\\evil', undefined]) expect(safeSitePath('acme', bad), String(bad)).toBeNull();
  });
});
