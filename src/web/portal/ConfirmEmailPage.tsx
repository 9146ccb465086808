import { useEffect, useRef, useState } from 'react';
import { ApiError, post } from '../api';
import { Link } from '../link';
import { Alert } from '../shared/ui';
import { HelpCenterCard } from '../shared/HelpCenterCard';

const INVALID = 'This link is no longer valid.';

/**
 * `/s/:site/servicedesk/customer/user/confirm-email?token=…`: the page the mail of an admin's email
 * change links to (docs/product.md#change-customer-email). Opening it confirms the change: the page
 * posts the token once (the GET itself changes nothing, so a mail scanner fetching the link without
 * running the page changes nothing either) and says what the server answered. Works signed out.
 */
export function ConfirmEmailPage({ site, token }: { site: string; token: string }) {
  const siteBase = `/s/${encodeURIComponent(site)}`;
  const [result, setResult] = useState<{ email: string } | { error: string } | null>(token ? null : { error: INVALID });
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    post<{ email: string }>(`${siteBase}/api/portal/email-change/confirm`, { token })
      .then((r) => setResult({ email: r.email }))
      .catch((err) => setResult({ error: err instanceof ApiError ? err.message : 'Could not reach Portico. Check your connection and open the link again.' }));
  }, [siteBase, token]);

  const loginLink = <Link to="/s/$site/servicedesk/customer/user/login" params={{ site }}>Log in</Link>;

  return (
    <HelpCenterCard title="Confirm your new email address">
      {result === null ? (
        <p role="status">Confirming…</p>
      ) : 'email' in result ? (
        <>
          <div role="status" className="ui-status">
            <span>Your email address is now {result.email}. Log in with it and your current password.</span>
          </div>
          <p className="login-links">{loginLink}</p>
        </>
      ) : (
        <>
          <Alert>{result.error}</Alert>
          <p className="login-links">{loginLink}</p>
        </>
      )}
    </HelpCenterCard>
  );
}
