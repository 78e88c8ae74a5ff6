import type { OfflineWorld } from '../../sandbox/offline-world';
import { linkedInClient } from '../../src/server/auth/connection';
import type { AuthContext } from '../../src/server/auth/credentials';
import type { LinkedInClient } from '../../src/server/linkedin/client';
import { appsScriptHttp } from '../../src/server/platform-apps-script';

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The user's AuthContext inside one emulated execution, with the simulated clock. */
export function authContextIn(offline: OfflineWorld, scope: Scope): AuthContext {
  return {
    oauth2: scope.OAuth2,
    userProperties: scope.PropertiesService.getUserProperties(),
    scriptProperties: scope.PropertiesService.getScriptProperties(),
    userCache: scope.CacheService.getUserCache(),
    userLock: scope.LockService.getUserLock(),
    http: appsScriptHttp(scope.UrlFetchApp),
    clock: { now: () => offline.clock.now(), sleep: (ms: number) => scope.Utilities.sleep(ms) },
    scriptId: offline.world.scriptId,
  };
}

/** Runs core code with a LinkedIn client for `user`, inside one emulated Apps Script execution. */
export function withClient<T>(
  offline: OfflineWorld,
  user: string,
  work: (client: LinkedInClient) => T,
  budgetMs = 5 * 60_000,
): T {
  return offline.world.execute(user, (scope: Scope) =>
    work(linkedInClient(authContextIn(offline, scope), offline.clock.now() + budgetMs)),
  );
}
