import { type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, post, setCsrfToken } from '../api';
import { Link, navigate, useLocation } from '../router';
import { Alert, Button, Loading } from './ui';
import { customerLoginUrl, customerPortalsUrl, useCustomerSession, type CustomerSession } from './useSession';

/**
 * The help center's frame for a signed-in customer: the site's name, "Help center" and "My requests",
 * the customer's name and "Log out". Children render once the customer's session on this site is
 * known (a signed-out visitor goes to the site's login page first). Pass a function to receive it.
 */
export function PortalLayout({ site, children }: { site: string; children: ReactNode | ((session: CustomerSession) => ReactNode) }) {
  const query = useCustomerSession(site);
  const queryClient = useQueryClient();
  const { path } = useLocation();
  const portals = customerPortalsUrl(site);
  const requests = `/s/${encodeURIComponent(site)}/servicedesk/customer/user/requests`;

  const logOut = async () => {
    try {
      await post(`/s/${encodeURIComponent(site)}/api/portal/logout`);
    } catch {
      // Already logged out: nothing to undo.
    } finally {
      setCsrfToken(null);
      queryClient.clear();
      navigate(customerLoginUrl(site));
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
  const link = (to: string, label: string) => (
    <Link to={to} className={path === to ? 'shell-nav-link is-current' : 'shell-nav-link'} aria-current={path === to ? 'page' : undefined}>
      {label}
    </Link>
  );
  return (
    <div className="shell portal">
      <header className="shell-header portal-header">
        <Link to={portals} className="shell-brand">
          {session?.site.name ?? site}
        </Link>
        <nav aria-label="Help center" className="shell-nav">
          {link(portals, 'Help center')}
          {link(requests, 'My requests')}
        </nav>
        <div className="shell-user">
          {session && (
            <span className="shell-user-name" title={session.account.email}>
              {session.account.displayName}
            </span>
          )}
          <Button variant="quiet" onPress={logOut}>
            Log out
          </Button>
        </div>
      </header>
      <main className="page">
        {session ? (
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
