import { X509Certificate } from 'node:crypto';
import type { CacheProvider, Profile, SAML, SamlConfig } from '@node-saml/node-saml';
import { checkHost, hostAllowedInClear, IdentityProviderUnreachable } from './oidc.js';

// Portico's side of a SAML 2.0 identity provider (docs/architecture.md#identity-providers): a thin
// adapter over @node-saml/node-saml — the AuthnRequest sent by the HTTP-Redirect binding, and the
// check of the response the provider posts back (its signature against the certificates of the
// provider's metadata, issuer, audience, InResponseTo, the validity window with a bounded clock
// skew) — plus what node-saml leaves to its caller: reading the provider's metadata, the recipient
// and destination checks, and the assertion's id and expiry for the replay record. node-saml (with its
// XML signature and encryption packages) is loaded with the first SAML request or response a site
// makes, and the XML parser with the first metadata or response read (docs/architecture.md,
// "Loaded on first use").

export const SAML_NS = {
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
};
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** How far the provider's clock may be from Portico's when the validity window is checked. */
export const SAML_CLOCK_SKEW_MS = 3 * 60_000;
/** The largest metadata Portico reads (pasted or fetched). */
export const MAX_METADATA_CHARS = 200_000;
/** The largest SAMLResponse (base64) the ACS accepts. */
export const MAX_SAML_RESPONSE_CHARS = 200_000;

/** Metadata Portico cannot use; the message says why, for the admin. */
export class SamlMetadataError extends Error {}

/** A posted SAMLResponse that is not a SAML document at all (not base64, not XML): a 400. */
export class SamlMalformedResponse extends Error {}

/** A well-formed response that fails a check (signature, audience, recipient, time, request). */
export class SamlResponseRefused extends Error {}

/**
 * The exports of a CommonJS package imported with `await import(…)`. xmldom and node-saml assign
 * theirs in ways a bundler cannot list: in the built server they are all in the module's default
 * export (under Node and tsx they are named too). `name` is one export the caller needs.
 */
function namedExports<T extends object>(module: T, name: keyof T): T {
  return name in module ? module : (module as unknown as { default: T }).default;
}

async function parseXml(xml: string, onError: (message: string) => Error): Promise<Document> {
  // a DOCTYPE can declare entities (expansion bombs, external references): SAML never needs one
  if (/<!DOCTYPE/i.test(xml)) throw onError('it declares a DOCTYPE');
  const { DOMParser } = namedExports(await import('@xmldom/xmldom'), 'DOMParser');
  let problem: string | undefined;
  const doc = new DOMParser({
    errorHandler: {
      // xmldom only warns of an unclosed element: for a signed document that is not well-formed
      warning: (msg: string) => {
        problem ??= msg;
      },
      error: (msg: string) => {
        problem ??= msg;
      },
      fatalError: (msg: string) => {
        problem ??= msg;
      },
    },
  }).parseFromString(xml, 'text/xml');
  if (problem || !doc?.documentElement) throw onError('it is not well-formed XML');
  return doc;
}

function elements(parent: Document | Element, ns: string, name: string): Element[] {
  return Array.from(parent.getElementsByTagNameNS(ns, name) as unknown as ArrayLike<Element>);
}

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  /** base64 DER */
  certificates: string[];
}

/**
 * Reads an identity provider's metadata: its entity id, its SingleSignOnService for the
 * HTTP-Redirect binding, and its signing certificates (KeyDescriptor use="signing" or without use).
 * An EntitiesDescriptor is read for its first identity provider. Throws SamlMetadataError.
 */
