import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimClock } from '../../sandbox/apps-script/clock';
import { computeAnalytics, dayOf } from '../../sandbox/linkedin/ads-analytics';
import { SimData } from '../../sandbox/linkedin/data';
import { dayNumber } from '../../src/server/dates';
import { DEFAULT_APP, LinkedInSimulator } from '../../sandbox/linkedin/simulator';
import { parseRestliValue } from '../../sandbox/linkedin/restli-query';
import { totalFollowers } from '../../sandbox/linkedin/pages-data';

const REDIRECT = 'https://script.google.com/macros/d/abc/usercallback';
const VERSION = '202603';

function newSimulator(options: Partial<ConstructorParameters<typeof LinkedInSimulator>[0]> = {}) {
  const clock = new SimClock();
  const linkedin = new LinkedInSimulator({
    clock,
    apps: [{ ...DEFAULT_APP, redirectUris: [REDIRECT] }],
    ...options,
  });
  return { clock, linkedin };
}

function get(
  linkedin: LinkedInSimulator,
  pathAndQuery: string,
  token: string | null,
  headers: Record<string, string> = {},
) {
  const response = linkedin.handle({
    url: `https://api.linkedin.com${pathAndQuery}`,
    method: 'GET',
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      'LinkedIn-Version': VERSION,
      'X-Restli-Protocol-Version': '2.0.0',
      ...headers,
    },
    body: '',
  });
  return {
    status: response.status,
    body: response.body ? JSON.parse(response.body) : null,
    headers: response.headers,
  };
}

/** A GET tunneled as LinkedIn's query-tunneling page lists it: POST, the override, the query as a form body. */
function tunneled(
  linkedin: LinkedInSimulator,
  path: string,
  query: string,
  token: string,
  contentType: string | null = 'application/x-www-form-urlencoded',
) {
  const response = linkedin.handle({
    url: `https://api.linkedin.com${path}`,
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'LinkedIn-Version': VERSION,
      'X-Restli-Protocol-Version': '2.0.0',
      'X-HTTP-Method-Override': 'GET',
      ...(contentType ? { 'Content-Type': contentType } : {}),
    },
    body: query,
  });
  return { status: response.status, body: response.body ? JSON.parse(response.body) : null };
}

function tokenEndpoint(linkedin: LinkedInSimulator, form: Record<string, string>) {
  const response = linkedin.handle({
    url: 'https://www.linkedin.com/oauth/v2/accessToken',
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: JSON.parse(response.body) };
}

const ADS = ['r_ads', 'r_ads_reporting'];
const ACCOUNT = 'urn%3Ali%3AsponsoredAccount%3A500000001';
const RANGE = 'dateRange=(start:(year:2026,month:1,day:1),end:(year:2026,month:1,day:31))';
const ALL_STATUSES =
  '(status:(values:List(ACTIVE,PAUSED,ARCHIVED,COMPLETED,CANCELED,DRAFT,PENDING_DELETION,REMOVED)))';

describe('Rest.li 2.0 reading', () => {
  it('reads nested objects, lists and encoded reserved characters', () => {
    expect(parseRestliValue("(start:(year:2025,month:1),tags:List(a%2Cb,%27q%27,''),empty:List())")).toEqual({
      start: { year: '2025', month: '1' },
      tags: ['a,b', "'q'", ''],
      empty: [],
    });
  });

  it('refuses unencoded reserved characters and unbalanced brackets', () => {
    expect(() => parseRestliValue('List(urn:li:sponsoredAccount:1)')).toThrow('Invalid Rest.li value');
    expect(() => parseRestliValue('(a:1')).toThrow('expected ")"');
    expect(() => parseRestliValue('hello world')).toThrow('Invalid Rest.li value');
  });
});

describe('request rules', () => {
  it('demands a version header and an active version', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const missing = linkedin.handle({
      url: 'https://api.linkedin.com/rest/adAccountUsers?q=authenticatedUser',
      method: 'GET',
      headers: { Authorization: `Bearer ${token}`, 'X-Restli-Protocol-Version': '2.0.0' },
      body: '',
    });
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).code).toBe('VERSION_MISSING');
    const withVersion = (version: string) =>
      get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token, { 'LinkedIn-Version': version });
    // LinkedIn's own 426 body, as n8n, Pipedream and Composio users reported it: no serviceErrorCode.
    expect(withVersion('202511')).toEqual({
      status: 426,
      headers: { 'Content-Type': 'application/json' },
      body: { status: 426, code: 'NONEXISTENT_VERSION', message: 'Requested version 20251101 is not active' },
    });
    // LinkedIn skipped December 2025, and 202610 is on no LinkedIn page: both refused.
    expect(withVersion('202512').status).toBe(426);
    expect(withVersion('202610').status).toBe(426);
    expect(withVersion('202601').status).toBe(200);
    expect(withVersion('202609').status).toBe(200);
  });

  it('serves exactly its list of live versions, which a test can shorten', () => {
    const { linkedin } = newSimulator({ liveVersions: ['202601'] });
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    expect(get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token).status).toBe(426);
    expect(
      get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token, { 'LinkedIn-Version': '202601' })
        .status,
    ).toBe(200);
  });

  it('demands the Rest.li 2.0 protocol header', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    expect(
      get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token, {
        'X-Restli-Protocol-Version': '1.0.0',
      }).status,
    ).toBe(400);
  });

  it('answers malformed Rest.li with 400 ILLEGAL_ARGUMENT and accepts the encoded form', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const base = `/rest/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&${RANGE}`;
    const bad = get(linkedin, `${base}&accounts=List(urn:li:sponsoredAccount:500000001)`, token);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('ILLEGAL_ARGUMENT');
    expect(get(linkedin, `${base}&accounts=List(${ACCOUNT})`, token).status).toBe(200);
  });

  it('refuses more than 20 analytics fields and unknown fields', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const base = `/rest/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&${RANGE}&accounts=List(${ACCOUNT})`;
    const metrics = [
      'impressions',
      'clicks',
      'likes',
      'comments',
      'shares',
      'follows',
      'opens',
      'sends',
      'videoViews',
      'videoStarts',
      'videoCompletions',
      'oneClickLeads',
      'qualifiedLeads',
      'landingPageClicks',
      'companyPageClicks',
      'actionClicks',
      'adUnitClicks',
      'costInUsd',
    ];
    const twenty = ['dateRange', 'pivotValues', ...metrics];
    expect(get(linkedin, `${base}&fields=${twenty.join(',')}`, token).status).toBe(200);
    const tooMany = get(linkedin, `${base}&fields=${[...twenty, 'reactions'].join(',')}`, token);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toContain('at most 20');
    expect(get(linkedin, `${base}&fields=dateRange,impresions`, token).body.message).toBe(
      'Unknown field "impresions" in fields',
    );
  });

  it('refuses expired tokens and tokens without the scope', () => {
    const { linkedin, clock } = newSimulator();
    const ads = linkedin.issueTokens('sim1Person', ADS).access_token;
    expect(get(linkedin, '/rest/organizationAcls?q=roleAssignee', ads)).toMatchObject({
      status: 403,
      body: { code: 'ACCESS_DENIED' },
    });
    clock.advance(61 * 86_400_000);
    expect(get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', ads)).toMatchObject({
      status: 401,
      body: { code: 'EXPIRED_ACCESS_TOKEN' },
    });
  });

  it('refuses accounts the member has no role on', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    expect(get(linkedin, '/rest/adAccounts/500000004', token).status).toBe(403);
    expect(get(linkedin, '/rest/adAccounts/500000001', token).body.name).toBe('Analyst Co. Ads 1');
  });
});

