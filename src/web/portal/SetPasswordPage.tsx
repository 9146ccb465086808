import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Form } from 'react-aria-components';
import { post, setCsrfToken } from '../api';
import { Link } from '../link';
import { Alert, Button, Loading } from '../shared/ui';
import type { LoginResponse } from '../shared/useSession';
import { HelpCenterCard } from '../shared/HelpCenterCard';
import { NewPasswordFields, useNewPasswordForm } from './NewPasswordFields';

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
  const form = useNewPasswordForm(async (password) => {
    const res = await post<LoginResponse>(`${siteBase}/api/portal/set-password`, { token, password });
    queryClient.clear();
    setCsrfToken(res.csrfToken);
    void navigate({ to: '/s/$site/servicedesk/customer/portals', params: { site }, replace: true });
  });

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
        <Form onSubmit={form.submit} className="login-form" aria-label="Choose your password" validationBehavior="aria">
          <p className="ui-muted">
            Choose a password for <strong>{info.data.email}</strong>. You will log in with this email and password.
          </p>
          {form.error && <Alert>{form.error}</Alert>}
          <NewPasswordFields label="Password" {...form.fields} />
          <Button type="submit" variant="primary" className="login-submit" isDisabled={form.busy}>
            Set password and log in
          </Button>
        </Form>
      )}
    </HelpCenterCard>
  );
}
