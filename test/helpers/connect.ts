import { createOfflineWorld, type OfflineWorld } from '../../sandbox/offline-world';
import type { ConnectionStatus } from '../../src/server/auth/status';

export const CLIENT_ID = 'sim-client-id';
export const CLIENT_SECRET = 'sim-client-secret';

/** The user's steps: save the app, click "Sign in with LinkedIn", allow on LinkedIn's page, land on /usercallback. */
export function signIn(
  offline: OfflineWorld,
  user: string,
  memberId = 'sim1Person',
  products: string[] = ['ads'],
) {
  const { world, linkedin } = offline;
  world.callFromSidebar(user, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
  const { authorizationUrl } = world.callFromSidebar(user, 'startLinkedInSignIn', products) as {
    authorizationUrl: string;
  };
  const redirect = linkedin.consent(authorizationUrl, memberId);
  return { authorizationUrl, redirect, page: world.handleUserCallback(redirect) };
}

/** A fresh offline world in which `user` has signed in (for Ads, or the products named). */
export function connectedWorld(
  user: string,
  options: Parameters<typeof createOfflineWorld>[0] = {},
  products?: string[],
): OfflineWorld {
  const offline = createOfflineWorld(options);
  signIn(offline, user, 'sim1Person', products);
  return offline;
}

export type Status = ConnectionStatus;

/** Requests for tokens: the check of an app when it is saved (a code LinkedIn never issued) asks for none. */
export const tokenRequests = (offline: OfflineWorld) =>
  offline.world.fetchLog.filter(
    (call) => call.url.endsWith('/oauth/v2/accessToken') && !call.body.includes('code=credential-check'),
  );

export const status = (offline: OfflineWorld, user: string) =>
  offline.world.callFromSidebar(user, 'getConnection') as Status;

export function storedToken(offline: OfflineWorld, user: string): Record<string, unknown> | null {
  const json = offline.world.userProperties.get(user)?.entries.get('oauth2.linkedin');
  return json ? JSON.parse(json) : null;
}

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Rewrites the user's stored token as apps-script-oauth2 before 1.42.0 wrote it: the
 * endpoint's JSON with `granted_time` (seconds) and no absolute expiries, in properties
 * and cache alike, as a user upgrading from an older library version would have it.
 */
export function toOlderTokenForm(offline: OfflineWorld, user: string): Record<string, unknown> {
  const older = { ...storedToken(offline, user)! };
  older.granted_time = (older.expiresAt as number) - (older.expires_in as number);
  delete older.expiresAt;
  delete older.refreshTokenExpiresAt;
  offline.world.execute(user, (scope: Scope) => {
    scope.PropertiesService.getUserProperties().setProperty('oauth2.linkedin', JSON.stringify(older));
    scope.CacheService.getUserCache().put('oauth2.linkedin', JSON.stringify(older), 21600);
  });
  return older;
}
