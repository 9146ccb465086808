import { IdentityProviderSection } from './IdentityProviderSection';
import { ScimTokensSection } from './ScimTokensSection';

/**
 * A site's Security tab (docs/product.md#identity-providers, #scim): one section per way in — the
 * identity provider customers sign in with, and provisioning by SCIM. Each section owns its data.
 */
export function SiteSecurity({ siteSlug, siteName }: { siteSlug: string; siteName: string }) {
  return (
    <div className="adm-security">
      <IdentityProviderSection siteSlug={siteSlug} siteName={siteName} />
      <ScimTokensSection siteSlug={siteSlug} />
    </div>
  );
}
