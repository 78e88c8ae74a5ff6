/**
 * The OAuth2 double held to apps-script-oauth2 release 1.43.0, point by point
 * (docs/platform-facts.md names the source of each).
 */
import { SimClock } from '../../sandbox/apps-script/clock';
import type { SimRequest, SimResponse } from '../../sandbox/apps-script/http';
import { createScriptWorld } from '../../sandbox/offline-world';

type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ANN = 'ann@example.com';
const TOKEN_URL = 'https://auth.example.com/token';
const KEY = 'oauth2.svc';

/** A world whose token endpoint answers from a queue, recording each request's form. */
function tokenWorld() {
  const answers: Array<{ status: number; body: unknown }> = [];
  const requests: Array<Record<string, string>> = [];
  const router = (batch: SimRequest[]): SimResponse[] =>
    batch.map((request) => {
      requests.push(Object.fromEntries(new URLSearchParams(request.body)));
      const answer = answers.shift() ?? { status: 500, body: { error: 'no answer queued' } };
      return {
        status: answer.status,
        headers: { 'Content-Type': 'application/json' },
        body: typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body),
      };
    });
  const clock = new SimClock();
  const world = createScriptWorld(router, clock);
  const service = (scope: Scope) =>
    scope.OAuth2.createService('svc')
      .setAuthorizationBaseUrl('https://auth.example.com/authorize')
      .setTokenUrl(TOKEN_URL)
      .setClientId('client')
      .setClientSecret('secret')
      .setCallbackFunction('authCallback')
      .setPropertyStore(scope.PropertiesService.getUserProperties())
      .setCache(scope.CacheService.getUserCache())
      .setLock(scope.LockService.getUserLock());
  const nowSeconds = () => Math.floor(clock.now() / 1000);
  const property = () => world.userProperties.get(ANN)?.entries.get(KEY) ?? null;
  const cached = () => world.execute(ANN, (scope: Scope) => scope.CacheService.getUserCache().get(KEY));
  return { world, clock, answers, requests, service, nowSeconds, property, cached };
}

const signedIn = (t: ReturnType<typeof tokenWorld>) => {
  t.answers.push({
    status: 200,
    body: { access_token: 'A1', expires_in: 3600, refresh_token: 'R1', refresh_token_expires_in: 86_400 },
  });
  t.world.execute(ANN, (scope: Scope) => t.service(scope).handleCallback({ parameter: { code: 'c' } }));
};

