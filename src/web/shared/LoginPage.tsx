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
    void navigate({ href: next && !next.startsWith('/login') && !next.startsWith('/s/') ? next : staffLanding(session), replace: true });
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
      </main>
    </div>
  );
}
