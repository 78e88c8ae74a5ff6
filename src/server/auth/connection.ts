import type { Product } from '../linkedin/api';
import { type ApiCall, LinkedInClient } from '../linkedin/client';
import { isUrlFetchQuotaSpent, LinkedInError, UrlFetchQuotaError } from '../linkedin/errors';
import { type AuthContext, clearProblem, linkedInService, PROBLEM_KEY, recordProblem } from './credentials';
import { readToken, tokenExpiries } from './token';

// The connection in use: an access token for this execution's API calls, renewed when due.

// The sidebar's import of this type (src/sidebar/connection-panel.ts) until it reads status.ts.
export type { ConnectionStatus } from './status';

/**
 * The library's hasAccess(), which refreshes under the user lock when the access token is
 * about to expire and the refresh token has more than a minute left. `refused` tells a
 * refresh LinkedIn turned down from a connection that ran out.
 */
function ensureAccess(
  service: GoogleAppsScriptOAuth2.OAuth2Service,
): { ok: true } | { ok: false; refused: boolean; transient?: string } {
  if (service.hasAccess()) return { ok: true };
  const failure = service.getLastError();
  return failure ? refusalOrTransient(failure) : { ok: false, refused: false };
}

/**
 * Only LinkedIn's own "no" to the refresh token (invalid_grant: expired or revoked) or to
 * the app (invalid_client) needs the user; a timeout, a 5xx or a page that is not JSON
 * passes, and must not end a connection that the next attempt would renew.
 */
function refusalOrTransient(error: unknown): { ok: false; refused: boolean; transient?: string } {
  const text = error instanceof Error ? error.message : String(error);
  return /invalid_grant|invalid_client/.test(text)
    ? { ok: false, refused: true }
    : { ok: false, refused: false, transient: text };
}

/** Attempts at renewing the access token when the token endpoint fails in passing. */
const RENEW_ATTEMPTS = 3;

/**
 * The access token for this execution's API calls: read once, refreshed (under the user
 * lock) only when it is about to expire.
 */
export function accessTokenProvider(context: AuthContext): () => string {
  let cached: { token: string; validUntil: number } | null = null;
  return () => {
    if (cached && context.clock.now() < cached.validUntil) return cached.token;
    let service = linkedInService(context);
    let access = ensureAccess(service);
    for (let attempt = 1; !access.ok && access.transient && attempt < RENEW_ATTEMPTS; attempt++) {
      // The renewal is a request too: Apps Script's spent daily quota is no passing failure.
      if (isUrlFetchQuotaSpent(access.transient)) break;
      context.clock.sleep(1_000 * 2 ** attempt);
      service = linkedInService(context);
      access = ensureAccess(service);
    }
    if (!access.ok && access.transient && isUrlFetchQuotaSpent(access.transient))
      throw new UrlFetchQuotaError(access.transient);
    if (!access.ok && access.transient) {
      throw new LinkedInError(
        `LinkedIn's sign-in service did not answer when the connection was renewed (${access.transient.slice(0, 200)}). Nothing needs reconnecting: the import tries again on its next run.`,
        'unavailable',
        503,
      );
    }
    if (!access.ok) {
      const message = access.refused
        ? 'LinkedIn refused to renew the connection (the refresh token expired or was revoked). Sign in with LinkedIn again.'
        : readToken(service)
          ? 'The LinkedIn connection has expired. Sign in with LinkedIn again.'
          : 'LinkedIn is not connected. Sign in with LinkedIn in the sidebar.';
      if (readToken(service)) recordProblem(context, message);
      throw new LinkedInError(message, 'reconnect', 401);
    }
    // A renewal that works again clears what an earlier failure said.
    if (context.userProperties.getProperty(PROBLEM_KEY)) clearProblem(context);
    const token = readToken(service)!;
    const { accessExpiresAt } = tokenExpiries(token);
    cached = { token: token.access_token!, validUntil: (accessExpiresAt ?? Infinity) - 120_000 };
    return cached.token;
  };
}

/**
 * The cheapest call that shows LinkedIn accepts a token: one of the member's ad-account roles,
 * or (a connection for Pages only) one of their page roles.
 */
export function connectionProbe(products: Product[]): ApiCall {
  return products.includes('ads')
    ? { path: 'adAccountUsers', query: { q: 'authenticatedUser', count: 1 } }
    : { path: 'organizationAcls', query: { q: 'roleAssignee', count: 1 } };
}

/** A LinkedIn client for this user's connection, working until `deadline`. */
export function linkedInClient(context: AuthContext, deadline: number): LinkedInClient {
  // The API version LinkedIn last served is kept in the user's cache, so a retired pin costs one search, not one a run.
  return new LinkedInClient(context.http, context.clock, accessTokenProvider(context), {
    deadline,
    versionCache: context.userCache,
    // A token LinkedIn turned down (revoked, say) before it was due to end: the panel says so too.
    onConnectionRefused: (error) => recordProblem(context, error.message),
  });
}
