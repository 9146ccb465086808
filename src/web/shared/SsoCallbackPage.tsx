import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { ApiError, post, setCsrfToken } from '../api';
import { CustomerLoginPage } from './CustomerLoginPage';
import { Loading } from './ui';

/**
 * `/s/:site/servicedesk/customer/user/sso/callback`: where the site's identity provider sends the
 * browser back (OpenID Connect), or Portico's SAML ACS after it checked the provider's response
 * (`protocol=saml`). The answer (code, state) is handed to the server once; signed in, on to the
 * help center; refused, the login page with the server's refusal — the one a wrong password gets.
 */
export function SsoCallbackPage({ site }: { site: string }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [refusal, setRefusal] = useState<string | null>(null);
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return; // the answer is good once: never sent twice
    sent.current = true;
    const query = window.location.search.replace(/^\?/, '');
    const protocol = new URLSearchParams(query).get('protocol') === 'saml' ? 'saml' : 'oidc';
    // the code leaves the address bar at once (history, screenshots)
    window.history.replaceState(null, '', window.location.pathname);
    post<{ csrfToken: string; next: string | null }>(`/s/${encodeURIComponent(site)}/api/portal/sso/${protocol}/callback`, { query })
      .then((res) => {
        queryClient.clear();
        setCsrfToken(res.csrfToken);
        if (res.next) void navigate({ href: res.next, replace: true });
        else void navigate({ to: '/s/$site/servicedesk/customer/portals', params: { site }, replace: true });
      })
      .catch((err: unknown) => setRefusal(err instanceof ApiError ? err.message : 'Could not reach Portico. Check your connection and try again.'));
  }, [site, queryClient, navigate]);
  if (refusal) return <CustomerLoginPage site={site} next={null} initialError={refusal} />;
  return <Loading label="Signing you in…" />;
}
