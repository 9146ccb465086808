import { IdentityProviderSection } from './IdentityProviderSection';

/**
 * A site's Security tab (docs/product.md#identity-providers): one section per way in — the identity
 * provider customers sign in with, and (beside it) provisioning. Each section owns its data.
 */
export function SiteSecurity({ siteSlug, siteName }: { siteSlug: string; siteName: string }) {
  return (
    <div className="adm-security">
      <IdentityProviderSection siteSlug={siteSlug} siteName={siteName} />
    </div>
  );
}
