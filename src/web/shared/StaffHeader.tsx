import { type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, post, setCsrfToken } from '../api';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { Alert, Loading, SignedInUser } from './ui';
import { staffLanding, useStaffSession, type StaffSession } from './useSession';

/** A link of the main navigation, current (aria-current="page") on its path — with `prefix`, on the pages below it too. */
function NavLink({ to, children, prefix }: { to: '/admin' | '/projects' | '/profile'; children: ReactNode; prefix?: boolean }) {
  return (
    <Link to={to} className="shell-nav-link" activeOptions={{ exact: !prefix, includeSearch: false }} activeProps={{ className: 'is-current' }}>
      {children}
    </Link>
  );
}

/** Logs the staff member out, forgets everything cached for them, and shows the login page. */
export function useStaffLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    try {
      await post('/api/auth/logout');
    } catch {
      // The session may already be gone; the user still ends up logged out.
    } finally {
      setCsrfToken(null);
      queryClient.clear();
      void navigate({ to: '/login' });
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
      <SignedInUser account={data?.account} onLogOut={logOut} />
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