describe('request sizes and query tunneling', () => {
  /** `ids=List(…)` naming `count` pages, from the member's own: about 9 bytes a page. */
  const idsQuery = (count: number) =>
    `ids=List(${Array.from({ length: count }, (_, index) => 10_000_001 + (index % 2)).join(',')})`;

  it('answers 414 to a GET past a size LinkedIn lists, counting a KB as 1,000 bytes, and reads the same query tunneled', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    // A 4 KB query string, read strictly: 4,000 bytes pass, 4,001 do not.
    const query = (bytes: number) =>
      `ids=List(10000001)&pad=${'x'.repeat(bytes - 'ids=List(10000001)&pad='.length)}`;
    expect(get(linkedin, `/rest/organizations?${query(4000)}`, token).status).toBe(400); // read, then refused: pad is unknown
    expect(get(linkedin, `/rest/organizations?${query(4001)}`, token).status).toBe(414);
    const long = idsQuery(450);
    expect(long.length).toBeGreaterThan(4000);
    expect(get(linkedin, `/rest/organizations?${long}`, token).status).toBe(414);
    const answer = tunneled(linkedin, '/rest/organizations', long, token);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.results)).toEqual(['10000001', '10000002']);
    // The 8 KB raw URL (segments and query each under 4 KB), a 4 KB path segment, 28 KB with the headers.
    const segment = 'x'.repeat(3000);
    expect(
      get(linkedin, `/rest/organizations/${segment}/${segment}?${'a=1&'.repeat(500)}`, token).status,
    ).toBe(414);
    expect(get(linkedin, `/rest/organizations/${'x'.repeat(4001)}`, token).status).toBe(414);
    expect(get(linkedin, `/rest/organizations/${'x'.repeat(4000)}`, token).status).toBe(404);
    expect(
      get(linkedin, '/rest/organizations/10000001', token, { 'X-Padding': 'x'.repeat(28_000) }).status,
    ).toBe(414);
  });

  it('reads a tunneled query only with the Content-Type LinkedIn’s page lists', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    const query = idsQuery(2);
    expect(tunneled(linkedin, '/rest/organizations', query, token).status).toBe(200);
    expect(
      tunneled(
        linkedin,
        '/rest/organizations',
        query,
        token,
        'application/x-www-form-urlencoded; charset=UTF-8',
      ).status,
    ).toBe(200);
    expect(tunneled(linkedin, '/rest/organizations', query, token, null).status).toBe(400);
    expect(tunneled(linkedin, '/rest/organizations', query, token, 'application/json').status).toBe(400);
  });
});

describe('throttles and faults', () => {
  it("answers 429 past the member's or the app's daily limit, naming it as practitioners record it, and resets at midnight UTC", () => {
    const { linkedin, clock } = newSimulator({ limits: { memberDaily: 2 } });
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    expect(get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token).status).toBe(200);
    expect(get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token).status).toBe(200);
    const third = get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token);
    expect(third.status).toBe(429);
    expect(third.body.message).toBe(
      'Resource level throttle APPLICATION_AND_MEMBER DAY limit for calls to this resource is reached.',
    );
    expect(get(linkedin, '/rest/adAccounts/500000001', token).status).toBe(200);
    clock.advance(86_400_000);
    expect(get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token).status).toBe(200);
    linkedin.limits.appDaily = 1;
    expect(get(linkedin, '/rest/adAccounts/500000001', token).body).toEqual({
      status: 429,
      serviceErrorCode: 101,
      code: 'TOO_MANY_REQUESTS',
      message: 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
    });
  });

  it('words every 429 as LinkedIn’s error-handling page does: a short throttle, and daily limits when a test takes that reading', () => {
    const documented = 'Resource level throttle limit for calls to this resource is reached.';
    const { linkedin } = newSimulator({ limits: { memberDaily: 1 }, dailyLimitWording: 'documented' });
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    linkedin.queueFault('429', /adAccountUsers/);
    expect(get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token).body.message).toBe(documented);
    expect(get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token).status).toBe(200);
    const spent = get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token);
    expect([spent.status, spent.body.message]).toEqual([429, documented]);
  });

  it('keeps tokens, codes and daily counts across a restart (saveState, loadState)', () => {
    const { linkedin, clock } = newSimulator({ limits: { memberDaily: 2 } });
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const redirect = new URL(
      linkedin.consent(
        `https://www.linkedin.com/oauth/v2/authorization?response_type=code&client_id=${DEFAULT_APP.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s&scope=r_ads`,
        'sim1Person',
      ),
    );
    expect(get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token).status).toBe(200);
    const restarted = new LinkedInSimulator({
      clock,
      apps: [{ ...DEFAULT_APP, redirectUris: [REDIRECT] }],
      limits: { memberDaily: 2 },
    });
    restarted.loadState(JSON.parse(JSON.stringify(linkedin.saveState())));
    expect(get(restarted, '/rest/adAccountUsers?q=authenticatedUser', token).status).toBe(200);
    expect(get(restarted, '/rest/adAccountUsers?q=authenticatedUser', token).status).toBe(429);
    const exchanged = tokenEndpoint(restarted, {
      grant_type: 'authorization_code',
      code: redirect.searchParams.get('code')!,
      redirect_uri: REDIRECT,
      client_id: DEFAULT_APP.clientId,
      client_secret: DEFAULT_APP.clientSecret,
    });
    expect([exchanged.status, exchanged.body.scope]).toEqual([200, 'r_ads']);
  });

  it('injects queued faults and seeded random ones', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    linkedin.queueFault('429', /adAccountUsers/, 3);
    const throttled = get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token);
    expect([throttled.status, throttled.headers['Retry-After']]).toEqual([429, '3']);
    linkedin.queueFault('truncated');
    const response = linkedin.handle({
      url: 'https://api.linkedin.com/rest/adAccountUsers?q=authenticatedUser',
      method: 'GET',
      headers: {
        Authorization: `Bearer ${token}`,
        'LinkedIn-Version': VERSION,
        'X-Restli-Protocol-Version': '2.0.0',
      },
      body: '',
    });
    expect(() => JSON.parse(response.body)).toThrow();
    linkedin.faultRates = { '503': 0.5 };
    const statuses = Array.from(
      { length: 40 },
      () => get(linkedin, '/rest/adAccountUsers?q=authenticatedUser', token).status,
    );
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(8);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(8);
  });
});

describe('paging', () => {
  it('pages campaigns with pageToken until no nextPageToken is left', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const seen: number[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = get(
        linkedin,
        `/rest/adAccounts/500000001/adCampaigns?q=search&search=${ALL_STATUSES}&pageSize=4${pageToken ? `&pageToken=${pageToken}` : ''}`,
        token,
      );
      seen.push(...page.body.elements.map((campaign: { id: number }) => campaign.id));
      pageToken = page.body.metadata.nextPageToken;
      pages++;
    } while (pageToken);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });

  it('leaves old campaigns out of a search without a status filter, and refuses pages over 1,000', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const path = '/rest/adAccounts/500000001/adCampaigns?q=search';
    const statuses = (query: string) =>
      get(linkedin, `${path}${query}`, token).body.elements.map(
        (campaign: { status: string }) => campaign.status,
      );
    const all = statuses(`&search=${ALL_STATUSES}`);
    expect(all).toContain('COMPLETED');
    expect(statuses('')).toEqual(all.filter((status: string) => status !== 'COMPLETED'));
    expect(get(linkedin, `${path}&search=(status:(values:List(OLD)))`, token).status).toBe(400);
    // Campaign groups document no COMPLETED status: a search naming it is refused.
    const groups = '/rest/adAccounts/500000001/adCampaignGroups?q=search&search=(status:(values:List';
    expect(get(linkedin, `${groups}(ACTIVE,COMPLETED)))`, token).status).toBe(400);
    expect(get(linkedin, `${groups}(ACTIVE,ARCHIVED,PENDING_DELETION)))`, token).status).toBe(200);
    expect(get(linkedin, `${path}&pageSize=1001`, token).status).toBe(400);
    expect(get(linkedin, `/rest/adAccounts/500000001/creatives?q=criteria&pageSize=101`, token).status).toBe(
      400,
    );
  });

  it('pages posts with start and count', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['r_organization_social']).access_token;
    const first = get(
      linkedin,
      '/rest/posts?q=author&author=urn%3Ali%3Aorganization%3A10000001&start=0&count=25',
      token,
    );
    const second = get(
      linkedin,
      '/rest/posts?q=author&author=urn%3Ali%3Aorganization%3A10000001&start=25&count=25',
      token,
    );
    expect([first.body.elements.length, second.body.elements.length, first.body.paging.total]).toEqual([
      25, 5, 30,
    ]);
    expect(
      get(linkedin, '/rest/posts?q=author&author=urn%3Ali%3Aorganization%3A10000001&count=101', token).status,
    ).toBe(400);
  });

  it('finds an account’s conversion rules by its URN, by start and count, saying total -1 as LinkedIn’s example does', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['r_ads']).access_token;
    const page = (query: string) => get(linkedin, `/rest/conversions?q=account${query}`, token);
    const first = page(`&account=${ACCOUNT}&start=0&count=2`);
    const second = page(`&account=${ACCOUNT}&start=2&count=2`);
    expect(first.body.paging).toEqual({ start: 0, count: 2, total: -1, links: [] });
    expect([...first.body.elements, ...second.body.elements].map((rule: { id: number }) => rule.id)).toEqual([
      900000010, 900000011, 900000012,
    ]);
    expect(first.body.elements[0]).toMatchObject({
      name: 'Quote form sent',
      account: 'urn:li:sponsoredAccount:500000001',
      type: 'REQUEST_QUOTE',
      enabled: true,
      conversionMethod: 'INSIGHT_TAG_URL_MATCH_RULES',
    });
    // The account by URN only; one the member has no role on is refused.
    expect(page('&account=500000001').status).toBe(400);
    expect(page('').status).toBe(400);
    expect(page('&account=urn%3Ali%3AsponsoredAccount%3A500000009').status).toBe(404);
    expect(
      get(
        linkedin,
        `/rest/conversions?q=account&account=${ACCOUNT}`,
        linkedin.issueTokens('sim1Person', ['r_ads_reporting']).access_token,
      ).status,
    ).toBe(403);
  });
});

