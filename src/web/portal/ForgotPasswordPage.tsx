import { useState, type FormEvent } from 'react';
import { Form } from 'react-aria-components';
import { ApiError, post } from '../api';
import type { PasswordResetAccepted } from '../shared/useSession';
import { Link } from '../link';
import { Alert, Button, TextField } from '../shared/ui';
import { HelpCenterCard } from '../shared/HelpCenterCard';

/**
 * `/s/:site/servicedesk/customer/user/forgot-password`: a customer asks for a one-time link. The
 * server answers the same whether or not the email has an account (or is allowed in), and so
 * does this page.
 */
export function ForgotPasswordPage({ site }: { site: string }) {
  const siteBase = `/s/${encodeURIComponent(site)}`;
  const [email, setEmail] = useState('');
  const [missing, setMissing] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    if (!email.trim()) {
      setMissing('Enter your email.');
      return;
    }
    setMissing(undefined);
    setBusy(true);
    setError(null);
    try {
      const res = await post<PasswordResetAccepted>(`${siteBase}/api/portal/password-reset`, { email: email.trim() });
      setSent(res.message);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not reach Portico. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <HelpCenterCard title="Reset your password">
      {sent ? (
        <>
          <div role="status" className="ui-status">
            <span>{sent}</span>
          </div>
          <p className="ui-muted">The link works once and for one hour. Check your spam folder if it does not arrive.</p>
          <p className="login-links">
            <Link to="/s/$site/servicedesk/customer/user/login" params={{ site }}>Back to log in</Link>
          </p>
        </>
      ) : (
        <>
          <p className="ui-muted">Enter the email of your help center account and we will send you a link to choose a new password.</p>
          <Form onSubmit={submit} className="login-form" aria-label="Reset your password" validationBehavior="aria">
            {error && <Alert>{error}</Alert>}
            <TextField label="Email" type="email" name="email" autoComplete="username" value={email} onChange={setEmail} error={missing} maxLength={254} autoFocus />
            <Button type="submit" variant="primary" className="login-submit" isDisabled={busy}>
              Send reset link
            </Button>
            <p className="login-links">
              <Link to="/s/$site/servicedesk/customer/user/login" params={{ site }}>Back to log in</Link>
            </p>
          </Form>
        </>
      )}
    </HelpCenterCard>
  );
}
