/** LinkedIn's monthly API version this add-on is written against; bump it deliberately, after testing. */
export const LINKEDIN_VERSION = '202610';
export const API_BASE_URL = 'https://api.linkedin.com/rest/';
export const AUTHORIZATION_URL = 'https://www.linkedin.com/oauth/v2/authorization';
export const TOKEN_URL = 'https://www.linkedin.com/oauth/v2/accessToken';
export const INTROSPECTION_URL = 'https://www.linkedin.com/oauth/v2/introspectToken';
/** UrlFetchApp refuses longer URLs; longer queries go as a tunneled POST. */
export const MAX_URL_LENGTH = 2000;

export const PRODUCT_SCOPES = {
  ads: ['r_ads', 'r_ads_reporting'],
  pages: ['r_organization_social', 'rw_organization_admin'],
} as const;

export type Product = keyof typeof PRODUCT_SCOPES;