describe('adAnalytics', () => {
  it('never gives a row more leads than lead forms opened, or fewer engagements than clicks', () => {
    const data = new SimData(2026);
    const counts = ['clicks', 'totalEngagements', 'oneClickLeads', 'oneClickLeadFormOpens'];
    const viral = counts.map((metric) => `viral${metric[0].toUpperCase()}${metric.slice(1)}`);
    let rows = 0;
    for (const creativeId of data.creativesOfAccount(500_000_001).map((creative) => creative.id))
      for (let day = dayNumber('2026-01-01'); day < dayNumber('2026-04-01'); day++) {
        const row = data.creativeDay(creativeId, day, [...counts, ...viral]);
        if (!row) continue;
        rows++;
        for (const [clicks, engagements, leads, opens] of [counts, viral]) {
          expect(row[engagements]).toBeGreaterThanOrEqual(row[clicks]);
          expect(row[leads]).toBeLessThanOrEqual(row[opens]);
        }
      }
    expect(rows).toBeGreaterThan(100);
  });

  it('answers analytics of an account the member may not read with no elements, as LinkedIn documents', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const query = (accounts: string) =>
      `/rest/adAnalytics?q=analytics&pivot=ACCOUNT&timeGranularity=ALL&dateRange=(start:(year:2025,month:1,day:1))&accounts=List(${accounts})&fields=pivotValues,impressions`;
    const readable = get(linkedin, query('urn%3Ali%3AsponsoredAccount%3A500000001'), token);
    const unreadable = get(linkedin, query('urn%3Ali%3AsponsoredAccount%3A500000004'), token);
    const both = get(
      linkedin,
      query('urn%3Ali%3AsponsoredAccount%3A500000001,urn%3Ali%3AsponsoredAccount%3A500000004'),
      token,
    );
    expect(readable.body.elements.map((element: { pivotValues: string[] }) => element.pivotValues)).toEqual([
      ['urn:li:sponsoredAccount:500000001'],
    ]);
    expect([unreadable.status, unreadable.body.elements]).toEqual([200, []]);
    expect(both.body.elements).toEqual(readable.body.elements);
  });

  it('cuts a response off at 15,000 elements without saying so', () => {
    const { linkedin } = newSimulator({
      size: { campaignGroupsPerAccount: 4, campaignsPerGroup: 5, creativesPerCampaign: 4 },
    });
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const query = `/rest/adAnalytics?q=analytics&pivot=CREATIVE&timeGranularity=DAILY&dateRange=(start:(year:2025,month:1,day:1),end:(year:2025,month:12,day:31))&accounts=List(${ACCOUNT})&fields=dateRange,pivotValues,impressions`;
    const truth = computeAnalytics(linkedin.data, {
      pivots: ['CREATIVE'],
      granularity: 'DAILY',
      startDay: dayOf({ year: 2025, month: 1, day: 1 }),
      endDay: dayOf({ year: 2025, month: 12, day: 31 }),
      facets: { accounts: [500000001] },
      fields: ['dateRange', 'pivotValues', 'impressions'],
    });
    expect(truth.length).toBeGreaterThan(15_000);
    const response = get(linkedin, query, token);
    expect(response.status).toBe(200);
    expect(response.body.elements).toHaveLength(15_000);
  });

  it('refuses demographic pivots in the statistics finder unless a test takes the other reading', () => {
    const ask = (statisticsTakesDemographics: boolean, pivots: string) => {
      const { linkedin } = newSimulator({ statisticsTakesDemographics });
      const token = linkedin.issueTokens('sim1Person', ADS).access_token;
      return get(
        linkedin,
        `/rest/adAnalytics?q=statistics&pivots=List(${pivots})&timeGranularity=ALL&${RANGE}&accounts=List(${ACCOUNT})&fields=pivotValues,impressions`,
        token,
      );
    };
    expect(ask(false, 'ACCOUNT,MEMBER_SENIORITY').body).toMatchObject({
      status: 400,
      message: 'Invalid pivot "MEMBER_SENIORITY" for the statistics finder',
    });
    expect(ask(true, 'ACCOUNT,MEMBER_SENIORITY').status).toBe(200);
    expect(ask(false, 'ACCOUNT,SERVING_LOCATION').status).toBe(200);
  });

  it('sums daily numbers into monthly rows and gives money as strings', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const base = `/rest/adAnalytics?q=analytics&pivot=ACCOUNT&${RANGE}&accounts=List(${ACCOUNT})&fields=dateRange,impressions,costInLocalCurrency`;
    const daily = get(linkedin, `${base}&timeGranularity=DAILY`, token).body.elements;
    const monthly = get(linkedin, `${base}&timeGranularity=MONTHLY`, token).body.elements;
    expect(monthly).toHaveLength(1);
    expect(monthly[0].impressions).toBe(
      daily.reduce((sum: number, row: { impressions: number }) => sum + row.impressions, 0),
    );
    expect(typeof monthly[0].costInLocalCurrency).toBe('string');
    expect(monthly[0].dateRange).toEqual({
      start: { year: 2026, month: 1, day: 1 },
      end: { year: 2026, month: 1, day: 31 },
    });
  });

  it('refuses non-demographic-only metrics with demographic pivots, and reach or conversions by device', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const ask = (pivot: string, field: string) =>
      get(
        linkedin,
        `/rest/adAnalytics?q=analytics&pivot=${pivot}&timeGranularity=ALL&${RANGE}&accounts=List(${ACCOUNT})&fields=${field}`,
        token,
      );
    for (const field of [
      'approximateMemberReach',
      'cardClicks',
      'cardImpressions',
      'conversionValueInLocalCurrency',
      'viralCardClicks',
      'viralCardImpressions',
    ]) {
      expect(ask('MEMBER_SENIORITY', field).body).toMatchObject({
        status: 400,
        message: `${field} is available for non-demographic pivots only`,
      });
      expect(ask('CAMPAIGN', field).status).toBe(200);
    }
    for (const field of ['approximateMemberReach', 'audiencePenetration', 'externalWebsiteConversions'])
      expect(ask('IMPRESSION_DEVICE_TYPE', field).status).toBe(400);
    expect(ask('IMPRESSION_DEVICE_TYPE', 'impressions').status).toBe(200);
    expect(ask('MEMBER_SENIORITY', 'externalWebsiteConversions').status).toBe(200);
  });

  it('gives audience penetration by account, campaign group and campaign only', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const ask = (pivot: string) =>
      get(
        linkedin,
        `/rest/adAnalytics?q=analytics&pivot=${pivot}&timeGranularity=ALL&${RANGE}&accounts=List(${ACCOUNT})&fields=audiencePenetration`,
        token,
      );
    for (const pivot of ['ACCOUNT', 'CAMPAIGN_GROUP', 'CAMPAIGN']) expect(ask(pivot).status).toBe(200);
    expect(ask('CREATIVE').body).toMatchObject({
      status: 400,
      message: 'audiencePenetration is available for the ACCOUNT, CAMPAIGN_GROUP, CAMPAIGN pivots only',
    });
    expect(ask('SHARE').status).toBe(400);
  });

  it('accepts the (value:X) form of LinkedIn’s Postman collection and gives company sizes as plain strings', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const base = `/rest/adAnalytics?q=analytics&${RANGE}&accounts=List(${ACCOUNT})&fields=pivotValues,impressions`;
    const wrapped = get(
      linkedin,
      `${base}&pivot=(value:MEMBER_COMPANY_SIZE)&timeGranularity=(value:ALL)`,
      token,
    );
    const bare = get(linkedin, `${base}&pivot=MEMBER_COMPANY_SIZE&timeGranularity=ALL`, token);
    expect(wrapped.status).toBe(200);
    expect(wrapped.body).toEqual(bare.body);
    const sizes = wrapped.body.elements.map((element: { pivotValues: string[] }) => element.pivotValues[0]);
    expect(sizes).toContain('SIZE_11_TO_50');
    expect(sizes.every((size: string) => /^SIZE_\d+(_TO_\d+|_OR_MORE)?$/.test(size))).toBe(true);
    expect(get(linkedin, `${base}&pivot=(name:CAMPAIGN)&timeGranularity=ALL`, token).status).toBe(400);
  });

  it('gives each breakdown the values real answers hold: facet URNs, and device types as plain strings', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const valuesBy = (pivot: string): string[] =>
      get(
        linkedin,
        `/rest/adAnalytics?q=analytics&pivot=${pivot}&timeGranularity=ALL&${RANGE}&accounts=List(${ACCOUNT})&fields=pivotValues,impressions`,
        token,
      ).body.elements.map((element: { pivotValues: string[] }) => element.pivotValues[0]);
    // Shapes of values recorded from real answers (see docs/linkedin-api.md, "Sources").
    const shapes: Record<string, RegExp> = {
      IMPRESSION_DEVICE_TYPE: /^[A-Z]+(_[A-Z]+)*$/,
      MEMBER_INDUSTRY: /^urn:li:industry:\d+$/,
      MEMBER_SENIORITY: /^urn:li:seniority:([1-9]|10)$/,
      MEMBER_JOB_TITLE: /^urn:li:title:\d+$/,
      MEMBER_JOB_FUNCTION: /^urn:li:function:\d+$/,
      MEMBER_COUNTRY_V2: /^urn:li:geo:\d+$/,
      MEMBER_REGION_V2: /^urn:li:geo:\d+$/,
      MEMBER_COMPANY: /^urn:li:organization:\d+$/,
    };
    for (const [pivot, shape] of Object.entries(shapes)) {
      const values = valuesBy(pivot);
      expect({ pivot, some: values.length > 0 }).toEqual({ pivot, some: true });
      expect({ pivot, unlike: values.filter((value) => !shape.test(value)) }).toEqual({ pivot, unlike: [] });
    }
    expect(valuesBy('IMPRESSION_DEVICE_TYPE')).toEqual(expect.arrayContaining(['MOBILE_WEB', 'UNDETECTED']));
  });
});

