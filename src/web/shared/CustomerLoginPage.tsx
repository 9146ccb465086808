import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, get, post, setCsrfToken } from '../api';
import { Link, navigate, useSearchParams } from '../router';
import { LoginForm } from './LoginForm';
import { Loading } from './ui';
import { customerPortalsUrl, fetchCustomerSession, safeNext, sessionKeys, type CustomerSession } from './useSession';

/**
 * `/s/:site/servicedesk/customer/user/login`: a customer signs in to this one site's help center.
 * Already signed in here: straight on to the portals.
 */
export function CustomerLoginPage({ site }: { site: string }) {
  const queryClient = useQueryClient();
  const siteBase = `/s/${encodeURIComponent(site)}`;
  const next = safeNext(useSearchParams().get('next'), `${siteBase}/servicedesk/customer/`);
  const existing = useQuery<CustomerSession, Error>({ queryKey: sessionKeys.customer(site), queryFn: () => fetchCustomerSession(site), staleTime: 0 });
  const signedIn = Boolean(existing.data);
  const siteInfo = useQuery<{ slug: string; name: string }, Error>({ queryKey: ['site', site], queryFn: () => get(`${siteBase}/api/portal/site`) });

  useEffect(() => {
    if (signedIn) navigate(customerPortalsUrl(site), { replace: true });
  }, [signedIn, site]);

  const logIn = async (email: string, password: string) => {
    const res = await post<{ csrfToken: string }>(`${siteBase}/api/portal/login`, { email, password });
    queryClient.clear();
    setCsrfToken(res.csrfToken);
    navigate(next && !next.includes('/user/login') ? next : customerPortalsUrl(site), { replace: true });
  };

  if ((existing.error instanceof ApiError && existing.error.status === 404) || (siteInfo.error instanceof ApiError && siteInfo.error.status === 404)) {
    return (
      <main className="page page-narrow">
        <h1>Help center not found</h1>
        <p>There is no help center at this address. Check the link you were given.</p>
      </main>
    );
  }
  if (existing.isPending || signedIn) return <Loading />;

  return (
    <div className="login-screen portal-login">
      <main className="login-card">
        <p className="login-brand" aria-hidden="true">
          Help center
        </p>
        <h1>Log in to {siteInfo.data?.name ?? site}</h1>
        <p className="ui-muted">Log in to raise and follow your requests.</p>
        <LoginForm
          onSubmit={logIn}
          footer={
            <p className="login-links">
              <Link to={`${siteBase}/servicedesk/customer/user/forgot-password`}>Forgot your password?</Link>
            </p>
          }
        />
      </main>
    </div>
  );
}
