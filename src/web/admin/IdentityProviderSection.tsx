import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { LabelledCheckbox } from './Checkbox';
import { Label, Radio, RadioGroup, TextArea, TextField as AriaTextField, Text, FieldError } from 'react-aria-components';
import type { Static } from 'typebox';
import { ApiError, del, get, post, put } from '../api';
import { Alert, Button, ErrorMessage, Loading, TextField } from '../shared/ui';
import { SettingsForm } from './SettingsForm';
import { errorText } from '../shared/errors';
import { NOT_ADMINISTERED } from './paths';
import type { ConnectionTestSchema, SiteIdentityProviderSchema } from '../../http/schemas/identity-provider';

type SiteIdentityProvider = Static<typeof SiteIdentityProviderSchema>;
type ConnectionTest = Static<typeof ConnectionTestSchema>;

const enc = encodeURIComponent;
const url = (slug: string) => `/api/admin/sites/${enc(slug)}/identity-provider`;
const queryKey = (slug: string) => ['admin', 'site', slug, 'identity-provider'] as const;

const EMPTY = { protocol: 'oidc' as 'oidc' | 'saml', displayName: '', issuer: '', clientId: '', clientSecret: '', scopes: 'openid email profile', metadataUrl: '', metadataXml: '', entityId: '', domains: '', jit: false, passwords: true, enabled: true };

/**
 * The identity provider the site's customers sign in with, OpenID Connect (issuer, client, scopes)
 * or SAML 2.0 (the provider's metadata by URL or pasted, Portico's entity id), with just-in-time
 * accounts, allowed domains and whether passwords stay; "Test connection" reads the provider's
 * discovery document or metadata. The client secret is written, never shown.
 */
