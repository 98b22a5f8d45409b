/** The service-provider URLs of one organization, all derived from PUBLIC_URL and its slug. */
export interface SpUrls {
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
  loginUrl: string;
}

export function spUrls(publicUrl: string, slug: string): SpUrls {
  const base = `${publicUrl}/api/v1/auth/saml/${encodeURIComponent(slug)}`;
  // The metadata URL doubles as the entity id: unique per organization and resolvable.
  return {
    entityId: `${base}/metadata`,
    acsUrl: `${base}/acs`,
    metadataUrl: `${base}/metadata`,
    loginUrl: `${base}/login`,
  };
}
