/**
 * The LinkedIn token as apps-script-oauth2 keeps it (library version 43 = release 1.43.0),
 * and the add-on's only ways to read and write it: through the library's service, so its
 * memory, the user cache and the property store never disagree.
 */

/** The token endpoint's JSON plus what the library adds, plus what the add-on adds. */
export interface TokenRecord {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  refresh_token_expires_in?: number;
  scope?: string;
  /** Absolute expiry of the access token in seconds since the epoch, written by the library since 1.42.0. */
  expiresAt?: number;
  /** Absolute expiry of the refresh token in seconds since the epoch, written by the library since 1.42.0. */
  refreshTokenExpiresAt?: number;
  /** When the token was granted, in seconds: written only by library versions before 1.42.0. */
  granted_time?: number;
  /** Set by the add-on when an access token was pasted and LinkedIn did not say when it expires. */
  expiry_estimated?: boolean;
}

export interface TokenExpiries {
  /** Milliseconds since the epoch, or null when the token does not say. */
  accessExpiresAt: number | null;
  refreshExpiresAt: number | null;
}

const fromGrant = (granted: number | undefined, lifetime: number | undefined): number | null =>
  granted && lifetime ? (granted + Number(lifetime)) * 1000 : null;

/** The absolute expiries, from the library's fields, or from `granted_time` for tokens older versions wrote. */
export function tokenExpiries(token: TokenRecord): TokenExpiries {
  return {
    accessExpiresAt:
      token.expiresAt !== undefined
        ? token.expiresAt * 1000
        : fromGrant(token.granted_time, token.expires_in),
    refreshExpiresAt:
      token.refreshTokenExpiresAt !== undefined
        ? token.refreshTokenExpiresAt * 1000
        : fromGrant(token.granted_time, token.refresh_token_expires_in),
  };
}

/** A token the add-on stores itself (a pasted one), in the form the library writes after a token request. */
export function libraryForm(
  token: Omit<TokenRecord, 'expiresAt' | 'refreshTokenExpiresAt' | 'granted_time'>,
  nowMs: number,
): TokenRecord {
  const now = Math.floor(nowMs / 1000);
  return {
    ...token,
    ...(token.expires_in ? { expiresAt: now + Number(token.expires_in) } : {}),
    ...(token.refresh_token_expires_in
      ? { refreshTokenExpiresAt: now + Number(token.refresh_token_expires_in) }
      : {}),
  };
}

/** The stored token, read as the library reads it (cache first), skipping only this execution's memory. */
export const readToken = (service: GoogleAppsScriptOAuth2.OAuth2Service): TokenRecord | null =>
  service.getToken(true) as TokenRecord | null;

export function writeToken(service: GoogleAppsScriptOAuth2.OAuth2Service, token: TokenRecord): void {
  // Private convention of apps-script-oauth2: the token lives in its storage under the key null.
  service.getStorage().setValue(null as unknown as string, token);
}