export function IdentityProviderSection({ siteSlug, siteName }: { siteSlug: string; siteName: string }) {
  const queryClient = useQueryClient();
  const stored = useQuery({ queryKey: queryKey(siteSlug), queryFn: () => get<SiteIdentityProvider>(url(siteSlug)) });
  const [form, setForm] = useState(EMPTY);
  const [loaded, setLoaded] = useState(false);
  const [message, setMessage] = useState('');
  const [test, setTest] = useState<ConnectionTest | null>(null);
  useEffect(() => {
    if (stored.data && !loaded) {
      const p = stored.data.provider;
      const common = p && { displayName: p.displayName, domains: p.allowedDomains.join('\n'), jit: p.jitAccounts, passwords: p.passwordLogin, enabled: p.enabled };
      if (p?.saml) setForm({ ...EMPTY, ...common, protocol: 'saml', metadataUrl: p.saml.metadataUrl ?? '', metadataXml: p.saml.metadataUrl ? '' : p.saml.metadataXml, entityId: p.clientId });
      else if (p) setForm({ ...EMPTY, ...common, issuer: p.issuer, clientId: p.clientId, scopes: p.scopes.join(' ') });
      setLoaded(true);
    }
  }, [stored.data, loaded]);
  const set = <K extends keyof typeof form>(key: K) => (value: (typeof form)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setMessage('');
  };
  const save = useMutation({
    mutationFn: () =>
      form.protocol === 'saml'
        ? put<SiteIdentityProvider>(`${url(siteSlug)}/saml`, {
            displayName: form.displayName,
            ...(form.metadataUrl.trim() ? { metadataUrl: form.metadataUrl } : {}),
            ...(form.metadataXml.trim() ? { metadataXml: form.metadataXml } : {}),
            entityId: form.entityId,
            allowedDomains: form.domains.split(/[\s,;]+/).filter(Boolean),
            jitAccounts: form.jit,
            passwordLogin: form.passwords,
            enabled: form.enabled,
          })
        : put<SiteIdentityProvider>(url(siteSlug), {
        displayName: form.displayName,
        issuer: form.issuer,
        clientId: form.clientId,
        ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
        scopes: form.scopes.split(/[\s,]+/).filter(Boolean),
        allowedDomains: form.domains.split(/[\s,;]+/).filter(Boolean),
        jitAccounts: form.jit,
        passwordLogin: form.passwords,
        enabled: form.enabled,
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKey(siteSlug), saved);
      setForm((f) => ({
        ...f,
        clientSecret: '',
        scopes: f.protocol === 'oidc' ? (saved.provider?.scopes.join(' ') ?? f.scopes) : f.scopes,
        entityId: f.protocol === 'saml' ? (saved.provider?.clientId ?? f.entityId) : f.entityId,
        domains: saved.provider?.allowedDomains.join('\n') ?? f.domains,
      }));
      setTest(null);
      setMessage('Saved.');
    },
  });
  const remove = useMutation({
    mutationFn: () => del<null>(url(siteSlug)),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKey(siteSlug) });
      setForm((f) => ({ ...EMPTY, protocol: f.protocol }));
      setTest(null);
      setMessage('Removed. Customers sign in with their passwords.');
    },
  });
  const testConnection = useMutation({ mutationFn: () => post<ConnectionTest>(`${url(siteSlug)}/test`), onSuccess: setTest });

  if (stored.isError) return <ErrorMessage error={stored.error} title="Could not load the identity provider" byStatus={NOT_ADMINISTERED} />;
  if (!loaded || !stored.data) return <Loading label="Loading the identity provider…" />;
  const errors = save.error instanceof ApiError ? save.error.errors : {};
  const provider = stored.data.provider;
  const sp = stored.data.saml;
  const saml = form.protocol === 'saml';

  return (
    <section className="adm-section" aria-labelledby="idp-heading">
      <h2 id="idp-heading">Identity provider</h2>
      <p className="adm-muted">
        Let customers of the {siteName} help center sign in with your organization’s accounts (OpenID Connect or SAML 2.0: Okta, Entra ID, Keycloak, Google…). Portico still decides who gets
        in: a customer whose access is revoked here is refused, whatever the provider says.
      </p>
      <RadioGroup value={form.protocol} onChange={(v) => set('protocol')(v as 'oidc' | 'saml')} className="adm-radios">
        <Label className="ui-label">Protocol</Label>
        <Radio value="oidc" className="adm-radio">
          <span className="adm-radio-dot" aria-hidden="true" />
          <span>OpenID Connect</span>
        </Radio>
        <Radio value="saml" className="adm-radio">
          <span className="adm-radio-dot" aria-hidden="true" />
          <span>SAML 2.0</span>
        </Radio>
      </RadioGroup>
      {!saml && !stored.data.canSave && <Alert tone="warning">PORTICO_SECRET_KEY is not set, so Portico cannot keep a client secret. Set it and restart Portico to add a provider.</Alert>}
      {saml ? (
        <dl className="ui-details">
          <dt>Portico’s SAML metadata</dt>
          <dd>
            <code className="adm-break">{sp.metadataUrl}</code>
          </dd>
          <dt>Entity ID (audience)</dt>
          <dd>
            <code className="adm-break">{sp.entityId}</code>
          </dd>
          <dt>ACS URL (reply URL)</dt>
          <dd>
            <code className="adm-break">{sp.acsUrl}</code>
          </dd>
        </dl>
      ) : (
        <p>
          Redirect URI to register with the provider: <code className="adm-break">{stored.data.redirectUri}</code>
        </p>
      )}
      <SettingsForm
        onSave={() => save.mutate()}
        saveLabel="Save identity provider"
        canSave={saml || stored.data.canSave}
        saving={save.isPending}
        error={save.isError && Object.keys(errors).length === 0 ? save.error : null}
        message={message}
        onDismissMessage={() => setMessage('')}
        status={
          <>
            {test && (
              <div role="status" className={`ui-alert ${test.ok ? 'ui-alert-success' : 'ui-alert-error'}`}>
                {test.message}
              </div>
            )}
            {testConnection.isError && <Alert>{errorText(testConnection.error)}</Alert>}
          </>
        }
        actions={
          <>
            <Button onPress={() => testConnection.mutate()} isDisabled={!provider || testConnection.isPending}>
              {testConnection.isPending ? 'Testing…' : 'Test connection'}
            </Button>
            {provider && (
              <Button variant="danger" onPress={() => remove.mutate()} isDisabled={remove.isPending}>
                Remove
              </Button>
            )}
          </>
        }
      >
        <TextField label="Name on the sign-in button" value={form.displayName} onChange={set('displayName')} error={errors.displayName} description={`Shown as “Continue with ${form.displayName || 'name'}”.`} />
        {saml ? (
          <>
            <TextField label="Metadata URL" value={form.metadataUrl} onChange={set('metadataUrl')} error={errors.metadataUrl} description="Where Portico reads the provider’s SAML metadata. Or paste the metadata below." />
            <AriaTextField value={form.metadataXml} onChange={set('metadataXml')} isInvalid={Boolean(errors.metadataXml)} validationBehavior="aria" className="ui-field">
              <Label className="ui-label">Metadata XML</Label>
              <TextArea className="ui-input adm-domains" rows={4} spellCheck={false} />
              <Text slot="description" className="ui-description">
                The provider’s metadata document, when it has no URL Portico can reach.
              </Text>
              <FieldError className="ui-field-error">{errors.metadataXml}</FieldError>
            </AriaTextField>
            <TextField label="Portico’s entity ID" value={form.entityId} onChange={set('entityId')} error={errors.entityId} description="Leave empty to use Portico’s metadata URL. Assertions must name it as their audience." />
            {provider?.saml && (
              <p className="ui-description">
                Signs in at <code className="adm-break">{provider.saml.ssoUrl}</code> as <code className="adm-break">{provider.issuer}</code>; assertions must be signed.
              </p>
            )}
          </>
        ) : (
          <>
            <TextField label="Issuer URL" value={form.issuer} onChange={set('issuer')} error={errors.issuer} description="For example https://login.example.com. Its discovery document is read from it." />
            <TextField label="Client ID" value={form.clientId} onChange={set('clientId')} error={errors.clientId} />
            <TextField
              label="Client secret"
              type="password"
              value={form.clientSecret}
              onChange={set('clientSecret')}
              error={errors.clientSecret}
              description={provider?.hasClientSecret ? 'A secret is saved. Leave empty to keep it.' : 'Stored encrypted; never shown again.'}
            />
            <TextField label="Scopes" value={form.scopes} onChange={set('scopes')} error={errors.scopes} description="Separated by spaces. openid is always asked for; email is needed to find the customer." />
          </>
        )}
        <AriaTextField value={form.domains} onChange={set('domains')} isInvalid={Boolean(errors.allowedDomains)} validationBehavior="aria" className="ui-field">
          <Label className="ui-label">Allowed email domains</Label>
          <TextArea className="ui-input adm-domains" rows={3} spellCheck={false} />
          <Text slot="description" className="ui-description">
            One per line. Leave empty to allow any domain the provider vouches for.
          </Text>
          <FieldError className="ui-field-error">{errors.allowedDomains}</FieldError>
        </AriaTextField>
        <LabelledCheckbox isSelected={form.jit} onChange={set('jit')}>
          Create an account at a customer’s first sign-in
        </LabelledCheckbox>
        <p className="ui-description">Only for an email the provider vouches for. Off: only customers the site already has can sign in.</p>
        <LabelledCheckbox isSelected={form.passwords} onChange={set('passwords')}>
          Customers may still log in with a password
        </LabelledCheckbox>
        <LabelledCheckbox isSelected={form.enabled} onChange={set('enabled')}>
          Offer sign-in with this provider
        </LabelledCheckbox>
      </SettingsForm>
    </section>
  );
}