describe('OAuth', () => {
  const authorizationUrl = (scope: string, redirect = REDIRECT) =>
    `https://www.linkedin.com/oauth/v2/authorization?response_type=code&client_id=sim-client-id&redirect_uri=${encodeURIComponent(redirect)}&state=s1&scope=${encodeURIComponent(scope)}`;

  it("exchanges a code once, within 30 minutes, for tokens with LinkedIn's lifetimes", () => {
    const { linkedin, clock } = newSimulator();
    const redirect = new URL(linkedin.consent(authorizationUrl('r_ads r_ads_reporting'), 'sim1Person'));
    expect(redirect.searchParams.get('state')).toBe('s1');
    const code = redirect.searchParams.get('code')!;
    const form = {
      grant_type: 'authorization_code',
      code,
      client_id: 'sim-client-id',
      client_secret: 'sim-client-secret',
      redirect_uri: REDIRECT,
    };
    const granted = tokenEndpoint(linkedin, form);
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({
      expires_in: 5183999,
      refresh_token_expires_in: 31535999,
      scope: 'r_ads,r_ads_reporting',
    });
    expect(tokenEndpoint(linkedin, form).body.error).toBe('invalid_grant');
    const late = new URL(linkedin.consent(authorizationUrl('r_ads'), 'sim1Person')).searchParams.get('code')!;
    clock.advance(31 * 60_000);
    expect(tokenEndpoint(linkedin, { ...form, code: late }).body.error).toBe('invalid_grant');
  });

  it('keeps the same refresh token on refresh, with its remaining lifetime', () => {
    const { linkedin, clock } = newSimulator();
    const first = linkedin.issueTokens('sim1Person', ADS);
    clock.advance(10 * 86_400_000);
    const refreshed = tokenEndpoint(linkedin, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
      client_id: 'sim-client-id',
      client_secret: 'sim-client-secret',
    });
    expect(refreshed.body.refresh_token).toBe(first.refresh_token);
    expect(refreshed.body.refresh_token_expires_in).toBe(31535999 - 10 * 86_400 + 1 - 1);
    expect(refreshed.body.access_token).not.toBe(first.access_token);
    clock.advance(356 * 86_400_000);
    expect(
      tokenEndpoint(linkedin, {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token!,
        client_id: 'sim-client-id',
        client_secret: 'sim-client-secret',
      }).body.error,
    ).toBe('invalid_grant');
  });

  it('refuses a wrong redirect URI, a wrong secret, and says when the app has no approved product', () => {
    const { linkedin } = newSimulator({ apps: [{ ...DEFAULT_APP, redirectUris: [REDIRECT], products: [] }] });
    expect(() => linkedin.consent(authorizationUrl('r_ads', 'https://example.com/cb'), 'sim1Person')).toThrow(
      'redirect_uri does not match',
    );
    const refused = new URL(linkedin.consent(authorizationUrl('r_ads'), 'sim1Person'));
    expect(refused.searchParams.get('error')).toBe('unauthorized_scope_error');
    expect(refused.searchParams.get('error_description')).toBe(
      "There aren't any scopes available for this app",
    );
    expect(
      tokenEndpoint(linkedin, {
        grant_type: 'refresh_token',
        refresh_token: 'x',
        client_id: 'sim-client-id',
        client_secret: 'wrong',
      }),
    ).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('gives no refresh token to apps without programmatic refresh, and reports a cancel', () => {
    const { linkedin } = newSimulator({
      apps: [{ ...DEFAULT_APP, redirectUris: [REDIRECT], programmaticRefresh: false }],
    });
    expect(linkedin.issueTokens('sim1Person', ADS).refresh_token).toBeUndefined();
    const cancelled = new URL(linkedin.consent(authorizationUrl('r_ads'), 'sim1Person', 'cancel'));
    expect(cancelled.searchParams.get('error')).toBe('user_cancelled_authorize');
  });

  it('authenticates the client before reading the grant, so an app can be checked without a user', () => {
    const { linkedin } = newSimulator();
    const exchange = (clientId: string, clientSecret: string) => {
      const response = linkedin.handle({
        url: 'https://www.linkedin.com/oauth/v2/accessToken',
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: 'never-issued',
          redirect_uri: 'https://example.com/callback',
          client_id: clientId,
          client_secret: clientSecret,
        }).toString(),
      });
      return [response.status, JSON.parse(response.body).error];
    };
    expect(exchange('sim-client-id', 'sim-client-secret')).toEqual([400, 'invalid_grant']);
    expect(exchange('sim-client-id', 'wrong')).toEqual([401, 'invalid_client']);
    expect(exchange('no-such-app', 'sim-client-secret')).toEqual([401, 'invalid_client']);
  });

  it('introspects tokens', () => {
    const { linkedin, clock } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const ask = (fields: Record<string, string>) =>
      linkedin.handle({
        url: 'https://www.linkedin.com/oauth/v2/introspectToken',
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: 'sim-client-id',
          client_secret: 'sim-client-secret',
          token,
          ...fields,
        }).toString(),
      });
    const introspect = () => JSON.parse(ask({}).body);
    // LinkedIn's documented codes: an unknown client ID and an unknown token alike are 400.
    expect(ask({ client_id: 'no-such-app' }).status).toBe(400);
    expect(ask({ token: 'AQV-never-issued' }).status).toBe(400);
    expect(ask({ client_secret: 'wrong' }).status).toBe(401);
    expect(introspect()).toMatchObject({
      active: true,
      status: 'active',
      scope: 'r_ads,r_ads_reporting',
      auth_type: '3L',
    });
    clock.advance(61 * 86_400_000);
    expect(introspect()).toMatchObject({ active: false, status: 'expired' });
  });
});

