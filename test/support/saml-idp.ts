import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomUUID, webcrypto } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import 'reflect-metadata'; // @peculiar/x509's dependency injection (tsyringe) needs it loaded first
import * as x509 from '@peculiar/x509';

// A SAML 2.0 identity provider on loopback for the tests of SAML sign-in: its key pair and
// self-signed certificate are made here (node:crypto, @peculiar/x509), its responses are real
// SAML 2.0 responses whose assertion xml-crypto signs (RSA-SHA256, exclusive c14n) — the library
// node-saml verifies with. Its pages: /metadata, /sso (the HTTP-Redirect binding: a form asking
// who signs in) and /login, which answers with a page that posts the signed response to the ACS.
// Tests may also call respond() directly and bend the response (unsigned, another audience, …).

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface IdpUser {
  email?: string;
  name?: string;
  /** the NameID (default: the email) */
  nameId?: string;
}

/** Ways to bend a response, each breaking one rule the service provider must check. */
export interface ResponseTweaks {
  unsigned?: boolean;
  /** signed with a key the metadata does not name */
  foreignKey?: boolean;
  audience?: string;
  recipient?: string;
  destination?: string;
  issuer?: string;
  inResponseTo?: string | null;
  notBefore?: Date;
  notOnOrAfter?: Date;
  assertionId?: string;
  /** changes the signed assertion after signing (the email) */
  tamperEmail?: string;
}

export interface SamlAnswer {
  acsUrl: string;
  SAMLResponse: string;
  RelayState: string | null;
  /** the signed response XML, for tests that read it */
  xml: string;
}

export interface TestSamlIdp {
  url: string;
  entityId: string;
  ssoUrl: string;
  metadataUrl: string;
  metadataXml: string;
  users: Map<string, IdpUser>;
  /** answers the AuthnRequest of a redirect URL Portico made, as `login` */
  respond(redirectUrl: string, login: string, tweaks?: ResponseTweaks): SamlAnswer;
  close(): Promise<void>;
}

async function selfSigned(name: string): Promise<{ privateKeyPem: string; certPem: string; certB64: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const keys = {
    privateKey: await webcrypto.subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), alg, true, ['sign']),
    publicKey: await webcrypto.subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), alg, true, ['verify']),
  };
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    signingAlgorithm: alg,
    keys: keys as CryptoKeyPair,
  });
  const certB64 = Buffer.from(cert.rawData).toString('base64');
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certPem: cert.toString('pem'), certB64 };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The AuthnRequest inside a redirect URL (HTTP-Redirect binding: deflated, base64). */
export function readAuthnRequest(redirectUrl: string): { id: string; acsUrl: string; issuer: string; relayState: string | null } {
  const url = new URL(redirectUrl);
  const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
  const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(xml)?.[1] ?? '';
  const issuer = /<(?:saml2?:)?Issuer[^>]*>([^<]*)</.exec(xml)?.[1] ?? '';
  return { id: attr('ID'), acsUrl: attr('AssertionConsumerServiceURL'), issuer, relayState: url.searchParams.get('RelayState') };
}

