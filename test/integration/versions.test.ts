import { createOfflineWorld } from '../../sandbox/offline-world';
import { LINKEDIN_VERSION } from '../../src/server/linkedin/api';
import { LinkedInClient, VERSION_CACHE_KEY, type VersionCache } from '../../src/server/linkedin/client';
import { LinkedInError } from '../../src/server/linkedin/errors';
import { appsScriptHttp } from '../../src/server/platform-apps-script';
import { connectedWorld } from '../helpers/connect';
import { analyticsReport, runNow, saveReport, sheetValues } from '../helpers/reports';

const ANN = 'ann@example.com';
type Scope = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const versionsAsked = (offline: ReturnType<typeof createOfflineWorld>) =>
  offline.linkedin.calls
    .filter((call) => call.host === 'api.linkedin.com')
    .map((call) => call.headers['LinkedIn-Version']);

/** A plain get/put cache, as the report runner will hand in Apps Script's user cache. */
function memoryCache(): VersionCache & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: (key) => entries.get(key) ?? null,
    put: (key, value) => void entries.set(key, value),
  };
}

/** A client on the simulator's token for sim1Person, in one emulated execution. */
function withRawClient<T>(
  offline: ReturnType<typeof createOfflineWorld>,
  cache: VersionCache,
  work: (client: LinkedInClient) => T,
): T {
  const token = offline.linkedin.issueTokens('sim1Person', ['r_ads', 'r_ads_reporting']).access_token;
  return offline.world.execute(ANN, (scope: Scope) =>
    work(
      new LinkedInClient(
        appsScriptHttp(scope.UrlFetchApp),
        { now: () => offline.clock.now(), sleep: (ms) => scope.Utilities.sleep(ms) },
        () => token,
        { deadline: offline.clock.now() + 60_000, versionCache: cache },
      ),
    ),
  );
}

describe('LinkedIn API versions', () => {
  it('pins 202603, a version LinkedIn lists as active, which the simulator serves', () => {
    expect(LINKEDIN_VERSION).toBe('202603');
    const offline = connectedWorld(ANN);
    expect(offline.world.callFromSidebar(ANN, 'listLinkedInAdAccounts')).toHaveLength(3);
    expect(new Set(versionsAsked(offline))).toEqual(new Set(['202603']));
  });

  it('completes an import through the built add-on while LinkedIn refuses the pinned version', () => {
    // The pinned version is retired; of the later ones LinkedIn serves 202607 but not 202608 and beyond.
    const offline = connectedWorld(ANN, { liveVersions: ['202601', '202605', '202607'] });
    const report = saveReport(offline, ANN, analyticsReport({ dateRange: { preset: 'last_7_days' } }));
    const progress = runNow(offline, ANN, report.config.id);
    expect(progress.at(-1)).toMatchObject({ status: 'done' });
    expect(sheetValues(offline, 'LinkedIn Ads').length).toBeGreaterThan(1);
    // Each batch asks one version. Newest first from this month (November 2026): 202611 to 202608 are refused, then 202607 works.
    expect([...new Set(versionsAsked(offline))]).toEqual([
      '202603',
      '202611',
      '202610',
      '202609',
      '202608',
      '202607',
    ]);
    const analytics = offline.linkedin.calls.filter((call) => call.path === '/rest/adAnalytics');
    const answered = analytics.filter((call) => call.status === 200);
    expect(answered.length).toBeGreaterThan(0);
    expect(new Set(answered.map((call) => call.headers['LinkedIn-Version']))).toEqual(new Set(['202607']));
    // The only refusals were version refusals, in the rounds that searched for a version (saving
    // the report made the first requests: its lookups judge whether the report fits). Each round
    // held the campaigns lookup and the accounts search.
    const refused = offline.linkedin.calls.filter(
      (call) => call.path.startsWith('/rest/') && call.status !== 200,
    );
    expect(refused).toHaveLength(2 * 5);
    expect(new Set(refused.map((call) => call.status))).toEqual(new Set([426]));
  });

  it('remembers the version that worked in the cache it is given, so the next client asks it first', () => {
    const offline = createOfflineWorld({ liveVersions: ['202606'] });
    const cache = memoryCache();
    const first = withRawClient(offline, cache, (client) =>
      client.get<{ elements: unknown[] }>({ path: 'adAccountUsers', query: { q: 'authenticatedUser' } }),
    );
    expect(first.elements.length).toBeGreaterThan(0);
    expect(cache.entries.get(VERSION_CACHE_KEY)).toBe('202606');
    const before = offline.linkedin.calls.length;
    withRawClient(offline, cache, (client) =>
      client.get({ path: 'adAccountUsers', query: { q: 'authenticatedUser' } }),
    );
    const second = offline.linkedin.calls.slice(before);
    expect(second.map((call) => [call.headers['LinkedIn-Version'], call.status])).toEqual([['202606', 200]]);
  });

  it('says the add-on needs an update when LinkedIn serves no version within a year', () => {
    const offline = createOfflineWorld({ liveVersions: ['202501'] });
    const cache = memoryCache();
    let error: unknown;
    withRawClient(offline, cache, (client) => {
      try {
        client.get({ path: 'adAccountUsers', query: { q: 'authenticatedUser' } });
      } catch (caught) {
        error = caught;
      }
    });
    expect(error).toBeInstanceOf(LinkedInError);
    expect((error as LinkedInError).kind).toBe('version');
    expect((error as LinkedInError).message).toMatch(
      /^LinkedIn no longer serves any API version this add-on can use \(tried 202603, 202611, 202610, .*, 202511\)\./,
    );
    expect((error as LinkedInError).message).toContain('The add-on needs an update');
    // The pinned version, then the twelve other months back to 202511: never more.
    expect(versionsAsked(offline)).toHaveLength(13);
    expect(cache.entries.size).toBe(0);
  });
});