describe('Pages', () => {
  it('serves only the last 12 months of time-bound statistics', () => {
    const { linkedin, clock } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    const day = 86_400_000;
    const today = Math.floor(clock.now() / day) * day;
    const interval = (start: number) =>
      `timeIntervals=(timeRange:(start:${start},end:${today}),timeGranularityType:DAY)`;
    const path =
      '/rest/organizationalEntityFollowerStatistics?q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A10000001';
    const recent = get(linkedin, `${path}&${interval(today - 30 * day)}`, token);
    expect(recent.body.elements).toHaveLength(30);
    expect(get(linkedin, `${path}&${interval(today - 400 * day)}`, token).status).toBe(400);
  });

  it('gives weeks for follower statistics only: page and share statistics document DAY and MONTH', () => {
    const { linkedin, clock } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    const day = 86_400_000;
    const today = Math.floor(clock.now() / day) * day;
    const weekly = `timeIntervals=(timeRange:(start:${today - 28 * day},end:${today}),timeGranularityType:WEEK)`;
    const page = 'urn%3Ali%3Aorganization%3A10000001';
    const followers = get(
      linkedin,
      `/rest/organizationalEntityFollowerStatistics?q=organizationalEntity&organizationalEntity=${page}&${weekly}`,
      token,
    );
    expect(followers.body.elements).toHaveLength(4);
    expect(
      get(linkedin, `/rest/organizationPageStatistics?q=organization&organization=${page}&${weekly}`, token)
        .status,
    ).toBe(400);
    expect(
      get(
        linkedin,
        `/rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=${page}&${weekly}`,
        token,
      ).status,
    ).toBe(400);
  });

  it('answers lifetime page statistics by industry as pageStatisticsByIndustryV2 keyed industryV2', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    const [element] = get(
      linkedin,
      '/rest/organizationPageStatistics?q=organization&organization=urn%3Ali%3Aorganization%3A10000001',
      token,
    ).body.elements;
    expect(element.pageStatisticsByIndustry).toBeUndefined();
    expect(element.pageStatisticsByIndustryV2[0]).toEqual({
      industryV2: 'urn:li:industry:1',
      pageStatistics: { views: { allPageViews: { pageViews: expect.any(Number) } } },
    });
  });
});

describe('Network Sizes (versioned, /rest/networkSizes/{urn})', () => {
  const PAGE = 'urn%3Ali%3Aorganization%3A10000001';
  const count = (
    linkedin: LinkedInSimulator,
    key: string,
    token: string,
    query = 'edgeType=COMPANY_FOLLOWED_BY_MEMBER',
  ) => get(linkedin, `/rest/networkSizes/${key}?${query}`, token);

  it('answers a page’s total followers as firstDegreeSize: its two association entries of the same day', () => {
    const { linkedin, clock } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    const answer = count(linkedin, PAGE, token);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(['firstDegreeSize']);
    const lifetime = get(
      linkedin,
      `/rest/organizationalEntityFollowerStatistics?q=organizationalEntity&organizationalEntity=${PAGE}`,
      token,
    ).body.elements[0].followerCountsByAssociationType as Array<{
      followerCounts: { organicFollowerCount: number };
    }>;
    expect(answer.body.firstDegreeSize).toBe(
      lifetime.reduce((sum, entry) => sum + entry.followerCounts.organicFollowerCount, 0),
    );
    expect(answer.body.firstDegreeSize).toBe(totalFollowers(linkedin.data, 10000001, clock.now()));
    // The count grows with the days, as the lifetime statistics do.
    clock.advance(30 * 86_400_000);
    expect(count(linkedin, PAGE, token).body.firstDegreeSize).toBeGreaterThan(answer.body.firstDegreeSize);
  });

  it('takes either spelling of the edge type LinkedIn’s pages give, and refuses any other or none', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    expect(count(linkedin, PAGE, token, 'edgeType=CompanyFollowedByMember').status).toBe(200);
    for (const query of ['edgeType=MEMBER_FOLLOWED_BY_COMPANY', 'edgeType=company_followed_by_member', ''])
      expect(count(linkedin, PAGE, token, query)).toMatchObject({
        status: 400,
        body: { code: 'PARAM_INVALID' },
      });
    expect(count(linkedin, PAGE, token, 'edgeType=COMPANY_FOLLOWED_BY_MEMBER&q=x').status).toBe(400);
  });

  it('wants the URN percent-encoded in the path, as Rest.li 2.0 does, and an organization', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    expect(count(linkedin, 'urn:li:organization:10000001', token)).toMatchObject({
      status: 400,
      body: { code: 'ILLEGAL_ARGUMENT' },
    });
    expect(count(linkedin, 'urn%3Ali%3Aperson%3AsimPerson', token).status).toBe(400);
    expect(count(linkedin, '10000001', token).status).toBe(400);
    expect(count(linkedin, `${PAGE}/more`, token).status).toBe(404);
  });

  it('refuses a page the member does not administer, a token without the Pages scope, and a call without a version', () => {
    const { linkedin } = newSimulator();
    const pages = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    // 10000003 is another member's page.
    expect(count(linkedin, 'urn%3Ali%3Aorganization%3A10000003', pages)).toMatchObject({
      status: 403,
      body: { code: 'ACCESS_DENIED' },
    });
    for (const scopes of [ADS, ['r_organization_social'], ['r_organization_admin']]) {
      const token = linkedin.issueTokens('sim1Person', scopes).access_token;
      expect(count(linkedin, PAGE, token)).toMatchObject({ status: 403, body: { code: 'ACCESS_DENIED' } });
    }
    expect(
      get(linkedin, `/rest/networkSizes/${PAGE}?edgeType=COMPANY_FOLLOWED_BY_MEMBER`, pages, {
        'LinkedIn-Version': '',
      }),
    ).toMatchObject({ status: 400, body: { code: 'VERSION_MISSING' } });
  });

  it('answers 404 for a page no longer on LinkedIn, here and in a batch get of names', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    linkedin.data.organizations.delete(10000002);
    expect(count(linkedin, 'urn%3Ali%3Aorganization%3A10000002', token)).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    const names = get(linkedin, '/rest/organizations?ids=List(10000001,10000002)', token);
    expect(names.status).toBe(200);
    expect(Object.keys(names.body.results)).toEqual(['10000001']);
    expect(names.body.statuses).toEqual({ 10000001: 200, 10000002: 404 });
  });
});

describe('Pages batch lookups', () => {
  const example = JSON.parse(
    readFileSync(
      join(
        __dirname,
        '..',
        'fixtures',
        'linkedin',
        'postman',
        'organization-brands-batch-with-error.linkedin-postman.json',
      ),
      'utf8',
    ),
  );

  it('answers every id in statuses and a refused one under errors too, as LinkedIn’s example does', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    // 10000003 is another member's page.
    const { body } = get(linkedin, '/rest/organizations?ids=List(10000001,10000003)', token);
    expect(Object.keys(body)).toEqual(Object.keys(example));
    expect(body.statuses).toEqual({ '10000001': 200, '10000003': 403 });
    expect(example.statuses).toEqual({ '35625943': 403, '89758488': 200 });
    expect(Object.keys(body.results)).toEqual(['10000001']);
    expect(body.errors).toEqual({
      '10000003': {
        message:
          "Viewer don't have permission to the ADMIN_ONLY VisibilityReduction for urn:li:organization:10000003",
        status: 403,
      },
    });
    expect(Object.keys(body.errors['10000003'])).toEqual(Object.keys(example.errors['35625943']));
  });

  it('refuses the lookup of a page a test chooses, leaving its statistics open', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    linkedin.refuseOrganizationLookup(10000002);
    const { body } = get(linkedin, '/rest/organizations?ids=List(10000001,10000002)', token);
    expect(body.statuses).toEqual({ '10000001': 200, '10000002': 403 });
    expect(get(linkedin, '/rest/organizations/10000002', token).status).toBe(403);
    expect(
      get(
        linkedin,
        '/rest/organizationPageStatistics?q=organization&organization=urn%3Ali%3Aorganization%3A10000002',
        token,
      ).status,
    ).toBe(200);
  });
});