describe('the OAuth2 double, as apps-script-oauth2 1.43.0', () => {
  it("stores the endpoint's JSON plus expiresAt and refreshTokenExpiresAt in seconds, without granted_time", () => {
    const t = tokenWorld();
    signedIn(t);
    const stored = JSON.parse(t.property()!);
    expect(stored).toEqual({
      access_token: 'A1',
      expires_in: 3600,
      refresh_token: 'R1',
      refresh_token_expires_in: 86_400,
      expiresAt: t.nowSeconds() + 3600,
      refreshTokenExpiresAt: t.nowSeconds() + 86_400,
    });
    expect(t.cached()).toBe(t.property());
    expect(t.requests[0]).toMatchObject({
      code: 'c',
      grant_type: 'authorization_code',
      client_secret: 'secret',
    });
  });

  it('reads memory, then the user cache, then properties, and remembers a missing token as a null marker for 6 hours', () => {
    const t = tokenWorld();
    t.world.execute(ANN, (scope: Scope) => expect(t.service(scope).getToken()).toBeNull());
    expect(t.cached()).toBe('"__NULL__"');
    // A token written behind the library's back, to properties only, stays hidden by the marker.
    t.world.userProperties.get(ANN)!.entries.set(KEY, JSON.stringify({ access_token: 'direct' }));
    t.world.execute(ANN, (scope: Scope) => expect(t.service(scope).getToken()).toBeNull());
    t.clock.advance(6 * 3_600_000 + 1000);
    t.world.execute(ANN, (scope: Scope) =>
      expect(t.service(scope).getToken()).toEqual({ access_token: 'direct' }),
    );
    // Found in properties, it is put in the cache, which is read first from then on.
    expect(t.cached()).toBe(JSON.stringify({ access_token: 'direct' }));
    t.world.userProperties.get(ANN)!.entries.set(KEY, JSON.stringify({ access_token: 'changed' }));
    t.world.execute(ANN, (scope: Scope) => {
      const service = t.service(scope);
      expect(service.getToken(true)).toEqual({ access_token: 'direct' });
      scope.CacheService.getUserCache().remove(KEY);
      expect(service.getToken()).toEqual({ access_token: 'direct' }); // still in this execution's memory
      expect(service.getToken(true)).toEqual({ access_token: 'changed' });
    });
  });

  it('getStorage() writes properties and cache alike under its prefix; reset() removes every value under it', () => {
    const t = tokenWorld();
    t.world.execute(ANN, (scope: Scope) => {
      const storage = t.service(scope).getStorage();
      storage.setValue(null, { access_token: 'pasted' });
      storage.setValue('extra', 42);
      expect(scope.PropertiesService.getUserProperties().getProperty('oauth2.svc.extra')).toBe('42');
      expect(scope.CacheService.getUserCache().get('oauth2.svc.extra')).toBe('42');
      scope.PropertiesService.getUserProperties().setProperty('oauth2.svcOther', 'kept');
    });
    expect(t.cached()).toBe(t.property());
    t.world.execute(ANN, (scope: Scope) => {
      expect(t.service(scope).getToken()).toEqual({ access_token: 'pasted' });
      t.service(scope).reset();
    });
    expect([...t.world.userProperties.get(ANN)!.entries.keys()]).toEqual(['oauth2.svcOther']);
    expect(t.cached()).toBeNull();
  });

  it('counts a token as expired 60 seconds early, and then refreshes it under the lock', () => {
    const t = tokenWorld();
    signedIn(t);
    t.clock.advance(3600_000 - 61_000);
    t.world.execute(ANN, (scope: Scope) => expect(t.service(scope).getAccessToken()).toBe('A1'));
    expect(t.requests).toHaveLength(1);
    t.clock.advance(2000);
    t.answers.push({ status: 200, body: { access_token: 'A2', expires_in: 3600 } });
    t.world.execute(ANN, (scope: Scope) => {
      expect(t.service(scope).getAccessToken()).toBe('A2');
      expect(scope.LockService.getUserLock().hasLock()).toBe(false);
    });
    expect(t.requests[1]).toEqual({
      refresh_token: 'R1',
      client_id: 'client',
      client_secret: 'secret',
      grant_type: 'refresh_token',
    });
  });

  it('keeps the refresh token and carries refreshTokenExpiresAt over when the refreshed token has none', () => {
    const t = tokenWorld();
    signedIn(t);
    const firstRefreshExpiry = JSON.parse(t.property()!).refreshTokenExpiresAt;
    t.clock.advance(2 * 3_600_000);
    t.answers.push({ status: 200, body: { access_token: 'A2', expires_in: 3600 } });
    t.world.execute(ANN, (scope: Scope) => expect(t.service(scope).hasAccess()).toBe(true));
    expect(JSON.parse(t.property()!)).toEqual({
      access_token: 'A2',
      expires_in: 3600,
      expiresAt: t.nowSeconds() + 3600,
      refresh_token: 'R1',
      refreshTokenExpiresAt: firstRefreshExpiry,
    });
  });

  it('reads tokens older versions wrote (granted_time + expires_in) and refreshes them by that time', () => {
    const t = tokenWorld();
    const granted = t.nowSeconds() - 3000;
    const old = {
      access_token: 'OLD',
      expires_in: 3600,
      refresh_token: 'R0',
      refresh_token_expires_in: 86_400,
      granted_time: granted,
    };
    t.world.execute(ANN, (scope: Scope) =>
      scope.PropertiesService.getUserProperties().setProperty(KEY, JSON.stringify(old)),
    );
    t.world.execute(ANN, (scope: Scope) => expect(t.service(scope).getAccessToken()).toBe('OLD'));
    t.clock.advance(600_000 - 59_000); // 59 s before granted_time + expires_in
    t.answers.push({ status: 200, body: { access_token: 'NEW', expires_in: 3600 } });
    t.world.execute(ANN, (scope: Scope) => expect(t.service(scope).getAccessToken()).toBe('NEW'));
    const stored = JSON.parse(t.property()!);
    expect(stored).not.toHaveProperty('granted_time');
    expect(stored).toMatchObject({ refresh_token: 'R0', refreshTokenExpiresAt: granted + 86_400 });
  });

  it("says what failed in the library's words, and keeps a failed refresh for getLastError()", () => {
    const t = tokenWorld();
    signedIn(t);
    t.clock.advance(2 * 3_600_000);
    t.answers.push({ status: 400, body: { error: 'invalid_grant', error_description: 'revoked' } });
    t.world.execute(ANN, (scope: Scope) => {
      const service = t.service(scope);
      expect(service.hasAccess()).toBe(false);
      expect(service.getLastError().message).toBe('Error retrieving token: invalid_grant, revoked');
      expect(() => service.getAccessToken()).toThrow('Access not granted or expired.');
      expect(() => service.setClientSecret('').refresh()).toThrow('Client Secret is required.');
    });
    t.answers.push({ status: 200, body: 'not json' });
    t.world.execute(ANN, (scope: Scope) =>
      expect(() => t.service(scope).refresh()).toThrow(/^Token response not valid JSON: SyntaxError/),
    );
    t.world.execute(ANN, (scope: Scope) => {
      t.service(scope).getStorage().setValue(null, { access_token: 'no refresh' });
      expect(() => t.service(scope).refresh()).toThrow('Offline access is required.');
    });
  });

  it('takes the lock with waitLock(30000) and does not release it when refresh() throws', () => {
    const t = tokenWorld();
    signedIn(t);
    t.answers.push({ status: 400, body: { error: 'invalid_grant' } });
    t.world.execute(ANN, (scope: Scope) => {
      expect(() => t.service(scope).refresh()).toThrow('Error retrieving token: invalid_grant');
      expect(scope.LockService.getUserLock().hasLock()).toBe(true);
      // Another execution of the same user waits 30 seconds for it, then gives up.
      const before = t.clock.now();
      t.world.execute(ANN, (other: Scope) =>
        expect(() => t.service(other).refresh()).toThrow('Lock timeout'),
      );
      expect(t.clock.now() - before).toBe(30_000);
    });
  });

  it('exchanges a code without a client secret (1.43.0) and answers false to access_denied', () => {
    const t = tokenWorld();
    t.answers.push({ status: 200, body: { access_token: 'A1', expires_in: 3600 } });
    t.world.execute(ANN, (scope: Scope) => {
      const service = t.service(scope).setClientSecret('');
      expect(service.handleCallback({ parameter: { code: 'c' } })).toBe(true);
      expect(service.handleCallback({ parameter: { error: 'access_denied' } })).toBe(false);
      expect(() => service.handleCallback({ parameter: { error: 'server_error' } })).toThrow(
        'Error authorizing token: server_error',
      );
    });
  });
});