export async function parseIdpMetadata(xml: string): Promise<IdpMetadata> {
  const doc = await parseXml(xml.trim(), (why) => new SamlMetadataError(`This is not SAML metadata: ${why}.`));
  const idp = elements(doc, SAML_NS.md, 'IDPSSODescriptor')[0];
  if (!idp) throw new SamlMetadataError('The metadata describes no identity provider (no IDPSSODescriptor).');
  const entity = idp.parentNode as Element | null;
  const entityId = entity?.getAttribute?.('entityID')?.trim();
  if (!entityId) throw new SamlMetadataError('The metadata gives the identity provider no entityID.');
  const sso = elements(idp, SAML_NS.md, 'SingleSignOnService').find((e) => e.getAttribute('Binding') === REDIRECT_BINDING);
  const ssoUrl = sso?.getAttribute('Location')?.trim();
  if (!ssoUrl) throw new SamlMetadataError('The identity provider offers no sign-in by the HTTP-Redirect binding, which Portico uses.');
  let location: URL;
  try {
    location = new URL(ssoUrl);
  } catch {
    throw new SamlMetadataError('The identity provider’s sign-in address is not a URL.');
  }
  if (location.protocol !== 'https:' && location.protocol !== 'http:') throw new SamlMetadataError('The identity provider’s sign-in address must be an https:// URL.');
  const certificates: string[] = [];
  for (const key of elements(idp, SAML_NS.md, 'KeyDescriptor')) {
    const use = key.getAttribute('use');
    if (use && use !== 'signing') continue;
    for (const cert of elements(key, SAML_NS.ds, 'X509Certificate')) {
      const b64 = (cert.textContent ?? '').replace(/\s+/g, '');
      try {
        new X509Certificate(Buffer.from(b64, 'base64'));
      } catch {
        throw new SamlMetadataError('A signing certificate in the metadata cannot be read.');
      }
      if (!certificates.includes(b64)) certificates.push(b64);
    }
  }
  if (certificates.length === 0) throw new SamlMetadataError('The metadata gives no signing certificate: Portico accepts only signed assertions.');
  return { entityId: entityId.slice(0, 500), ssoUrl: location.href, certificates: certificates.slice(0, 10) };
}

export function describeCertificates(certificates: string[], now: Date): Array<{ subject: string; notAfter: Date; daysLeft: number }> {
  return certificates.map((b64) => {
    const cert = new X509Certificate(Buffer.from(b64, 'base64'));
    const notAfter = new Date(cert.validTo);
    return { subject: cert.subject, notAfter, daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000) };
  });
}

/**
 * The provider's metadata from its URL: every hop through the host check (docs/security.md, S21),
 * plain http only for allowed hosts, no redirects followed, at most MAX_METADATA_CHARS.
 */
export async function fetchIdpMetadata(url: URL, allowedHosts: readonly string[]): Promise<string> {
  if (url.protocol === 'http:' && !hostAllowedInClear(url, allowedHosts)) throw new IdentityProviderUnreachable('The metadata URL must start with https://.');
  await checkHost(url.hostname, allowedHosts);
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000), headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' } });
  } catch (error) {
    throw new IdentityProviderUnreachable(`Portico could not read the provider's metadata at ${url.href}: ${String((error as Error).message ?? error).slice(0, 200)}`);
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new IdentityProviderUnreachable(`Portico could not read the provider's metadata at ${url.href}: it answered ${res.status}.`);
  }
  const text = await readCapped(res, MAX_METADATA_CHARS);
  if (text === undefined) throw new IdentityProviderUnreachable('The provider’s metadata is larger than Portico accepts (200,000 characters).');
  return text;
}

async function readCapped(res: Response, max: number): Promise<string | undefined> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    text += decoder.decode(value, { stream: true });
    if (text.length > max) {
      await reader.cancel();
      return undefined;
    }
  }
}

const pem = (b64: string) => `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`;

/** Portico as the service provider of one site, with the provider it trusts. */
export interface SamlPeer {
  /** Portico's entity id: the issuer of its requests, the audience of the assertions */
  entityId: string;
  acsUrl: string;
  idpEntityId: string;
  ssoUrl: string;
  certificates: string[];
}

async function samlOf(peer: SamlPeer, cacheProvider: CacheProvider, idpCert: string[] = peer.certificates.map(pem)): Promise<SAML> {
  const { SAML, ValidateInResponseTo } = namedExports(await import('@node-saml/node-saml'), 'SAML');
  const config: SamlConfig = {
    issuer: peer.entityId,
    audience: peer.entityId,
    callbackUrl: peer.acsUrl,
    entryPoint: peer.ssoUrl,
    idpIssuer: peer.idpEntityId,
    idpCert,
    wantAssertionsSigned: true,
    // many providers sign the assertion only; its signature is what counts, and it is required
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: 10 * 60_000,
    cacheProvider,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
  };
  return new SAML(config);
}