/** A request to LinkedIn's unversioned API, as its standardized-data pages show them: the Rest.li 2.0 header, no LinkedIn-Version. */
function unversioned(
  linkedin: LinkedInSimulator,
  pathAndQuery: string,
  token: string | null,
  headers: Record<string, string> = {},
) {
  const response = linkedin.handle({
    url: `https://api.linkedin.com/v2/${pathAndQuery}`,
    method: 'GET',
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      'X-Restli-Protocol-Version': '2.0.0',
      ...headers,
    },
    body: '',
  });
  return { status: response.status, body: response.body ? JSON.parse(response.body) : null };
}

describe('Geo API (unversioned, /v2/geo)', () => {
  /** A request as LinkedIn's Geo page shows it: /v2, the Rest.li 2.0 header, no LinkedIn-Version. */
  const geo = (
    linkedin: LinkedInSimulator,
    query: string,
    token: string | null,
    headers: Record<string, string> = {},
  ) => unversioned(linkedin, `geo${query}`, token, headers);
  const LOCALE = 'locale=(language:en,country:US)';

  it('names the geo ids of the Pages data in LinkedIn’s batch shape, leaving unknown ids out, with no version header', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    const answer = geo(linkedin, `?ids=List(1,91,912,777)&${LOCALE}`, token);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(['statuses', 'results', 'errors']);
    expect(answer.body.results).toEqual({
      '1': {
        defaultLocalizedName: { locale: { country: 'US', language: 'en' }, value: 'United States' },
        id: 1,
      },
      '91': {
        defaultLocalizedName: { locale: { country: 'US', language: 'en' }, value: 'San Francisco Bay Area' },
        id: 91,
      },
      '912': {
        defaultLocalizedName: { locale: { country: 'US', language: 'en' }, value: 'Greater Seattle Area' },
        id: 912,
      },
    });
    // Every geo value the Pages statistics send has a name.
    const [element] = get(
      linkedin,
      '/rest/organizationalEntityFollowerStatistics?q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A10000001',
      token,
    ).body.elements;
    const ids = [...element.followerCountsByGeoCountry, ...element.followerCountsByGeo].map(
      (entry: { geo: string }) => entry.geo.replace('urn:li:geo:', ''),
    );
    expect(ids).toHaveLength(22);
    const named = geo(linkedin, `?ids=List(${ids.join(',')})`, token).body.results;
    expect(Object.keys(named).sort()).toEqual([...ids].sort());
    // The locale is optional; any token of the app may ask (LinkedIn names no permission).
    const ads = linkedin.issueTokens('sim1Person', ADS).access_token;
    expect(geo(linkedin, '?ids=List(2)', ads).body.results['2'].defaultLocalizedName.value).toBe('India');
    expect(geo(linkedin, '/2', ads).body).toEqual({
      defaultLocalizedName: { locale: { country: 'US', language: 'en' }, value: 'India' },
      id: 2,
    });
  });

  it('demands the Rest.li 2.0 header and a valid token', () => {
    const { linkedin, clock } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    expect(geo(linkedin, '?ids=List(1)', token, { 'X-Restli-Protocol-Version': '1.0.0' })).toMatchObject({
      status: 400,
      body: { code: 'ILLEGAL_ARGUMENT' },
    });
    expect(geo(linkedin, '?ids=List(1)', null).status).toBe(401);
    expect(geo(linkedin, '?ids=List(1)', 'not-a-token').status).toBe(401);
    clock.advance(61 * 86_400_000);
    expect(geo(linkedin, '?ids=List(1)', token)).toMatchObject({
      status: 401,
      body: { code: 'EXPIRED_ACCESS_TOKEN' },
    });
  });

  it('refuses malformed input as the other routes do', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    const refused = (query: string) => {
      const { status, body } = geo(linkedin, query, token);
      return [status, body.code];
    };
    // Rest.li 1.0 repeats the parameter; 2.0 sends List(...).
    expect(refused('?ids=1&ids=2')).toEqual([400, 'ILLEGAL_ARGUMENT']);
    expect(refused('?ids=1')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('?ids=List()')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('?ids=List(urn%3Ali%3Ageo%3A1)')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('?ids=List(1,2')).toEqual([400, 'ILLEGAL_ARGUMENT']);
    expect(refused('')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('?ids=List(1)&locale=en_US')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('?ids=List(1)&locale=(language:en)')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('?ids=List(1)&fields=id')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('/777')).toEqual([404, 'NOT_FOUND']);
    expect(get(linkedin, '/v2/organizations?ids=List(10000001)', token).status).toBe(404);
  });

  it('refuses the app the Geo API when a test says so', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    expect(geo(linkedin, '?ids=List(1)', token).status).toBe(200);
    linkedin.refuseLookup('geo');
    expect(geo(linkedin, '?ids=List(1)', token)).toMatchObject({
      status: 403,
      body: { code: 'ACCESS_DENIED' },
    });
  });
});

/** The values an Ads demographic pivot sends for the first account over January 2026. */
function pivotValuesOf(linkedin: LinkedInSimulator, pivot: string): string[] {
  const token = linkedin.issueTokens('sim1Person', ADS).access_token;
  const values = get(
    linkedin,
    `/rest/adAnalytics?q=analytics&pivot=${pivot}&timeGranularity=ALL&${RANGE}&accounts=List(${ACCOUNT})&fields=pivotValues,impressions`,
    token,
  ).body.elements.map((element: { pivotValues: string[] }) => element.pivotValues[0]);
  return [...new Set<string>(values)];
}

