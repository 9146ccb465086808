import { type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, post, setCsrfToken } from '../api';
import { Link, navigate, useLocation } from '../router';
import { Alert, Button, Loading } from './ui';
import { staffLanding, useStaffSession, type StaffSession } from './useSession';

function NavLink({ to, children, prefix }: { to: string; children: ReactNode; prefix?: boolean }) {
  const { path } = useLocation();
  const current = prefix ? path === to || path.startsWith(`${to}/`) : path === to;
  return (
    <Link to={to} className={current ? 'shell-nav-link is-current' : 'shell-nav-link'} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** Logs the staff member out, forgets everything cached for them, and shows the login page. */
export function useStaffLogout() {
  const queryClient = useQueryClient();
  return async () => {
    try {
      await post('/api/auth/logout');
    } catch {
      // The session may already be gone; the user still ends up logged out.
    } finally {
      setCsrfToken(null);
      queryClient.clear();
      navigate('/login');
    }
  };
}

/** The staff top bar: product name, the places this person may go, their name, and "Log out". */
export function StaffHeader({ session }: { session?: StaffSession }) {
  const query = useStaffSession();
  const data = session ?? query.data;
  const logOut = useStaffLogout();
  const administers = Boolean(data && data.organizations.length > 0);
  const works = Boolean(data && data.agentProjects.length > 0);
  return (
    <header className="shell-header">
      <Link to={data ? staffLanding(data) : '/login'} className="shell-brand">
        Portico
      </Link>
      <nav aria-label="Main" className="shell-nav">
        {administers && (
          <NavLink to="/admin" prefix>
            Admin
          </NavLink>
        )}
        {(works || !administers) && <NavLink to="/projects">Projects</NavLink>}
        <NavLink to="/profile">Profile</NavLink>
      </nav>
      <div className="shell-user">
        {data && (
          <span className="shell-user-name" title={data.account.email}>
            {data.account.displayName}
          </span>
        )}
        <Button variant="quiet" onPress={logOut}>
          Log out
        </Button>
      </div>
    </header>
  );
}

/**
 * A staff page: header plus a <main>. Its content renders only once the session is known, so a
 * signed-out visitor is sent to /login before any page query runs.
 */
export function StaffLayout({ children }: { children: (session: StaffSession) => ReactNode }) {
  const query = useStaffSession();
  return (
    <div className="shell">
      <StaffHeader session={query.data} />
      <main className="page">
        {query.data ? children(query.data) : query.isError && !(query.error instanceof ApiError && query.error.status === 401) ? <Alert>{query.error.message}</Alert> : <Loading />}
      </main>
    </div>
  );
}
