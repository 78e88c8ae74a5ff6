import type { OfflineWorld } from '../../sandbox/offline-world';
import type { ConnectionStatus } from '../../src/server/auth/connection';

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

export type Status = ConnectionStatus;

export const status = (offline: OfflineWorld, user: string) =>
  offline.world.callFromSidebar(user, 'getConnection') as Status;

export function storedToken(offline: OfflineWorld, user: string): Record<string, unknown> | null {
  const json = offline.world.userProperties.get(user)?.entries.get('oauth2.linkedin');
  return json ? JSON.parse(json) : null;
}