describe('Industry Taxonomy Versions (unversioned, /v2/industryTaxonomyVersions/{version}/industries)', () => {
  const INDUSTRIES = 'industryTaxonomyVersions/DEFAULT/industries';

  it('names every industry the Ads and Pages data send, in LinkedIn’s batch shape, leaving unknown ids out', () => {
    const { linkedin } = newSimulator();
    const pages = linkedin.issueTokens('sim1Person', ['rw_organization_admin']).access_token;
    const answer = unversioned(linkedin, `${INDUSTRIES}?ids=List(3,12,999999)`, pages);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(['statuses', 'results', 'errors']);
    expect(answer.body.results).toEqual({
      '3': {
        name: { localized: { en_US: 'Software Development' } },
        parentIndustries: [],
        childrenIndustries: [],
        id: 3,
        $URN: 'urn:li:industry:3',
      },
      '12': {
        name: { localized: { en_US: 'Medical Practices' } },
        parentIndustries: [],
        childrenIndustries: [],
        id: 12,
        $URN: 'urn:li:industry:12',
      },
    });
    // Every industry the follower and page-view breakdowns and the Ads pivot send has a name.
    const [followers] = get(
      linkedin,
      '/rest/organizationalEntityFollowerStatistics?q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A10000001',
      pages,
    ).body.elements;
    const [views] = get(
      linkedin,
      '/rest/organizationPageStatistics?q=organization&organization=urn%3Ali%3Aorganization%3A10000001',
      pages,
    ).body.elements;
    const sent = [
      ...followers.followerCountsByIndustry.map((entry: { industry: string }) => entry.industry),
      ...views.pageStatisticsByIndustryV2.map((entry: { industryV2: string }) => entry.industryV2),
      ...pivotValuesOf(linkedin, 'MEMBER_INDUSTRY'),
    ];
    const ids = [...new Set(sent.map((urn) => urn.replace('urn:li:industry:', '')))];
    expect(ids.length).toBeGreaterThanOrEqual(12);
    const named = unversioned(linkedin, `${INDUSTRIES}?ids=List(${ids.join(',')})`, pages).body.results;
    expect(Object.keys(named).sort()).toEqual([...ids].sort());
    // No permission is named: an Ads connection asks too, with or without the locale, one id or many.
    const ads = linkedin.issueTokens('sim1Person', ADS).access_token;
    const one = unversioned(linkedin, `${INDUSTRIES}/3?locale=(language:en,country:US)`, ads);
    expect(one).toMatchObject({
      status: 200,
      body: { id: 3, name: { localized: { en_US: 'Software Development' } } },
    });
    // Each documented version is served; another is not.
    for (const version of ['V1_0', 'V2_5', 'V2_6', 'V2_7'])
      expect(
        unversioned(linkedin, `industryTaxonomyVersions/${version}/industries?ids=List(3)`, ads).status,
      ).toBe(200);
    expect(unversioned(linkedin, 'industryTaxonomyVersions/V9_9/industries?ids=List(3)', ads).status).toBe(
      404,
    );
  });

  it('refuses malformed input, and the app altogether when a test says so', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const refused = (query: string) => {
      const { status, body } = unversioned(linkedin, `${INDUSTRIES}${query}`, token);
      return [status, body.code];
    };
    expect(refused('?ids=3&ids=4')).toEqual([400, 'ILLEGAL_ARGUMENT']);
    expect(refused('?ids=3')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('?ids=List()')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('?ids=List(urn%3Ali%3Aindustry%3A3)')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('?ids=List(3)&locale=en_US')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('?ids=List(3)&fields=name')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('/999999')).toEqual([404, 'NOT_FOUND']);
    expect(
      unversioned(linkedin, `${INDUSTRIES}?ids=List(3)`, token, { 'X-Restli-Protocol-Version': '1.0.0' })
        .status,
    ).toBe(400);
    expect(unversioned(linkedin, 'industries?ids=List(3)', token).status).toBe(404);
    linkedin.refuseLookup('industryTaxonomyVersions');
    expect(refused('?ids=List(3)')).toEqual([403, 'ACCESS_DENIED']);
    linkedin.refuseLookup('industryTaxonomyVersions', 401);
    expect(refused('?ids=List(3)')).toEqual([401, 'INVALID_ACCESS_TOKEN']);
    // The other lookups still answer.
    expect(unversioned(linkedin, 'titles?ids=List(1)', token).status).toBe(200);
  });
});

describe('Titles (unversioned, /v2/titles)', () => {
  it('names every job title the Ads pivot sends, in LinkedIn’s batch shape, leaving unknown ids out', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const answer = unversioned(linkedin, 'titles?ids=List(1,31,999999)&locale=en_US', token);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(['statuses', 'results', 'errors']);
    expect(answer.body.results).toEqual({
      '1': {
        function: 'urn:li:function:8',
        name: { localized: { en_US: 'Software Engineer' } },
        superTitle: 'urn:li:superTitle:1',
        id: 1,
        $URN: 'urn:li:title:1',
      },
      '31': {
        function: 'urn:li:function:8',
        name: { localized: { en_US: 'Senior Software Engineer' } },
        superTitle: 'urn:li:superTitle:1',
        id: 31,
        $URN: 'urn:li:title:31',
      },
    });
    const ids = pivotValuesOf(linkedin, 'MEMBER_JOB_TITLE').map((urn) => urn.replace('urn:li:title:', ''));
    expect(ids.length).toBeGreaterThan(100);
    const named = unversioned(linkedin, `titles?ids=List(${ids.join(',')})`, token).body.results;
    expect(Object.keys(named).sort()).toEqual([...ids].sort());
    expect(
      new Set(
        Object.values(named).map(
          (title) => (title as { name: { localized: { en_US: string } } }).name.localized.en_US,
        ),
      ).size,
    ).toBe(ids.length);
    expect(unversioned(linkedin, 'titles/31', token).body.name).toEqual({
      localized: { en_US: 'Senior Software Engineer' },
    });
  });

  it('takes the locale as en_US and refuses malformed input, and the app when a test says so', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', ADS).access_token;
    const refused = (query: string) => {
      const { status, body } = unversioned(linkedin, `titles${query}`, token);
      return [status, body.code];
    };
    expect(refused('?ids=List(1)&locale=(language:en,country:US)')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('?ids=1&ids=2')).toEqual([400, 'ILLEGAL_ARGUMENT']);
    expect(refused('?ids=List(1)&count=10')).toEqual([400, 'PARAM_INVALID']);
    expect(refused('/999999')).toEqual([404, 'NOT_FOUND']);
    linkedin.refuseLookup('titles');
    expect(refused('?ids=List(1)')).toEqual([403, 'ACCESS_DENIED']);
  });
});

describe('Organization Lookup (versioned, /rest/organizationsLookup)', () => {
  const PAGES = ['rw_organization_admin'];

  it('names every member company the Ads pivot sends as a non-administrator sees it, leaving unknown ids out', () => {
    const { linkedin } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', [...ADS, ...PAGES]).access_token;
    const answer = get(linkedin, '/rest/organizationsLookup?ids=List(71,720,999999)', token);
    expect(answer.status).toBe(200);
    // LinkedIn's Postman answer to organizationsLookup, shape for shape.
    expect(answer.body).toEqual({
      results: {
        '71': {
          name: {
            localized: { en_US: 'Northwind Traders' },
            preferredLocale: { country: 'US', language: 'en' },
          },
          primaryOrganizationType: 'NONE',
          vanityName: 'northwind-traders',
          locations: [],
          localizedName: 'Northwind Traders',
          id: 71,
        },
        '720': {
          name: {
            localized: { en_US: 'Woodgrove Bank' },
            preferredLocale: { country: 'US', language: 'en' },
          },
          primaryOrganizationType: 'NONE',
          vanityName: 'woodgrove-bank',
          locations: [],
          localizedName: 'Woodgrove Bank',
          id: 720,
        },
      },
      statuses: { '71': 200, '720': 200, '999999': 404 },
      errors: { '999999': { message: 'Organization 999999 does not exist', status: 404 } },
    });
    const postman = JSON.parse(
      readFileSync(
        join(__dirname, '../fixtures/linkedin/postman/organizations-lookup-batch.linkedin-postman.json'),
        'utf8',
      ),
    );
    expect(Object.keys(answer.body.results['71']).sort()).toEqual(
      Object.keys(postman.results['3803']).sort(),
    );
    const ids = pivotValuesOf(linkedin, 'MEMBER_COMPANY').map((urn) =>
      urn.replace('urn:li:organization:', ''),
    );
    expect(ids).toHaveLength(20);
    const named = get(linkedin, `/rest/organizationsLookup?ids=List(${ids.join(',')})`, token).body.results;
    expect(Object.keys(named).sort()).toEqual([...ids].sort());
    // The member's own pages are organizations too.
    expect(
      get(linkedin, '/rest/organizationsLookup?ids=List(10000001)', token).body.results['10000001']
        .localizedName,
    ).toBe(linkedin.data.organizations.get(10000001)!.localizedName);
  });

  it('is versioned, needs the Pages scope LinkedIn documents, and is refused when a test says so', () => {
    const { linkedin } = newSimulator();
    const pages = linkedin.issueTokens('sim1Person', PAGES).access_token;
    const ads = linkedin.issueTokens('sim1Person', ADS).access_token;
    expect(get(linkedin, '/rest/organizationsLookup?ids=List(71)', ads)).toMatchObject({
      status: 403,
      body: { code: 'ACCESS_DENIED' },
    });
    expect(
      get(linkedin, '/rest/organizationsLookup?ids=List(71)', pages, { 'LinkedIn-Version': '' }),
    ).toMatchObject({
      status: 400,
      body: { code: 'VERSION_MISSING' },
    });
    expect(unversioned(linkedin, 'organizationsLookup?ids=List(71)', pages).status).toBe(404);
    expect(get(linkedin, '/rest/organizationsLookup?ids=List(71)&fields=id', pages).status).toBe(400);
    expect(get(linkedin, '/rest/organizationsLookup?ids=71', pages).status).toBe(400);
    expect(get(linkedin, '/rest/organizationsLookup?ids=List(71)', pages).status).toBe(200);
    linkedin.refuseLookup('organizationsLookup');
    expect(get(linkedin, '/rest/organizationsLookup?ids=List(71)', pages)).toMatchObject({
      status: 403,
      body: { code: 'ACCESS_DENIED' },
    });
    // The pages' own names stay open.
    expect(get(linkedin, '/rest/organizations?ids=List(10000001)', pages).status).toBe(200);
  });
});

