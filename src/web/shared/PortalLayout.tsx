import { createContext, useContext, useEffect, useState, type MouseEvent, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import { ApiError, get, post, setCsrfToken } from '../api';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { Alert, Button, Loading, SignedInUser } from './ui';
import { isUnauthenticated, useCustomerSession, type CustomerSession } from './useSession';
import type { SignupOfferSchema } from '../../http/schemas/signup';

type SignupOffer = Static<typeof SignupOfferSchema>;

const VisitorContext = createContext(false);

/** True inside a help-center page shown to a visitor who is not logged in (docs/product.md#signup). */
export function useIsVisitor(): boolean {
  return useContext(VisitorContext);
}

/**
 * The help center's frame for a signed-in customer: the site's name, "Help center" and "My requests",
 * the customer's name and "Log out". Children render once the customer's session on this site is
 * known (a signed-out visitor goes to the site's login page first). Pass a function to receive it.
 * With `visitors` (portals, a portal, an article), a visitor who is not logged in stays when the site's
 * help center needs no login, and sees "Log in" and "Sign up" instead of their name (useIsVisitor).
 */
export function PortalLayout({
  site,
  visitors = false,
  children,
}: {
  site: string;
  visitors?: boolean;
  children: ReactNode | ((session: CustomerSession) => ReactNode);
}) {
  const query = useCustomerSession(site, { stay: visitors });
  const signedOut = isUnauthenticated(query.error);
  const offer = useQuery<SignupOffer, Error>({
    queryKey: ['site', site, 'signup'],
    queryFn: () => get(`/s/${encodeURIComponent(site)}/api/portal/signup`),
    enabled: visitors && signedOut,
  });
  const visiting = visitors && signedOut && offer.data?.loginRequired === false;
  const siteName = useQuery<{ name: string }, Error>({ queryKey: ['site', site], queryFn: () => get(`/s/${encodeURIComponent(site)}/api/portal/site`), enabled: visiting });
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  // On a phone a signed-in customer's header folds its links and "Log out" into a menu (styles.css).
  const [menuOpen, setMenuOpen] = useState(false);
  const closeMenuOnLink = (e: MouseEvent) => {
    if ((e.target as HTMLElement).closest('a')) setMenuOpen(false);
  };
  // the site needs login after all (or said nothing): the login page, as for any other page
  const mustLogIn = visitors && signedOut && (offer.isError || offer.data?.loginRequired === true);
  useEffect(() => {
    if (mustLogIn && !window.location.pathname.endsWith('/servicedesk/customer/user/login')) {
      void navigate({ to: '/s/$site/servicedesk/customer/user/login', params: { site }, search: { next: window.location.pathname + window.location.search }, replace: true });
    }
  }, [mustLogIn, site, navigate]);

  const logOut = async () => {
    try {
      await post(`/s/${encodeURIComponent(site)}/api/portal/logout`);
    } catch {
      // Already logged out: nothing to undo.
    } finally {
      setCsrfToken(null);
      queryClient.clear();
      void navigate({ to: '/s/$site/servicedesk/customer/user/login', params: { site } });
    }
  };

  if (query.error instanceof ApiError && query.error.status === 404) {
    return (
      <main className="page page-narrow">
        <h1>Help center not found</h1>
        <p>There is no help center at this address.</p>
      </main>
    );
  }

  const session = query.data;
  // current (aria-current="page") on its own path, whatever the search (a tab of My requests)
  const link = (to: '/s/$site/servicedesk/customer/portals' | '/s/$site/servicedesk/customer/user/requests' | '/s/$site/servicedesk/customer/user/profile', label: string) => (
    <Link to={to} params={{ site }} className="shell-nav-link" activeOptions={{ exact: true, includeSearch: false }} activeProps={{ className: 'is-current' }}>
      {label}
    </Link>
  );
  return (
    <div className="shell portal">
      <header className="shell-header portal-header">
        <Link to="/s/$site/servicedesk/customer/portals" params={{ site }} className="shell-brand">
          {session?.site.name ?? siteName.data?.name ?? site}
        </Link>
        {!visiting && (
          <Button variant="quiet" className="shell-menu-button" aria-expanded={menuOpen} aria-controls="portal-menu" onPress={() => setMenuOpen((o) => !o)}>
            Menu
          </Button>
        )}
        <div id="portal-menu" className={visiting ? 'shell-menu is-visitor' : 'shell-menu'} data-open={menuOpen || undefined} onClick={closeMenuOnLink}>
          <nav aria-label="Help center" className="shell-nav">
            {link('/s/$site/servicedesk/customer/portals', 'Help center')}
            {!visiting && link('/s/$site/servicedesk/customer/user/requests', 'My requests')}
            {!visiting && link('/s/$site/servicedesk/customer/user/profile', 'Profile')}
          </nav>
          {visiting ? (
            <div className="shell-user">
              <Link to="/s/$site/servicedesk/customer/user/login" params={{ site }} search={{ next: window.location.pathname + window.location.search }} className="shell-nav-link">
                Log in
              </Link>
              {offer.data?.customerSignup && (
                <Link to="/s/$site/servicedesk/customer/user/signup" params={{ site }} className="shell-nav-link">
                  Sign up
                </Link>
              )}
            </div>
          ) : (
            <SignedInUser account={session?.account} onLogOut={logOut} />
          )}
        </div>
      </header>
      <main className="page">
        {visiting ? (
          <VisitorContext.Provider value={true}>{typeof children === 'function' ? null : children}</VisitorContext.Provider>
        ) : session ? (
          typeof children === 'function' ? children(session) : children
        ) : query.isError && !(query.error instanceof ApiError && query.error.status === 401) ? (
          <Alert>{query.error.message}</Alert>
        ) : (
          <Loading />
        )}
      </main>
    </div>
  );
}
