import { useQueryClient } from '@tanstack/react-query';
import { post, setCsrfToken } from '../api';
import { useNavigate } from '@tanstack/react-router';
import { LoginForm } from './LoginForm';
import { fetchStaffSession, safeNext, sessionKeys, staffLanding, type LoginResponse } from './useSession';

/** `/login`: staff (org admins, site admins, agents) sign in here; `next` (from `?next=`) is where to go after. */
export function LoginPage({ next: requested }: { next: string | null }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const next = safeNext(requested);

  const logIn = async (email: string, password: string) => {
    const res = await post<LoginResponse>('/api/auth/login', { email, password });
    // A new person: nothing cached for whoever used this browser before may survive.
    queryClient.clear();
    setCsrfToken(res.csrfToken);
    const session = await fetchStaffSession();
    queryClient.setQueryData(sessionKeys.staff, session);
    setCsrfToken(session.csrfToken);
    void navigate({ href: next && staffMayGoTo(next) ? next : staffLanding(session), replace: true });
  };

  return (
    <div className="login-screen">
      <main className="login-card">
        <p className="login-brand" aria-hidden="true">
          Portico
        </p>
        <h1>Log in to Portico</h1>
        <p className="ui-muted">For administrators and agents.</p>
        <LoginForm onSubmit={logIn} />
        <CustomersSignInElsewhere next={requested} />
      </main>
    </div>
  );
}

/**
 * Where a staff login may send its person back to: any page of Portico's own (a request's page or a
 * queue at `/s/{site}/…` too: the link in a notification or in REST's `_links.agent`) but the login
 * page itself and a help center's pages (`/s/{site}/servicedesk/customer/…`), where a staff session
 * counts for nothing and the help center would ask for a customer's login.
 */
function staffMayGoTo(next: string): boolean {
  return !next.startsWith('/login') && !/^\/s\/[^/]+\/servicedesk\/customer(\/|$|\?)/.test(next);
}

/**
 * Customers do not sign in here: each help center has its own login page. Said to everyone, the same
 * whatever was typed, so it tells nobody whether an account exists; when the page was reached on the
 * way to a help center's address, it links to that help center's login.
 */
function CustomersSignInElsewhere({ next }: { next: string | null }) {
  const site = next ? /^\/s\/([a-z0-9-]{1,63})\//.exec(next)?.[1] : undefined;
  return (
    <p className="login-customers">
      <strong>Customers:</strong> log in on your help center&apos;s own page — its address is in the emails it sends you and ends in
      &nbsp;<code>/servicedesk/customer/portals</code>.
      {site && (
        <>
          {' '}
          <a href={`/s/${site}/servicedesk/customer/user/login`}>Log in to this help center</a>.
        </>
      )}
    </p>
  );
}
