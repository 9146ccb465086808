import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, get, post, setCsrfToken } from '../api';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { LoginForm } from './LoginForm';
import { Alert, Loading } from './ui';
import { ContinueWithProvider } from './ContinueWithProvider';
import { fetchCustomerSession, safeNext, sessionKeys, type CustomerSession, type LoginResponse } from './useSession';
import type { Static } from 'typebox';
import type { SiteNameSchema } from '../../http/schemas/portal';
import type { SignInOptionsSchema } from '../../http/schemas/identity-provider';
import { HelpCenterCard } from './HelpCenterCard';

type SiteName = Static<typeof SiteNameSchema>;
type SignInOptions = Static<typeof SignInOptionsSchema>;

/**
 * `/s/:site/servicedesk/customer/user/login`: a customer signs in to this one site's help center.
 * Already signed in here: straight on to the portals. `next` (from `?next=`) is where to go after.
 */
export function CustomerLoginPage({ site, next: requested, initialError = null }: { site: string; next: string | null; initialError?: string | null }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const siteBase = `/s/${encodeURIComponent(site)}`;
  const next = safeNext(requested, `${siteBase}/servicedesk/customer/`);
  const existing = useQuery<CustomerSession, Error>({ queryKey: sessionKeys.customer(site), queryFn: () => fetchCustomerSession(site), staleTime: 0 });
  const signedIn = Boolean(existing.data);
  const siteInfo = useQuery<SiteName, Error>({ queryKey: ['site', site], queryFn: () => get(`${siteBase}/api/portal/site`) });
  const signInOptions = useQuery<SignInOptions, Error>({ queryKey: ['site', site, 'sign-in-options'], queryFn: () => get(`${siteBase}/api/portal/sign-in-options`) });
  const signupOffer = useQuery<{ customerSignup: boolean }, Error>({ queryKey: ['site', site, 'signup'], queryFn: () => get(`${siteBase}/api/portal/signup`) });

  useEffect(() => {
    if (signedIn) void navigate({ to: '/s/$site/servicedesk/customer/portals', params: { site }, replace: true });
  }, [signedIn, site, navigate]);

  const logIn = async (email: string, password: string) => {
    const res = await post<LoginResponse>(`${siteBase}/api/portal/login`, { email, password });
    queryClient.clear();
    setCsrfToken(res.csrfToken);
    if (next && !next.includes('/user/login')) void navigate({ href: next, replace: true });
    else void navigate({ to: '/s/$site/servicedesk/customer/portals', params: { site }, replace: true });
  };

  if ((existing.error instanceof ApiError && existing.error.status === 404) || (siteInfo.error instanceof ApiError && siteInfo.error.status === 404)) {
    return (
      <main className="page page-narrow">
        <h1>Help center not found</h1>
        <p>There is no help center at this address. Check the link you were given.</p>
      </main>
    );
  }
  // the site's name is waited for too: a heading that changes from the slug to the name flickers
  if (existing.isPending || siteInfo.isPending || signInOptions.isPending || signedIn) return <Loading />;
  const providers = signInOptions.data?.providers ?? [];
  const passwordLogin = signInOptions.data?.passwordLogin ?? true;

  return (
    <HelpCenterCard title={<>Log in to {siteInfo.data?.name ?? site}</>}>
      <p className="ui-muted">Log in to raise and follow your requests.</p>
      {!passwordLogin && initialError && <Alert>{initialError}</Alert>}
      {providers.map((p) => (
        <ContinueWithProvider key={p.name} site={site} protocol={p.protocol} name={p.name} next={requested} />
      ))}
      {providers.length > 0 && passwordLogin && <p className="login-or">or log in with your email</p>}
      {passwordLogin && (
      <LoginForm
        onSubmit={logIn}
        initialError={initialError}
        footer={
          <p className="login-links">
            <Link to="/s/$site/servicedesk/customer/user/forgot-password" params={{ site }}>
              Forgot your password?
            </Link>
            {signupOffer.data?.customerSignup && (
              <>
                {' · '}
                <Link to="/s/$site/servicedesk/customer/user/signup" params={{ site }}>
                  Sign up for an account
                </Link>
              </>
            )}
          </p>
        }
      />
      )}
    </HelpCenterCard>
  );
}
