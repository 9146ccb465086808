import { type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, post, setCsrfToken } from '../api';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { Alert, Button, Loading } from './ui';
import { useCustomerSession, type CustomerSession } from './useSession';

/**
 * The help center's frame for a signed-in customer: the site's name, "Help center" and "My requests",
 * the customer's name and "Log out". Children render once the customer's session on this site is
 * known (a signed-out visitor goes to the site's login page first). Pass a function to receive it.
 */
export function PortalLayout({ site, children }: { site: string; children: ReactNode | ((session: CustomerSession) => ReactNode) }) {
  const query = useCustomerSession(site);
  const queryClient = useQueryClient();
  const navigate = useNavigate();

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
  const link = (to: '/s/$site/servicedesk/customer/portals' | '/s/$site/servicedesk/customer/user/requests', label: string) => (
    <Link to={to} params={{ site }} className="shell-nav-link" activeOptions={{ exact: true, includeSearch: false }} activeProps={{ className: 'is-current' }}>
      {label}
    </Link>
  );
  return (
    <div className="shell portal">
      <header className="shell-header portal-header">
        <Link to="/s/$site/servicedesk/customer/portals" params={{ site }} className="shell-brand">
          {session?.site.name ?? site}
        </Link>
        <nav aria-label="Help center" className="shell-nav">
          {link('/s/$site/servicedesk/customer/portals', 'Help center')}
          {link('/s/$site/servicedesk/customer/user/requests', 'My requests')}
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
