import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

// A real OpenID Connect provider on loopback (oidc-provider, with its development login and consent
// pages), for the tests of sign-in with a site's identity provider. Its accounts are keyed by the
// login typed on its page; any password is taken.

export interface ProviderAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, ProviderAccount>;
  close(): Promise<void>;
}

export async function startOidcProvider(options: { redirectUris: string[]; accounts?: Record<string, ProviderAccount>; clientId?: string; clientSecret?: string }): Promise<TestOidcProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = options.clientId ?? 'portico-test';
  const clientSecret = options.clientSecret ?? 'portico-test-client-secret-0123456789';
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: options.redirectUris, response_types: ['code'], grant_types: ['authorization_code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true, methods: ['S256'] },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: unknown, id: string) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account }) };
    },
  });
  provider.on('server_error', (_ctx, error) => console.error('oidc-provider', error));
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * Goes through the provider's sign-in as a browser would (its login page, then its consent page),
 * from the authorization URL Portico handed out, and answers the URL the provider sends the browser
 * back to (Portico's redirect URI with the code, state and issuer).
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
  const cookies = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  let url = new URL(authorizationUrl);
  const origin = url.origin;
  for (let step = 0; step < 12; step++) {
    const res = await fetch(url, { headers: { cookie: cookieHeader() }, redirect: 'manual' });
    remember(res);
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url);
      if (next.origin !== origin) return next;
      url = next;
      continue;
    }
    const html = await res.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!prompt || !action) throw new Error(`the provider answered ${res.status}: ${html.slice(0, 500)}`);
    const body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
    const posted = await fetch(new URL(action, url), { method: 'POST', body, headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    remember(posted);
    if (posted.status < 300 || posted.status >= 400) throw new Error(`the provider's ${prompt} page answered ${posted.status}: ${(await posted.text()).slice(0, 500)}`);
    const next = new URL(posted.headers.get('location')!, url);
    if (next.origin !== origin) return next;
    url = next;
  }
  throw new Error('the provider never sent the browser back');
}
