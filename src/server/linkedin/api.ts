import { scopesOf } from '../catalog/streams';
import type { Product } from './products';

/**
 * LinkedIn's monthly API version this add-on is written against; bump it deliberately, after
 * testing. 202603 is listed as active (sunset March 16, 2027) on LinkedIn's migrations page,
 * learn.microsoft.com/linkedin/marketing/integrations/migrations. When LinkedIn retires it,
 * the client falls back to the newest version LinkedIn still serves (see LinkedInClient).
 */
export const LINKEDIN_VERSION = '202603';
/** How far back from this month the client looks for a version LinkedIn still serves: about its support window. */
export const VERSION_LOOKBACK_MONTHS = 12;
export const API_BASE_URL = 'https://api.linkedin.com/rest/';
/** LinkedIn's unversioned API, where some standardized-data resources (Geo) are documented: see `ApiCall.unversioned`. */
export const API_V2_BASE_URL = 'https://api.linkedin.com/v2/';
export const AUTHORIZATION_URL = 'https://www.linkedin.com/oauth/v2/authorization';
export const TOKEN_URL = 'https://www.linkedin.com/oauth/v2/accessToken';
export const INTROSPECTION_URL = 'https://www.linkedin.com/oauth/v2/introspectToken';
/** UrlFetchApp refuses longer URLs; longer queries go as a tunneled POST. */
export const MAX_URL_LENGTH = 2000;

/** What connecting each product asks LinkedIn for: the scopes its catalog streams need. */
export const PRODUCT_SCOPES: Record<Product, string[]> = {
  ads: scopesOf('ads'),
  pages: scopesOf('pages'),
  leads: scopesOf('leads'),
};

export type { Product } from './products';

/**
 * Whether a connection surely lacks one of `needed`, as its token says it was `granted`; a token
 * that did not say (empty) is taken to have them all, and LinkedIn's answer tells.
 */
export const lacksScopes = (granted: readonly string[], needed: readonly string[]): boolean =>
  granted.length > 0 && needed.some((scope) => !granted.includes(scope));
