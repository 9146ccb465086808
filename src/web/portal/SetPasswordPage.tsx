import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Form } from 'react-aria-components';
import { ApiError, post, setCsrfToken } from '../api';
import { Link } from '../link';
import { Alert, Button, Loading } from '../shared/ui';
import type { LoginResponse } from '../shared/useSession';
import { HelpCenterCard } from '../shared/HelpCenterCard';
import { NewPasswordFields, newPasswordProblems, type NewPasswordProblems } from './NewPasswordFields';

interface LinkInfo {
  purpose: 'verification' | 'invitation';
  email: string;
  displayName: string;
}

/**
 * `/s/:site/servicedesk/customer/user/set-password?token=…`: the page a sign-up's verification mail
 * and an invitation link to (docs/product.md#signup). The customer chooses a password, which
 * verifies the address, and is logged in and taken to the help center.
 */
export function SetPasswordPage({ site, token }: { site: string; token: string }) {
  const siteBase = `/s/${encodeURIComponent(site)}`;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const info = useQuery<LinkInfo, Error>({
    queryKey: ['set-password', site, token],
    queryFn: () => post<LinkInfo>(`${siteBase}/api/portal/set-password/check`, { token }),
    enabled: Boolean(token),
    retry: false,
  });
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblems] = useState<NewPasswordProblems>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const found = newPasswordProblems(password, confirm);
    setProblems(found);
    if (found.password || found.confirm) return;
    setBusy(true);
    setError(null);
    try {
      const res = await post<LoginResponse>(`${siteBase}/api/portal/set-password`, { token, password });
      queryClient.clear();
      setCsrfToken(res.csrfToken);
      void navigate({ to: '/s/$site/servicedesk/customer/portals', params: { site }, replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.errors.password) setProblems({ password: err.errors.password });
      else setError(err instanceof ApiError ? err.message : 'Could not reach Portico. Check your connection and try again.');
      setBusy(false);
    }
  };

  const invalid = !token || info.isError;
  const invitation = info.data?.purpose === 'invitation';
  return (
    <HelpCenterCard title={invitation ? 'Accept your invitation' : 'Choose your password'}>
      {invalid ? (
        <>
          <Alert>This link is no longer valid.</Alert>
          <p className="ui-muted">Links work once and expire. Sign up again, or ask the team for a new invitation.</p>
          <p className="login-links">
            <Link to="/s/$site/servicedesk/customer/user/signup" params={{ site }}>Sign up</Link>
            {' · '}
            <Link to="/s/$site/servicedesk/customer/user/login" params={{ site }}>Log in</Link>
          </p>
        </>
      ) : info.isPending ? (
        <Loading />
      ) : (
        <Form onSubmit={submit} className="login-form" aria-label="Choose your password" validationBehavior="aria">
          <p className="ui-muted">
            Choose a password for <strong>{info.data.email}</strong>. You will log in with this email and password.
          </p>
          {error && <Alert>{error}</Alert>}
          <NewPasswordFields label="Password" password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} problems={problems} />
          <Button type="submit" variant="primary" className="login-submit" isDisabled={busy}>
            Set password and log in
          </Button>
        </Form>
      )}
    </HelpCenterCard>
  );
}
