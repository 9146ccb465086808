import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { ApiError, post } from '../api';
import { Link } from '../link';
import { Alert, Button } from '../shared/ui';
import { HelpCenterCard } from '../shared/HelpCenterCard';
import { NewPasswordFields, newPasswordProblems, type NewPasswordProblems } from './NewPasswordFields';

/**
 * `/s/:site/servicedesk/customer/user/reset-password?token=…`: the page a reset mail links to.
 * The customer chooses a new password once; the server checks the link (once, within the hour,
 * only while the account may log in) and the password rules, and the page shows what it says.
 */
export function ResetPasswordPage({ site, token }: { site: string; token: string }) {
  const siteBase = `/s/${encodeURIComponent(site)}`;
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblems] = useState<NewPasswordProblems>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
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
      await post<void>(`${siteBase}/api/portal/password-reset/complete`, { token, password });
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.errors.password) setProblems({ password: err.errors.password });
      else setError(err instanceof ApiError ? err.message : 'Could not reach Portico. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  const loginLink = <Link to="/s/$site/servicedesk/customer/user/login" params={{ site }}>Log in</Link>;
  const forgotLink = <Link to="/s/$site/servicedesk/customer/user/forgot-password" params={{ site }}>Ask for a new link</Link>;

  return (
    <HelpCenterCard title="Choose a new password">
      {done ? (
        <>
          <div role="status" className="ui-status">
            <span>Your password was changed. You can now log in with it.</span>
          </div>
          <p className="login-links">{loginLink}</p>
        </>
      ) : !token ? (
        <>
          <Alert>This link is no longer valid.</Alert>
          <p className="login-links">{forgotLink}</p>
        </>
      ) : (
        <Form onSubmit={submit} className="login-form" aria-label="Choose a new password" validationBehavior="aria">
          {error && (
            <Alert>
              {error} {error === 'This link is no longer valid.' && forgotLink}
            </Alert>
          )}
          <NewPasswordFields label="New password" password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} problems={problems} />
          <Button type="submit" variant="primary" className="login-submit" isDisabled={busy}>
            Set password
          </Button>
        </Form>
      )}
    </HelpCenterCard>
  );
}