describe('the simulator over HTTP on loopback', () => {
  it('answers the same rules as in process', async () => {
    const { linkedin } = newSimulator();
    const { startSimulatorServer } = await import('../../sandbox/linkedin/http-server');
    const served = await startSimulatorServer(linkedin);
    try {
      const token = linkedin.issueTokens('sim1Person', ['r_ads']).access_token;
      const headers = { Authorization: `Bearer ${token}`, 'X-Restli-Protocol-Version': '2.0.0' };
      const missingVersion = await fetch(
        `${served.url}api.linkedin.com/rest/adAccountUsers?q=authenticatedUser`,
        { headers },
      );
      expect(missingVersion.status).toBe(400);
      expect((await missingVersion.json()).code).toBe('VERSION_MISSING');
      const ok = await fetch(`${served.url}api.linkedin.com/rest/adAccountUsers?q=authenticatedUser`, {
        headers: { ...headers, 'LinkedIn-Version': VERSION },
      });
      expect(ok.status).toBe(200);
      expect((await ok.json()).elements).toHaveLength(3);
      const refused = await fetch(`${served.url}www.linkedin.com/oauth/v2/accessToken`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&refresh_token=x&client_id=sim-client-id&client_secret=wrong',
      });
      expect([refused.status, (await refused.json()).error]).toEqual([401, 'invalid_client']);
    } finally {
      await served.close();
    }
  });
});

describe('Lead Sync (versioned, /rest/leadFormResponses and /rest/leadForms)', () => {
  const LEADS = ['r_marketing_leadgen_automation'];
  const OWNER = 'owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A500000001)';
  const SPONSORED = 'leadType=(leadType:SPONSORED)';
  const responses = (linkedin: LinkedInSimulator, token: string, query: string, headers = {}) =>
    get(linkedin, `/rest/leadFormResponses?${query}`, token, headers);

  it('answers the owner finder with responses whose answers name the questions of the account’s forms', () => {
    const { linkedin, clock } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', LEADS).access_token;
    const answer = responses(linkedin, token, `q=owner&${OWNER}&${SPONSORED}&count=100`);
    expect(answer.status).toBe(200);
    expect(answer.body.paging.total).toBeGreaterThan(100);
    const lead = answer.body.elements[0];
    expect(lead).toMatchObject({
      owner: { sponsoredAccount: 'urn:li:sponsoredAccount:500000001' },
      leadType: 'SPONSORED',
      versionedLeadGenFormUrn: expect.stringMatching(
        /^urn:li:versionedLeadGenForm:\(urn:li:leadGenForm:\d+,\d\)$/,
      ),
    });
    // Kept for 365 days: the oldest response is within them, the newest not after now.
    const times = answer.body.elements.map((element: { submittedAt: number }) => element.submittedAt);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(clock.now() - 365 * 86_400_000);
    const forms = get(linkedin, `/rest/leadForms?q=owner&${OWNER}`, token);
    expect(forms.status).toBe(200);
    const questionIds = forms.body.elements.flatMap(
      (form: { content: { questions: Array<{ questionId: number }> } }) =>
        form.content.questions.map((question) => question.questionId),
    );
    for (const { questionId } of lead.formResponse.answers) expect(questionIds).toContain(questionId);
    // A time range: start inclusive, end exclusive; test leads alone when asked.
    const start = Math.min(...times);
    const ranged = responses(
      linkedin,
      token,
      `q=owner&${OWNER}&${SPONSORED}&submittedAtTimeRange=(start:${start},end:${start + 1})`,
    );
    expect(ranged.body.elements.map((element: { submittedAt: number }) => element.submittedAt)).toEqual([
      start,
    ]);
    const tests = responses(
      linkedin,
      token,
      `q=owner&${OWNER}&${SPONSORED}&limitedToTestLeads=true&count=100`,
    );
    expect(tests.body.elements.every((element: { testLead: boolean }) => element.testLead)).toBe(true);
  });

  it('refuses a wrong finder, a missing or bare lead type, a raw URN, a range before its 365 days, and pages over 100', () => {
    const { linkedin, clock } = newSimulator();
    const token = linkedin.issueTokens('sim1Person', LEADS).access_token;
    const old = clock.now() - 366 * 86_400_000;
    for (const query of [
      `q=account&${OWNER}&${SPONSORED}`,
      `q=owner&${OWNER}`,
      `q=owner&${OWNER}&leadType=SPONSORED`,
      `q=owner&${OWNER}&leadType=(leadType:ORGANIC)`,
      `q=owner&owner=urn%3Ali%3AsponsoredAccount%3A500000001&${SPONSORED}`,
      `q=owner&owner=(organization:urn%3Ali%3Aorganization%3A10000001)&${SPONSORED}`,
      `q=owner&${OWNER}&${SPONSORED}&submittedAtTimeRange=(start:${old})`,
      `q=owner&${OWNER}&${SPONSORED}&submittedAtTimeRange=(from:1)`,
      `q=owner&${OWNER}&${SPONSORED}&count=101`,
      `q=owner&${OWNER}&${SPONSORED}&leadFormId=1`,
    ])
      expect([query, responses(linkedin, token, query)]).toMatchObject([query, { status: 400 }]);
    // A URN whose reserved characters are not encoded is not Rest.li 2.0.
    expect(
      responses(
        linkedin,
        token,
        `q=owner&owner=(sponsoredAccount:urn:li:sponsoredAccount:500000001)&${SPONSORED}`,
      ),
    ).toMatchObject({ status: 400, body: { code: 'ILLEGAL_ARGUMENT' } });
    expect(get(linkedin, `/rest/leadForms?q=owner&${OWNER}&count=101`, token).status).toBe(400);
  });

  it('refuses a token without the Lead Sync scope, an account the member has no role on, and a call without a version', () => {
    const { linkedin } = newSimulator();
    const leads = linkedin.issueTokens('sim1Person', LEADS).access_token;
    const query = `q=owner&${OWNER}&${SPONSORED}`;
    for (const scopes of [ADS, ['rw_ads'], ['rw_organization_admin']]) {
      const token = linkedin.issueTokens('sim1Person', scopes).access_token;
      expect(responses(linkedin, token, query)).toMatchObject({
        status: 403,
        body: { code: 'ACCESS_DENIED' },
      });
      expect(get(linkedin, `/rest/leadForms?q=owner&${OWNER}`, token).status).toBe(403);
    }
    // 500000004 is another member's account.
    expect(
      responses(
        linkedin,
        leads,
        `q=owner&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A500000004)&${SPONSORED}`,
      ),
    ).toMatchObject({ status: 403, body: { code: 'ACCESS_DENIED' } });
    expect(responses(linkedin, leads, query, { 'LinkedIn-Version': '' })).toMatchObject({
      status: 400,
      body: { code: 'VERSION_MISSING' },
    });
  });

  it('refuses a sign-in asking the Lead Sync scope of an app without that product', () => {
    const { linkedin } = newSimulator({
      apps: [{ ...DEFAULT_APP, redirectUris: [REDIRECT], products: ['ads', 'pages'] }],
    });
    const url = new URL('https://www.linkedin.com/oauth/v2/authorization');
    for (const [key, value] of Object.entries({
      response_type: 'code',
      client_id: DEFAULT_APP.clientId,
      redirect_uri: REDIRECT,
      state: 's',
      scope: 'r_ads r_marketing_leadgen_automation',
    }))
      url.searchParams.set(key, value);
    const refused = new URL(linkedin.consent(url.toString(), 'sim1Person'));
    expect(refused.searchParams.get('error_description')).toBe(
      'Scope "r_marketing_leadgen_automation" is not authorized for your application',
    );
  });
});
