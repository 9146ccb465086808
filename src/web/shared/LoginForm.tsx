import { useState, type FormEvent, type ReactNode } from 'react';
import { Form } from 'react-aria-components';
import { ApiError } from '../api';
import { Alert, Button, TextField } from './ui';

/**
 * The one login form of both login pages: "Email", "Password", "Log in". The server's refusal is
 * shown as it is sent — for a wrong password, an unknown email and a revoked account alike it is
 * "Incorrect email or password.", so the page never tells them apart.
 */
export function LoginForm({ onSubmit, footer, initialError = null }: { onSubmit: (email: string, password: string) => Promise<void>; footer?: ReactNode; initialError?: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);
  // Signed in: the form goes at once, while the page it leads to is still loading.
  const [signedIn, setSignedIn] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const problems = {
      email: email.trim() ? undefined : 'Enter your email.',
      password: password ? undefined : 'Enter your password.',
    };
    setMissing(problems);
    if (problems.email || problems.password) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(email.trim(), password);
      setSignedIn(true);
    } catch (err) {
      setPassword('');
      setError(err instanceof ApiError ? err.message : 'Could not reach Portico. Check your connection and try again.');
      setBusy(false);
    }
  };

  if (signedIn) {
    return (
      <p className="login-signed-in" role="status">
        Signed in. Opening your page…
      </p>
    );
  }
  return (
    <Form onSubmit={submit} className="login-form" aria-label="Log in" validationBehavior="aria">
      {error && <Alert>{error}</Alert>}
      <TextField label="Email" type="email" name="email" autoComplete="username" value={email} onChange={setEmail} error={missing.email} autoFocus />
      <TextField label="Password" type="password" name="password" autoComplete="current-password" value={password} onChange={setPassword} error={missing.password} />
      <Button type="submit" variant="primary" className="login-submit" isDisabled={busy}>
        Log in
      </Button>
      {footer}
    </Form>
  );
}
