import { IdentityProviderSection } from './IdentityProviderSection';
import { ScimTokensSection } from './ScimTokensSection';
import { InactivityPolicySection } from './InactivityPolicySection';

/**
 * A site's Security tab (docs/product.md#identity-providers, #scim, #inactivity-policy): one section per
 * way in — the identity provider customers sign in with, provisioning by SCIM — and the automatic
 * revoke of inactive customers. Each section owns its data.
 */
export function SiteSecurity({ siteSlug, siteName }: { siteSlug: string; siteName: string }) {
  return (
    <div className="adm-security">
      <IdentityProviderSection siteSlug={siteSlug} siteName={siteName} />
      <ScimTokensSection siteSlug={siteSlug} />
      <InactivityPolicySection siteSlug={siteSlug} />
    </div>
  );
}
