import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { LabelledCheckbox } from './Checkbox';
import { Label, TextArea, TextField as AriaTextField, Text, FieldError } from 'react-aria-components';
import { ApiError } from '../api';
import { ErrorMessage, Loading, TextField } from '../shared/ui';
import { SettingsForm } from './SettingsForm';
import { adminApi, keys } from './admin-api';
import { NOT_ADMINISTERED } from './paths';

/**
 * The site's customer sign-up (docs/product.md#signup): whether strangers may sign up in its help
 * center (and reach its open portals), the email domains sign-up is limited to, and how long an
 * agent's invitation link stays valid. Shown in the site's settings of both user-management experiences.
 */
export function SignupSettingsPanel({ siteSlug, siteName }: { siteSlug: string; siteName: string }) {
  const queryClient = useQueryClient();
  const stored = useQuery({ queryKey: keys.signupSettings(siteSlug), queryFn: () => adminApi.signupSettings(siteSlug) });
  const [open, setOpen] = useState(false);
  const [visitors, setVisitors] = useState(false);
  const [domains, setDomains] = useState('');
  const [days, setDays] = useState('7');
  const [loaded, setLoaded] = useState(false);
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (stored.data && !loaded) {
      setOpen(stored.data.customerSignup);
      setVisitors(!stored.data.loginRequired);
      setDomains(stored.data.domains.join('\n'));
      setDays(String(stored.data.invitationDays));
      setLoaded(true);
    }
  }, [stored.data, loaded]);
  const save = useMutation({
    mutationFn: () =>
      adminApi.saveSignupSettings(siteSlug, {
        customerSignup: open,
        domains: domains.split(/[\s,;]+/).map((d) => d.trim()).filter(Boolean),
        invitationDays: Number(days),
        loginRequired: !visitors,
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.signupSettings(siteSlug), saved);
      setDomains(saved.domains.join('\n'));
      setMessage('Saved.');
    },
  });

  if (stored.isError) return <ErrorMessage error={stored.error} title="Could not load the sign-up settings" byStatus={NOT_ADMINISTERED} />;
  if (!loaded) return <Loading label="Loading the sign-up settings…" />;
  const fieldErrors = save.error instanceof ApiError ? save.error.errors : {};
  const daysNumber = Number(days);
  const daysProblem = fieldErrors.invitationDays ?? (Number.isInteger(daysNumber) && daysNumber >= 1 && daysNumber <= 30 ? undefined : 'Enter a whole number of days from 1 to 30.');
  const changed = () => setMessage('');

  return (
    <section className="adm-section" aria-labelledby="signup-settings-heading">
      <h2 id="signup-settings-heading">Customer sign-up</h2>
      <p className="adm-muted">
        Who may get an account for the {siteName} help center, and whether it can be read without one. Agents can always invite customers from a project’s Customers page.
      </p>
      <SettingsForm
        onSave={() => save.mutate()}
        saveLabel="Save sign-up settings"
        canSave={!daysProblem}
        saving={save.isPending}
        error={save.isError && !fieldErrors.domains && !fieldErrors.invitationDays ? save.error : null}
        message={message}
        onDismissMessage={() => setMessage('')}
      >
        <LabelledCheckbox
          isSelected={open}
          onChange={(v) => {
            setOpen(v);
            changed();
          }}
        >
          Anyone may sign up in the help center
        </LabelledCheckbox>
        <p className="ui-description">
          A new account must confirm its email from a link before it can log in. Signed-up customers can use the site’s open portals; restricted portals stay for the customers added to them.
        </p>
        <AriaTextField
          value={domains}
          onChange={(v) => {
            setDomains(v);
            changed();
          }}
          isInvalid={Boolean(fieldErrors.domains)}
          validationBehavior="aria"
          className="ui-field"
          isDisabled={!open}
        >
          <Label className="ui-label">Limit sign-up to these email domains</Label>
          <TextArea className="ui-input adm-domains" rows={3} spellCheck={false} />
          <Text slot="description" className="ui-description">
            One per line, for example example.com. Leave empty to allow any address. Subdomains are not included.
          </Text>
          <FieldError className="ui-field-error">{fieldErrors.domains}</FieldError>
        </AriaTextField>
        <LabelledCheckbox
          isSelected={visitors}
          onChange={(v) => {
            setVisitors(v);
            changed();
          }}
        >
          Visitors may browse the help center without logging in
        </LabelledCheckbox>
        <p className="ui-description">
          They see the open portals and their knowledge base. Raising or reading requests still needs an account; restricted portals need their customers to log in.
        </p>
        <TextField
          label="Invitation links are valid for (days)"
          type="text"
          value={days}
          onChange={(v) => {
            setDays(v);
            changed();
          }}
          error={daysProblem}
          description="1 to 30 days."
        />
      </SettingsForm>
    </section>
  );
}
