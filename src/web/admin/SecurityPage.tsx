import { ScimTokensSection } from './ScimTokensSection';

/** A site's Security tab: one section per concern, stacked (SCIM provisioning; identity providers join it). */
export function SiteSecurity({ siteSlug }: { siteSlug: string }) {
  return (
    <>
      <ScimTokensSection siteSlug={siteSlug} />
    </>
  );
}