const unusedCache: CacheProvider = {
  saveAsync: async () => null,
  getAsync: async () => null,
  removeAsync: async () => null,
};

/** Portico's metadata for a site, for the provider's admin. */
export async function serviceProviderMetadata(peer: Pick<SamlPeer, 'entityId' | 'acsUrl'>): Promise<string> {
  const saml = await samlOf({ ...peer, idpEntityId: 'urn:portico:unset', ssoUrl: 'https://portico.invalid/', certificates: [] }, unusedCache, ['unused']);
  return saml.generateServiceProviderMetadata(null, null);
}

/** Where the browser goes (HTTP-Redirect binding) and the id of the request the answer must name. */
export async function startSamlAuthorization(peer: SamlPeer, relayState: string): Promise<{ url: string; requestId: string }> {
  let requestId: string | undefined;
  const capture: CacheProvider = {
    saveAsync: async (key, value) => {
      requestId = key;
      return { value, createdAt: Date.now() };
    },
    getAsync: async () => null,
    removeAsync: async () => null,
  };
  const url = await (await samlOf(peer, capture)).getAuthorizeUrlAsync(relayState, undefined, {});
  if (!requestId) throw new Error('node-saml made no request id');
  return { url, requestId };
}

/** What a checked assertion says. */
export interface SamlAssertion {
  assertionId: string;
  /** the end of the assertion's validity (replays are refused until then) */
  notOnOrAfter: Date;
  email: string | undefined;
  name: string | undefined;
}

/**
 * The base64 form field as XML: a SamlMalformedResponse (the ACS answers 400) when it is not base64,
 * not XML, or too large — checked before any signature work.
 */
export async function decodeSamlResponse(samlResponse: unknown): Promise<string> {
  if (typeof samlResponse !== 'string' || samlResponse.length === 0) throw new SamlMalformedResponse('The request holds no SAMLResponse.');
  if (samlResponse.length > MAX_SAML_RESPONSE_CHARS) throw new SamlMalformedResponse('The SAMLResponse is too large.');
  const compact = samlResponse.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) throw new SamlMalformedResponse('The SAMLResponse is not base64.');
  const xml = Buffer.from(compact, 'base64').toString('utf8');
  const doc = await parseXml(xml, (why) => new SamlMalformedResponse(`The SAMLResponse is not a SAML response: ${why}.`));
  const root = doc.documentElement!;
  if (root.namespaceURI !== SAML_NS.samlp || root.localName !== 'Response') throw new SamlMalformedResponse('The SAMLResponse is not a SAML response.');
  return xml;
}

/**
 * Checks a posted response against the request `requestId` that Portico sent: throws
 * SamlResponseRefused for any failure. node-saml checks the signature of the assertion (required)
 * with the provider's certificates only, the issuer, the audience, InResponseTo and the validity
 * window; the recipient of every subject confirmation and the response's destination must be this
 * site's ACS URL, and the assertion must carry an id.
 */
