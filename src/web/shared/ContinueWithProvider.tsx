import { useState } from 'react';
import { ApiError, post } from '../api';
import { Alert, Button } from './ui';

/**
 * "Continue with {name}": asks the server to start a sign-in at the site's identity provider
 * (docs/product.md#identity-providers), OpenID Connect or SAML, and sends the browser there.
 */
export function ContinueWithProvider({ site, protocol, name, next }: { site: string; protocol: 'oidc' | 'saml'; name: string; next: string | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await post<{ redirectUrl: string }>(`/s/${encodeURIComponent(site)}/api/portal/sso/${protocol}/start`, next ? { next } : {});
      window.location.assign(res.redirectUrl);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not reach Portico. Check your connection and try again.');
      setBusy(false);
    }
  };
  return (
    <div className="login-sso">
      {error && <Alert>{error}</Alert>}
      <Button variant="primary" className="login-submit" onPress={() => void go()} isDisabled={busy}>
        Continue with {name}
      </Button>
    </div>
  );
}