export async function startSamlIdp(options: { users?: Record<string, IdpUser> } = {}): Promise<TestSamlIdp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${url}/metadata`;
  const ssoUrl = `${url}/sso`;
  const [own, foreign] = await Promise.all([selfSigned('Test IdP'), selfSigned('Someone Else')]);
  const users = new Map(Object.entries(options.users ?? {}));
  const metadataXml = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${esc(entityId)}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${own.certB64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(ssoUrl)}"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(ssoUrl)}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

  function respond(redirectUrl: string, login: string, t: ResponseTweaks = {}): SamlAnswer {
    const request = readAuthnRequest(redirectUrl);
    const user = users.get(login) ?? {};
    const now = new Date();
    const notBefore = t.notBefore ?? new Date(now.getTime() - 60_000);
    const notOnOrAfter = t.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
    const inResponseTo = t.inResponseTo === undefined ? request.id : t.inResponseTo;
    const irt = inResponseTo === null ? '' : ` InResponseTo="${esc(inResponseTo)}"`;
    const assertionId = t.assertionId ?? `_a${randomUUID().replace(/-/g, '')}`;
    const nameId = user.nameId ?? user.email ?? login;
    const attributes = [
      user.email !== undefined ? `<saml:Attribute Name="email"><saml:AttributeValue>${esc(user.email)}</saml:AttributeValue></saml:Attribute>` : '',
      user.name !== undefined ? `<saml:Attribute Name="displayName"><saml:AttributeValue>${esc(user.name)}</saml:AttributeValue></saml:Attribute>` : '',
    ].join('');
    const assertion = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" Version="2.0" IssueInstant="${iso(now)}"><saml:Issuer>${esc(t.issuer ?? entityId)}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:${user.nameId ? 'unspecified' : 'emailAddress'}">${esc(nameId)}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${irt} NotOnOrAfter="${iso(notOnOrAfter)}" Recipient="${esc(t.recipient ?? request.acsUrl)}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}"><saml:AudienceRestriction><saml:Audience>${esc(t.audience ?? request.issuer)}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="_s${randomUUID().replace(/-/g, '')}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>${attributes}</saml:AttributeStatement></saml:Assertion>`;
    let xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomUUID().replace(/-/g, '')}" Version="2.0" IssueInstant="${iso(now)}" Destination="${esc(t.destination ?? request.acsUrl)}"${irt}><saml:Issuer>${esc(t.issuer ?? entityId)}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${assertion}</samlp:Response>`;
    if (!t.unsigned) {
      const key = t.foreignKey ? foreign : own;
      const sig = new SignedXml({
        privateKey: key.privateKeyPem,
        publicCert: key.certPem,
        signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
        canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
      });
      sig.addReference({
        xpath: "//*[local-name(.)='Assertion']",
        transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      });
      sig.computeSignature(xml, { prefix: 'ds', location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
      xml = sig.getSignedXml();
    }
    if (t.tamperEmail && user.email) xml = xml.split(esc(user.email)).join(esc(t.tamperEmail));
    return { acsUrl: request.acsUrl, SAMLResponse: Buffer.from(xml, 'utf8').toString('base64'), RelayState: request.relayState, xml };
  }

  const readForm = (req: IncomingMessage) =>
    new Promise<URLSearchParams>((resolve) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => resolve(new URLSearchParams(body)));
    });
  const page = (title: string, body: string, onload = '') =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body${onload}><main><h1>${title}</h1>${body}</main></body></html>`;

  server.on('request', (req, res) => {
    void (async () => {
      const at = new URL(req.url ?? '/', url);
      if (at.pathname === '/metadata') {
        res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(metadataXml);
      } else if (at.pathname === '/sso' && req.method === 'GET') {
        // the redirect URL Portico sent the browser to, kept whole for /login
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
          page(
            'Test IdP sign-in',
            `<form method="post" action="/login"><input type="hidden" name="redirect" value="${esc(at.href)}"><label>Login <input name="login" autocomplete="username"></label> <button type="submit">Sign in</button></form>`,
          ),
        );
      } else if (at.pathname === '/login' && req.method === 'POST') {
        const form = await readForm(req);
        const answer = respond(form.get('redirect') ?? '', form.get('login') ?? '');
        const relay = answer.RelayState === null ? '' : `<input type="hidden" name="RelayState" value="${esc(answer.RelayState)}">`;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
          page(
            'Signing you in',
            `<form method="post" action="${esc(answer.acsUrl)}"><input type="hidden" name="SAMLResponse" value="${answer.SAMLResponse}">${relay}<button type="submit">Continue</button></form>`,
            ' onload="document.forms[0].submit()"',
          ),
        );
      } else {
        res.writeHead(404).end();
      }
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });

  return {
    url,
    entityId,
    ssoUrl,
    metadataUrl: entityId,
    metadataXml,
    users,
    respond,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