export async function checkSamlResponse(peer: SamlPeer, input: { samlResponse: string; requestId: string; now?: Date }): Promise<SamlAssertion> {
  const known: CacheProvider = {
    saveAsync: async () => null,
    getAsync: async (key) => (key === input.requestId ? new Date().toISOString() : null),
    removeAsync: async () => null,
  };
  let profile: Profile | null;
  try {
    ({ profile } = await (await samlOf(peer, known)).validatePostResponseAsync({ SAMLResponse: input.samlResponse }));
  } catch (error) {
    throw new SamlResponseRefused(String((error as Error)?.message ?? error).slice(0, 300));
  }
  if (!profile) throw new SamlResponseRefused('no assertion');
  const responseXml = profile.getSamlResponseXml?.();
  const assertionXml = profile.getAssertionXml?.();
  if (!responseXml || !assertionXml) throw new SamlResponseRefused('no assertion');
  const refuse = (why: string): never => {
    throw new SamlResponseRefused(why);
  };
  const response = (await parseXml(responseXml, () => new SamlResponseRefused('response unreadable'))).documentElement!;
  const destination = response.getAttribute('Destination');
  if (destination && destination !== peer.acsUrl) refuse('destination is not this ACS');
  // node-saml compares the issuer of logout messages only: the assertion's (signed) issuer, and the
  // response's when it names one, must be the provider's entity id
  const issuerOf = (parent: Element) => Array.from(parent.childNodes as unknown as ArrayLike<Node>).find((n): n is Element => n.nodeType === 1 && (n as Element).localName === 'Issuer' && (n as Element).namespaceURI === SAML_NS.saml);
  const responseIssuer = issuerOf(response);
  if (responseIssuer && responseIssuer.textContent?.trim() !== peer.idpEntityId) refuse('the response comes from another issuer');
  // the assertion node-saml verified (the signed one): its id, subject confirmations, window
  const assertion = (await parseXml(assertionXml, () => new SamlResponseRefused('assertion unreadable'))).documentElement!;
  if (issuerOf(assertion)?.textContent?.trim() !== peer.idpEntityId) refuse('the assertion comes from another issuer');
  const assertionId = assertion.getAttribute('ID');
  if (!assertionId || assertionId.length > 256) refuse('assertion without an id');
  const confirmations = elements(assertion, SAML_NS.saml, 'SubjectConfirmationData');
  if (confirmations.length === 0) refuse('no subject confirmation');
  for (const data of confirmations) if (data.getAttribute('Recipient') !== peer.acsUrl) refuse('recipient is not this ACS');
  const ends = [
    ...confirmations.map((d) => d.getAttribute('NotOnOrAfter')),
    ...elements(assertion, SAML_NS.saml, 'Conditions').map((c) => c.getAttribute('NotOnOrAfter')),
  ]
    .filter((v): v is string => Boolean(v))
    .map((v) => Date.parse(v))
    .filter((t) => Number.isFinite(t));
  const now = (input.now ?? new Date()).getTime();
  // kept until the window (with the skew allowed) has closed; a day when the provider set none
  const notOnOrAfter = new Date((ends.length ? Math.min(...ends) : now + 86_400_000) + SAML_CLOCK_SKEW_MS);
  return { assertionId: assertionId!, notOnOrAfter, email: emailOf(profile), name: nameOf(profile) };
}

const EMAIL_ATTRIBUTES = [
  'email',
  'mail',
  'emailAddress',
  'urn:oid:0.9.2342.19200300.100.1.3',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  'http://schemas.xmlsoap.org/claims/EmailAddress',
];
const NAME_ATTRIBUTES = ['displayName', 'name', 'urn:oid:2.16.840.1.113730.3.1.241', 'http://schemas.microsoft.com/identity/claims/displayname', 'cn', 'urn:oid:2.5.4.3'];
const GIVEN = ['givenName', 'firstName', 'urn:oid:2.5.4.42', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname'];
const FAMILY = ['sn', 'surname', 'lastName', 'urn:oid:2.5.4.4', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname'];

function first(profile: Profile, names: string[]): string | undefined {
  for (const n of names) {
    const v = profile[n];
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string' && s.trim()) return s.trim();
  }
  return undefined;
}

/** The email the assertion names: an email attribute, or else a NameID in the emailAddress format. */
function emailOf(profile: Profile): string | undefined {
  const attr = first(profile, EMAIL_ATTRIBUTES);
  if (attr) return attr;
  if (profile.nameIDFormat === 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' && profile.nameID) return profile.nameID;
  return undefined;
}

function nameOf(profile: Profile): string | undefined {
  const name = first(profile, NAME_ATTRIBUTES);
  if (name) return name;
  const full = [first(profile, GIVEN), first(profile, FAMILY)].filter(Boolean).join(' ');
  return full || undefined;
}
