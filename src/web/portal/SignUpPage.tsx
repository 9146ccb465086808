import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Form } from 'react-aria-components';
import { ApiError, get, post } from '../api';
import { Link } from '../link';
import { Alert, Button, Loading, TextField } from '../shared/ui';
import { HelpCenterCard } from '../shared/HelpCenterCard';

/**
 * `/s/:site/servicedesk/customer/user/signup`: a stranger asks for an account (docs/product.md#signup).
 * The server answers "check your mail" alike for a new, an existing and a revoked address, and so
 * does this page; the password is chosen from the link in the mail, never here.
 */
export function SignUpPage({ site }: { site: string }) {
  const siteBase = `/s/${encodeURIComponent(site)}`;
  const offer = useQuery<{ customerSignup: boolean }, Error>({ queryKey: ['site', site, 'signup'], queryFn: () => get(`${siteBase}/api/portal/signup`) });
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [problems, setProblems] = useState<{ email?: string; displayName?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const found = { email: email.trim() ? undefined : 'Enter your email.', displayName: name.trim() ? undefined : 'Enter your name.' };
    setProblems(found);
    if (found.email || found.displayName) return;
    setBusy(true);
    setError(null);
    try {
      const res = await post<{ message: string }>(`${siteBase}/api/portal/signup`, { email: email.trim(), displayName: name.trim() });
      setSent(res.message);
    } catch (err) {
      if (err instanceof ApiError && (err.errors.email || err.errors.displayName)) setProblems({ email: err.errors.email, displayName: err.errors.displayName });
      else setError(err instanceof ApiError ? err.message : 'Could not reach Portico. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  const loginLink = <Link to="/s/$site/servicedesk/customer/user/login" params={{ site }}>Log in</Link>;
  return (
    <HelpCenterCard title="Sign up">
      {offer.isPending ? (
        <Loading />
      ) : !offer.data?.customerSignup ? (
        <>
          <Alert tone="warning">This help center does not take sign-ups. Ask its team to invite you.</Alert>
          <p className="login-links">Already have an account? {loginLink}</p>
        </>
      ) : sent ? (
        <>
          <div role="status" className="ui-status">
            <span>{sent}</span>
          </div>
          <p className="ui-muted">The link is valid for 24 hours. No mail? Check your spam folder, or sign up again.</p>
          <p className="login-links">{loginLink}</p>
        </>
      ) : (
        <Form onSubmit={submit} className="login-form" aria-label="Sign up" validationBehavior="aria">
          {error && <Alert>{error}</Alert>}
          <TextField label="Email" type="email" name="email" autoComplete="email" value={email} onChange={setEmail} error={problems.email} maxLength={254} isRequired autoFocus />
          <TextField label="Full name" name="name" autoComplete="name" value={name} onChange={setName} error={problems.displayName} maxLength={255} isRequired />
          <Button type="submit" variant="primary" className="login-submit" isDisabled={busy}>
            Sign up
          </Button>
          <p className="login-links">Already have an account? {loginLink}</p>
        </Form>
      )}
    </HelpCenterCard>
  );
}
