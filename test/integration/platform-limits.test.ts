/**
 * The add-on within the limits the emulation enforces as the real platform does
 * (docs/platform-facts.md): long texts in cells, and what crosses google.script.run.
 */
import { toClient } from '../../sandbox/apps-script/script-run';
import { CLIENT_ID, CLIENT_SECRET, connectedWorld } from '../helpers/connect';
import { URL_FETCH_DAILY_QUOTA } from '../../sandbox/apps-script/url-fetch';
import { PAGES_STREAMS } from '../../src/server/catalog/pages';
import { analyticsReport, runNow, saveReport, sheetValues } from '../helpers/reports';

const ANN = 'ann@example.com';

describe('texts longer than a cell holds', () => {
  it('are cut with a visible marker, and the import completes', () => {
    const offline = connectedWorld(ANN, {}, ['ads', 'pages']);
    const post = offline.linkedin.data.posts.find((candidate) => candidate.organizationId === 10000001)!;
    post.commentary = 'A long post. '.repeat(5000); // 65,000 characters
    const report = saveReport(offline, ANN, {
      ...analyticsReport(),
      name: 'Posts',
      source: 'pages',
      stream: 'posts',
      organizationIds: ['10000001'],
      fields: ['post_id', 'text'],
      sheetName: 'Posts',
    });
    const done = runNow(offline, ANN, report.config.id).at(-1)!;
    expect(done.status).toBe('done');
    const rows = sheetValues(offline, 'Posts');
    const [header] = rows;
    const row = rows.find((line) => line[header.indexOf('Post')] === post.id)!;
    const text = String(row[header.indexOf('Text')]);
    expect(text).toHaveLength(50_000);
    expect(text.startsWith('A long post. A long post.')).toBe(true);
    expect(text.endsWith('… [cut at 50,000 characters]')).toBe(true);
    const short = rows.find((line, index) => index > 0 && line !== row)!;
    expect(String(short[header.indexOf('Text')])).not.toContain('[cut at');
  });
});

describe('the connection functions the sidebar calls', () => {
  it('return only values google.script.run carries unchanged (no Date, NaN or undefined in arrays)', () => {
    const offline = connectedWorld(ANN, {}, ['ads', 'pages']);
    const { access_token } = offline.linkedin.issueTokens('sim1Person', ['r_ads', 'r_ads_reporting']);
    const calls: Array<[string, ...unknown[]]> = [
      ['getConnection'],
      ['saveLinkedInApp', CLIENT_ID, CLIENT_SECRET],
      ['startLinkedInSignIn', ['ads']],
      ['testLinkedInConnection'],
      ['listLinkedInAdAccounts'],
      ['listLinkedInPages'],
      ['pasteLinkedInAccessToken', access_token],
      ['disconnectLinkedIn'],
      ['usePublisherLinkedInApp'],
    ];
    for (const [name, ...args] of calls) {
      const raw = offline.world.run(ANN, name, ...args);
      // toEqual holds NaN equal to NaN and a Date to a Date: either would fail against null.
      expect({ name, value: toClient(raw) }).toEqual({ name, value: raw });
      expect(toClient(raw)).not.toBeNull();
    }
  });
});

describe('the report functions the sidebar calls', () => {
  it('return only values google.script.run carries unchanged, through a run', () => {
    const offline = connectedWorld(ANN);
    const carried = (name: string, ...args: unknown[]) => {
      const raw = offline.world.run(ANN, name, ...args);
      expect({ name, value: toClient(raw) }).toEqual({ name, value: raw });
      return raw as Record<string, unknown>;
    };
    carried('getCatalog');
    const [summary] = carried('saveReport', analyticsReport()) as unknown as Array<{
      config: { id: string };
    }>;
    let progress = carried('runReportNow', summary.config.id);
    while (progress.status === 'running') progress = carried('continueReport', summary.config.id);
    expect(progress.status).toBe('done');
    carried('listReports');
  });
});

