import { useState } from 'react';
import { Form } from 'react-aria-components';
import { post } from '../api';
import { Link } from '../link';
import { Alert, Button } from '../shared/ui';
import { HelpCenterCard } from '../shared/HelpCenterCard';
import { NewPasswordFields, useNewPasswordForm } from './NewPasswordFields';

/**
 * `/s/:site/servicedesk/customer/user/reset-password?token=…`: the page a reset mail links to.
 * The customer chooses a new password once; the server checks the link (once, within the hour,
 * only while the account may log in) and the password rules, and the page shows what it says.
 */
export function ResetPasswordPage({ site, token }: { site: string; token: string }) {
  const siteBase = `/s/${encodeURIComponent(site)}`;
  const [done, setDone] = useState(false);
  const form = useNewPasswordForm(async (password) => {
    await post<void>(`${siteBase}/api/portal/password-reset/complete`, { token, password });
    setDone(true);
  });

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
        <Form onSubmit={form.submit} className="login-form" aria-label="Choose a new password" validationBehavior="aria">
          {form.error && (
            <Alert>
              {form.error} {form.error === 'This link is no longer valid.' && forgotLink}
            </Alert>
          )}
          <NewPasswordFields label="New password" {...form.fields} />
          <Button type="submit" variant="primary" className="login-submit" isDisabled={form.busy}>
            Set password
          </Button>
        </Form>
      )}
    </HelpCenterCard>
  );
}