describe('Apps Script’s daily quota of URL Fetch calls, spent', () => {
  const DAY = 86_400_000;
  /** A connected world whose user has `left` calls left today (the rest spent by other scripts). */
  const withCallsLeft = (left: number) => {
    const offline = connectedWorld(ANN, {}, ['ads', 'pages']);
    const spent = offline.world.fetchLog.filter((fetched) => fetched.user === ANN).length;
    offline.world.urlFetchDailyQuota = spent + left;
    return offline;
  };
  const QUOTA_SENTENCE =
    'Google Apps Script’s daily quota of web requests for your Google account is used up (20,000 a day for a Gmail account, 100,000 for Google Workspace, counted across every add-on and script you run), so LinkedIn could not be asked.';

  it('fails a run with what happened and when it resets, without retrying, and runs again once it resets', () => {
    const offline = withCallsLeft(1);
    const report = saveReport(offline, ANN, analyticsReport());
    const sent = offline.world.fetchLog.length;
    const failed = runNow(offline, ANN, report.config.id).at(-1)!;
    expect(failed.status).toBe('failed');
    expect(failed.message).toContain(QUOTA_SENTENCE);
    expect(failed.message).toContain(
      'Apps Script said: "Service invoked too many times for one day: urlfetch."',
    );
    // Refused calls are not sent, and none was tried again.
    expect(offline.world.fetchLog.length).toBe(sent);
    offline.clock.advance(DAY);
    expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
  });

  it('says so, not that LinkedIn’s sign-in failed, when the connection needs renewing', () => {
    const offline = withCallsLeft(0);
    // The access token is about to expire: the run first renews it, a request too.
    offline.clock.advance(60 * DAY - 30_000);
    offline.world.urlFetchDailyQuota = 0;
    const report = saveReport(offline, ANN, analyticsReport());
    const failed = runNow(offline, ANN, report.config.id).at(-1)!;
    expect(failed.message).toContain(QUOTA_SENTENCE);
    expect(failed.message).not.toContain('sign-in service');
    expect(offline.world.callFromSidebar(ANN, 'getConnection')).toMatchObject({ connected: true });
  });

  it('fails the run, instead of leaving names blank as LinkedIn’s refusal, when it is spent at a names lookup', () => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    const report = saveReport(offline, ANN, {
      ...analyticsReport(),
      name: 'Followers',
      source: 'pages',
      stream: 'follower_lifetime',
      organizationIds: ['10000001', '10000002'],
      fields: PAGES_STREAMS.find((spec) => spec.id === 'follower_lifetime')!.fields.map((field) => field.key),
      sheetName: 'Followers',
    });
    // The statistics round trip (the two pages and their names) passes; the Geo lookup after it does not.
    offline.world.urlFetchDailyQuota =
      offline.world.fetchLog.filter((fetched) => fetched.user === ANN).length + 3;
    const failed = runNow(offline, ANN, report.config.id).at(-1)!;
    expect(failed.status).toBe('failed');
    expect(failed.message).toContain(QUOTA_SENTENCE);
    expect(failed.message).not.toContain('HTTP 0');
  });

  it('says so when signing in or pasting a refresh token', () => {
    const offline = connectedWorld(ANN);
    offline.world.urlFetchDailyQuota = 0;
    expect(() =>
      offline.world.callFromSidebar(ANN, 'pasteLinkedInRefreshToken', 'AQR-some-refresh-token'),
    ).toThrow(QUOTA_SENTENCE);
    offline.world.urlFetchDailyQuota = URL_FETCH_DAILY_QUOTA;
    offline.world.callFromSidebar(ANN, 'disconnectLinkedIn');
    const { authorizationUrl } = offline.world.callFromSidebar(ANN, 'startLinkedInSignIn', ['ads']) as {
      authorizationUrl: string;
    };
    const redirect = offline.linkedin.consent(authorizationUrl, 'sim1Person');
    offline.world.urlFetchDailyQuota = 0;
    offline.world.handleUserCallback(redirect);
    const { signIn } = offline.world.callFromSidebar(ANN, 'getConnection') as { signIn: { message: string } };
    expect(signIn.message).toContain(QUOTA_SENTENCE);
  });

  it('says so when saving an app of one’s own or a pasted token', () => {
    const offline = withCallsLeft(0);
    expect(() => offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET)).toThrow(
      QUOTA_SENTENCE,
    );
    expect(() => offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', 'AQX-pasted-token')).toThrow(
      QUOTA_SENTENCE,
    );
  });

  it('is each user’s, refuses a batch that would pass it whole, and resets 24 hours after the first call', () => {
    const offline = connectedWorld(ANN);
    const calls = (user: string) => offline.world.fetchLog.filter((fetched) => fetched.user === user).length;
    offline.world.urlFetchDailyQuota = calls(ANN) + 2;
    const fetchThree = (user: string) =>
      offline.world.execute(user, (scope) =>
        (scope.UrlFetchApp as GoogleAppsScript.URL_Fetch.UrlFetchApp).fetchAll(
          ['a', 'b', 'c'].map((path) => ({
            url: `https://api.linkedin.com/rest/${path}`,
            muteHttpExceptions: true,
          })),
        ),
      );
    const before = calls(ANN);
    expect(() => fetchThree(ANN)).toThrow('Service invoked too many times for one day: urlfetch.');
    expect(calls(ANN)).toBe(before);
    // Another user's quota is their own.
    expect(fetchThree('bob@example.com')).toHaveLength(3);
    offline.clock.advance(DAY);
    expect(fetchThree(ANN)).toHaveLength(3);
  });
});
