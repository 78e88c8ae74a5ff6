import { computeAnalytics, dayOf } from '../../sandbox/linkedin/ads-analytics';
import { createOfflineWorld } from '../../sandbox/offline-world';
import { AD_METRICS, AD_PIVOTS } from '../../src/server/catalog/ad-analytics';
import { type AdAnalyticsQuery, validateAnalyticsQuery } from '../../src/server/connectors/ads-analytics';
import { entityTable, fetchEntities } from '../../src/server/connectors/ads';
import { AD_METRICS as SIMULATOR_METRICS } from '../../sandbox/linkedin/ads-metrics';
import { CLIENT_ID, CLIENT_SECRET, connectedWorld, tokenRequests } from '../helpers/connect';
import { withClient } from '../helpers/core';
import {
  analyticsReport,
  apiTraffic,
  importAnalytics,
  metricsOfferedBy,
  runNow,
  saveReport,
  sheetValues,
} from '../helpers/reports';

const ANN = 'ann@example.com';
const analyticsCalls = (offline: ReturnType<typeof createOfflineWorld>) =>
  offline.linkedin.calls.filter((call) => call.path === '/rest/adAnalytics');

const connected = (options: Parameters<typeof createOfflineWorld>[0] = {}) => connectedWorld(ANN, options);

describe('the catalog', () => {
  it('describes exactly the metrics LinkedIn documents, each with a label, group and description', () => {
    expect(AD_METRICS.map((metric) => metric.key).sort()).toEqual(Object.keys(SIMULATOR_METRICS).sort());
    for (const metric of AD_METRICS) {
      expect(metric.label.length).toBeGreaterThan(2);
      expect(metric.description.length).toBeGreaterThan(10);
      expect(metric.group.length).toBeGreaterThan(2);
    }
  });
});

describe('the catalog the sidebar reads', () => {
  it('carries the pivot rules, reach limits and each dated stream’s granularities through the built add-on', () => {
    const offline = connected();
    type Catalog = {
      streams: Array<{
        id: string;
        granularities?: string[];
        fields: Array<{ key: string; notWithPivots?: Record<string, string>; maxRangeDays?: number }>;
      }>;
    };
    const catalog = offline.world.callFromSidebar(ANN, 'getCatalog') as Catalog;
    const stream = (id: string) => catalog.streams.find((candidate) => candidate.id === id)!;
    const metric = (key: string) => stream('ad_analytics').fields.find((field) => field.key === key)!;
    expect(metric('cardClicks').notWithPivots!.MEMBER_COMPANY_SIZE).toBe(
      'it is given only by breakdowns that are not about members (not by member company, company size, industry, seniority, job or location).',
    );
    expect(metric('externalWebsiteConversions').notWithPivots).toEqual({
      IMPRESSION_DEVICE_TYPE: 'reach and conversion metrics are not available by device type.',
    });
    expect(metric('impressions').notWithPivots).toBeUndefined();
    expect(metric('approximateMemberReach').maxRangeDays).toBe(92);
    expect(stream('page_views').granularities).toEqual(['DAY', 'MONTH']);
    expect(stream('follower_gains').granularities).toEqual(['DAY', 'WEEK', 'MONTH']);
    expect(stream('ad_analytics').granularities).toEqual(['DAILY', 'MONTHLY', 'YEARLY', 'ALL']);
    expect(stream('campaigns').granularities).toBeUndefined();
    expect(offline.world.callFromSidebar(ANN, 'getCatalog')).toMatchObject({
      periodWords: { DAILY: 'day', ALL: 'whole date range', WEEK: 'week', MONTH: 'month' },
      scheduleKinds: ['none', 'hourly', 'daily', 'weekly'],
    });
  });
});

describe('ad accounts', () => {
  it('lists the accounts the member has a role on, by name, through the built add-on', () => {
    const offline = connected();
    const accounts = offline.world.callFromSidebar(ANN, 'listLinkedInAdAccounts');
    expect(accounts).toEqual([
      {
        id: '500000001',
        name: 'Analyst Co. Ads 1',
        currency: 'USD',
        status: 'ACTIVE',
        role: 'ACCOUNT_MANAGER',
        test: false,
      },
      {
        id: '500000002',
        name: 'Analyst Co. Ads 2',
        currency: 'EUR',
        status: 'ACTIVE',
        role: 'VIEWER',
        test: false,
      },
      {
        id: '500000003',
        name: 'Analyst Co. Ads 3',
        currency: 'GBP',
        status: 'ACTIVE',
        role: 'CAMPAIGN_MANAGER',
        test: false,
      },
    ]);
  });
});

describe('entity streams', () => {
  it('reads campaign groups, campaigns and creatives for one and several accounts, typed', () => {
    const offline = connected();
    const data = offline.linkedin.data;
    for (const accounts of [['500000001'], ['500000001', '500000002', '500000003']]) {
      withClient(offline, ANN, (client) => {
        const groups = fetchEntities(client, 'campaign_groups', accounts);
        const campaigns = fetchEntities(client, 'campaigns', accounts);
        const creatives = fetchEntities(client, 'creatives', accounts);
        const inAccounts = (accountId: number) => accounts.includes(String(accountId));
        expect(groups).toHaveLength(
          [...data.campaignGroups.values()].filter((group) => inAccounts(group.accountId)).length,
        );
        expect(campaigns).toHaveLength(
          [...data.campaigns.values()].filter((campaign) => inAccounts(campaign.accountId)).length,
        );
        expect(creatives).toHaveLength(
          [...data.creatives.values()].filter((creative) => inAccounts(creative.accountId)).length,
        );
        const table = entityTable('campaigns', campaigns, [
          'campaign_name',
          'daily_budget',
          'daily_budget_currency',
          'run_start',
          'run_end',
          'campaign_group_id',
        ]);
        const simulated = data.campaigns.get(700010000)!;
        expect(table.columns.map((column) => column.label)).toEqual([
          'Campaign ID',
          'Campaign',
          'Campaign group ID',
          'Daily budget',
          'Daily budget currency',
          'Starts',
          'Ends',
        ]);
        expect(table.rows[0]).toEqual([
          '700010000',
          simulated.name,
          '600000100',
          simulated.dailyBudgetCents / 100,
          'USD',
          new Date(simulated.runStart).toISOString().slice(0, 10),
          null,
        ]);
      });
    }
  });

  it('lists each account’s conversion rules through the built add-on, asked by account URN at LinkedIn’s own path', () => {
    const offline = connected();
    const { config } = saveReport(offline, ANN, {
      name: 'Conversions',
      source: 'ads',
      stream: 'conversions',
      accountIds: ['500000001', '500000002'],
      fields: ['conversion_name', 'account_id', 'type', 'enabled', 'post_click_window'],
      // The sidebar sends a range with every report; a list reads what is there now.
      dateRange: { preset: 'last_30_days' },
      sheetName: 'Conversions',
      schedule: { kind: 'none' },
    });
    expect(runNow(offline, ANN, config.id).at(-1)!.status).toBe('done');
    const rules = [...offline.linkedin.data.conversions.values()].filter(
      (rule) => rule.accountId <= 500_000_002,
    );
    expect(sheetValues(offline, 'Conversions')).toEqual([
      ['Conversion ID', 'Conversion', 'Account ID', 'Type', 'Enabled', 'Post-click window (days)'],
      ...rules.map((rule) => [
        String(rule.id),
        rule.name,
        String(rule.accountId),
        rule.type,
        rule.enabled ? 'TRUE' : 'FALSE',
        String(rule.postClickAttributionWindowSize),
      ]),
    ]);
    const asked = offline.linkedin.calls.filter((call) => call.path === '/rest/conversions');
    // Its answers say total -1, so each account's rules are paged until an empty page.
    expect(
      asked.map((call) => [
        call.query!.get('q'),
        call.query!.get('account'),
        call.query!.get('start'),
        call.query!.get('count'),
      ]),
    ).toEqual([
      ['account', 'urn:li:sponsoredAccount:500000001', '0', '100'],
      ['account', 'urn:li:sponsoredAccount:500000002', '0', '100'],
      ['account', 'urn:li:sponsoredAccount:500000001', '3', '100'],
      ['account', 'urn:li:sponsoredAccount:500000002', '3', '100'],
    ]);
  });

  it('pages through many creatives, 100 a page', () => {
    const offline = connected({
      size: { campaignGroupsPerAccount: 4, campaignsPerGroup: 5, creativesPerCampaign: 6 },
    });
    const creatives = withClient(offline, ANN, (client) => fetchEntities(client, 'creatives', ['500000001']));
    expect(creatives).toHaveLength(120);
    expect(new Set(creatives.map((creative) => creative.id)).size).toBe(120);
    expect(
      offline.linkedin.calls
        .filter((call) => call.path.endsWith('/creatives'))
        .map((call) => call.query!.get('pageSize')),
    ).toEqual(['100', '100']);
  });
});

describe('campaign searches', () => {
  it('name every status, so completed campaigns are listed, at the page sizes LinkedIn documents', () => {
    const offline = connected();
    const campaigns = withClient(offline, ANN, (client) => fetchEntities(client, 'campaigns', ['500000001']));
    withClient(offline, ANN, (client) => fetchEntities(client, 'campaign_groups', ['500000001']));
    expect(campaigns.some((campaign) => campaign.status === 'COMPLETED')).toBe(true);
    const searches = offline.linkedin.calls.filter((call) => /adCampaign(Group)?s$/.test(call.path));
    expect(searches).toHaveLength(2);
    const campaignStatuses = [
      'ACTIVE',
      'PAUSED',
      'ARCHIVED',
      'COMPLETED',
      'CANCELED',
      'DRAFT',
      'PENDING_DELETION',
      'REMOVED',
    ];
    // Campaign groups document every status but COMPLETED.
    expect(searches.map((call) => [call.path, call.query!.get('search')])).toEqual([
      ['/rest/adAccounts/500000001/adCampaigns', { status: { values: campaignStatuses } }],
      [
        '/rest/adAccounts/500000001/adCampaignGroups',
        { status: { values: campaignStatuses.filter((status) => status !== 'COMPLETED') } },
      ],
    ]);
    for (const call of searches) {
      expect(call.query!.get('pageSize')).toBe('1000');
    }
  });
});

describe('ad analytics', () => {
  /** January 2025 in one row per value of the breakdown: what a breakdown test reads. */
  const januaryBy = (
    offline: ReturnType<typeof connected>,
    pivot: string,
    accountIds: string[],
    metrics: string[],
  ) =>
    importAnalytics(offline, ANN, {
      accountIds,
      pivot,
      granularity: 'ALL',
      startDate: '2025-01-01',
      endDate: '2025-01-31',
      metrics,
    });

  const METRICS_60 = AD_METRICS.map((metric) => metric.key)
    .filter((key) => key !== 'approximateMemberReach' && key !== 'audiencePenetration')
    .slice(0, 60);

  function expectedRows(offline: ReturnType<typeof createOfflineWorld>, query: AdAnalyticsQuery) {
    const truth = computeAnalytics(offline.linkedin.data, {
      pivots: [query.pivot],
      granularity: query.granularity,
      startDay: dayOf(parts(query.startDate)),
      endDay: dayOf(parts(query.endDate)),
      facets: { accounts: query.accountIds.map(Number) },
      fields: ['dateRange', 'pivotValues', ...query.metrics],
    });
    const severalAccounts = query.accountIds.length > 1;
    return truth
      .map((element) => {
        const urn = element.pivotValues![0];
        const creative = offline.linkedin.data.creatives.get(Number(urn.split(':').pop()))!;
        const account = offline.linkedin.data.accounts.get(creative.accountId)!;
        const start = element.dateRange!.start;
        return [
          `${start.year}-${String(start.month).padStart(2, '0')}-${String(start.day).padStart(2, '0')}`,
          // Over several accounts each row names its account, and its currency before the numbers.
          ...(severalAccounts ? [String(account.id), account.name] : []),
          String(creative.id),
          creative.name,
          ...(severalAccounts ? [account.currency] : []),
          // What LinkedIn leaves out (cost per qualified lead without leads) is a blank, not a zero.
          ...query.metrics.map((metric) => (element[metric] === undefined ? null : Number(element[metric]))),
        ];
      })
      .sort((a, b) => {
        const text = (row: unknown[], index: number) => String(row[index]);
        const idColumn = severalAccounts ? 3 : 1;
        return (
          text(a, 0).localeCompare(text(b, 0)) ||
          (severalAccounts ? text(a, 1).localeCompare(text(b, 1)) : 0) ||
          text(a, idColumn).localeCompare(text(b, idColumn))
        );
      });
  }

  const parts = (iso: string) => {
    const [year, month, day] = iso.split('-').map(Number);
    return { year, month, day };
  };

  it('returns 60 metrics over a year of daily data by creative exactly as LinkedIn holds them, in the planned requests', () => {
    const offline = connected();
    const query: AdAnalyticsQuery = {
      accountIds: ['500000001'],
      pivot: 'CREATIVE',
      granularity: 'DAILY',
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      metrics: METRICS_60,
    };
    expect(validateAnalyticsQuery(query)).toEqual([]);
    const run = importAnalytics(offline, ANN, query);
    // 60 metrics need 4 requests of at most 18 metrics + dateRange + pivotValues; 12 creatives x 365 days fit one window.
    expect(run.done).toMatchObject({ status: 'done', requestsPlanned: 4, requestsDone: 4 });
    expect(analyticsCalls(offline)).toHaveLength(4);
    for (const call of analyticsCalls(offline))
      expect((call.query!.get('fields') as string).split(',').length).toBeLessThanOrEqual(20);
    const expected = expectedRows(offline, query);
    expect(expected.length).toBeGreaterThan(2500);
    expect(run.rows).toEqual(expected);
    expect(run.labels.slice(0, 4)).toEqual(['Date', 'Creative ID', 'Creative', 'Impressions']);
  });

  it('covers several accounts in the same requests', () => {
    const offline = connected();
    const query: AdAnalyticsQuery = {
      accountIds: ['500000001', '500000002', '500000003'],
      pivot: 'CREATIVE',
      granularity: 'DAILY',
      startDate: '2025-06-01',
      endDate: '2025-08-31',
      metrics: ['impressions', 'clicks', 'costInLocalCurrency'],
    };
    const run = importAnalytics(offline, ANN, query);
    expect(analyticsCalls(offline)).toHaveLength(1);
    expect(analyticsCalls(offline)[0].query!.get('accounts')).toEqual([
      'urn:li:sponsoredAccount:500000001',
      'urn:li:sponsoredAccount:500000002',
      'urn:li:sponsoredAccount:500000003',
    ]);
    expect(run.rows).toEqual(expectedRows(offline, query));
    expect(run.labels).toEqual([
      'Date',
      'Account ID',
      'Account',
      'Creative ID',
      'Creative',
      'Currency',
      'Impressions',
      'Clicks',
      'Cost (account currency)',
    ]);
  });

  it('names each row’s account and currency when accounts in several currencies share a report', () => {
    const offline = connected();
    const { accounts, campaigns } = offline.linkedin.data;
    const run = importAnalytics(offline, ANN, {
      accountIds: ['500000001', '500000002'],
      pivot: 'CAMPAIGN',
      granularity: 'MONTHLY',
      startDate: '2025-03-01',
      endDate: '2025-04-30',
      metrics: ['impressions', 'costInLocalCurrency', 'costInUsd'],
    });
    expect(run.labels).toEqual([
      'Month start',
      'End date',
      'Account ID',
      'Account',
      'Campaign ID',
      'Campaign',
      'Currency',
      'Impressions',
      'Cost (account currency)',
      'Cost (USD)',
    ]);
    expect([accounts.get(500000001)!.currency, accounts.get(500000002)!.currency]).toEqual(['USD', 'EUR']);
    expect(run.rows.length).toBeGreaterThan(8);
    for (const [, , accountId, accountName, campaignId, , currency, , local, usd] of run.rows) {
      const owner = accounts.get(campaigns.get(Number(campaignId))!.accountId)!;
      expect([accountId, accountName, currency]).toEqual([String(owner.id), owner.name, owner.currency]);
      // The simulator converts each creative's day at 1.08 USD per euro, each rounded to a cent.
      const rate = owner.currency === 'EUR' ? 1.08 : 1;
      expect(Math.abs((usd as number) - (local as number) * rate)).toBeLessThan(0.01 * 2 * 31);
    }
    const euros = run.rows.filter((row) => row[6] === 'EUR');
    expect(euros.length).toBeGreaterThan(0);
    expect(euros.every((row) => (row[9] as number) > (row[8] as number))).toBe(true);
    // The reason for the column: campaign names repeat across accounts.
    const namesOf = (accountId: string) =>
      new Set(run.rows.filter((row) => row[2] === accountId).map((row) => row[5]));
    expect([...namesOf('500000001')].some((name) => namesOf('500000002').has(name))).toBe(true);
  });

  it.each([
    ['refuses', false],
    ['takes', true],
  ])(
    'keeps a demographic breakdown over two accounts per account, each as its own report would give it, whether q=statistics %s demographic pivots',
    (_reading, statisticsTakesDemographics) => {
      const offline = connected({ statisticsTakesDemographics });
      const query = (accountIds: string[]) => ({
        accountIds,
        pivot: 'MEMBER_SENIORITY',
        granularity: 'ALL',
        startDate: '2025-01-01',
        endDate: '2025-01-31',
        metrics: ['impressions', 'costInLocalCurrency'],
      });
      const both = importAnalytics(offline, ANN, query(['500000001', '500000002']));
      // LinkedIn does not say whether its statistics finder takes demographic pivots: one account a request.
      expect(
        analyticsCalls(offline).map((call) => [
          call.status,
          call.query!.get('q'),
          call.query!.get('accounts'),
        ]),
      ).toEqual([
        [200, 'analytics', ['urn:li:sponsoredAccount:500000001']],
        [200, 'analytics', ['urn:li:sponsoredAccount:500000002']],
      ]);
      expect(both.labels).toEqual([
        'Start date',
        'End date',
        'Account ID',
        'Account',
        'Seniority ID',
        'Seniority',
        'Currency',
        'Impressions (approx.)',
        'Cost (account currency) (approx.)',
      ]);
      for (const [accountId, currency] of [
        ['500000001', 'USD'],
        ['500000002', 'EUR'],
      ]) {
        const alone = importAnalytics(offline, ANN, query([accountId]));
        const ofAccount = both.rows.filter((row) => row[2] === accountId);
        expect(ofAccount.length).toBeGreaterThan(5);
        expect(ofAccount.every((row) => row[6] === currency)).toBe(true);
        // Same period, seniority and numbers as the account's own report; only the account columns added.
        const withoutAccount = (row: unknown[]) => [...row.slice(0, 2), ...row.slice(4, 6), ...row.slice(7)];
        expect(ofAccount.map(withoutAccount).sort()).toEqual([...alone.rows].sort());
      }
    },
  );

  it('keeps a serving-location breakdown over two accounts per account through the statistics finder', () => {
    const offline = connected();
    const both = januaryBy(offline, 'SERVING_LOCATION', ['500000001', '500000002'], ['impressions']);
    const [call] = analyticsCalls(offline);
    expect(call.query!.get('q')).toBe('statistics');
    expect(call.query!.get('pivots')).toEqual(['ACCOUNT', 'SERVING_LOCATION']);
    expect(new Set(both.rows.map((row) => row[2]))).toEqual(new Set(['500000001', '500000002']));
  });

  /** Accounts of 80 creatives, and a daily query of two metrics by creative over them. */
  const withManyCreatives = () =>
    connected({ size: { campaignGroupsPerAccount: 4, campaignsPerGroup: 5, creativesPerCampaign: 4 } });
  const dailyByCreative = (accountIds: string[], endDate: string): AdAnalyticsQuery => ({
    accountIds,
    pivot: 'CREATIVE',
    granularity: 'DAILY',
    startDate: '2025-01-01',
    endDate,
    metrics: ['impressions', 'clicks'],
  });

  it.each([
    ['with the lookup saving made, in the run’s first round trip', 0, 1],
    ['when the cache forgot that lookup, once the run’s own lookup is in', 7, 2],
  ])(
    'splits the date range only as far as the 15,000-element cap needs, %s',
    (_, hoursBeforeRun, roundTrips) => {
      const offline = withManyCreatives();
      const query = dailyByCreative(['500000001', '500000002'], '2025-12-31');
      const run = importAnalytics(offline, ANN, query, { hoursBeforeRun });
      // 160 creatives: at most 93 days fit under 15,000 rows, so a year takes 4 windows.
      expect(run.done.requestsPlanned).toBe(4);
      expect(analyticsCalls(offline)).toHaveLength(4);
      expect(apiTraffic(offline, run.since).roundTrips).toBe(roundTrips);
      expect(run.rows).toEqual(expectedRows(offline, query));
    },
  );

  it.each([
    ['planned from the lookup saving made', 0],
    ['bet on when the cache forgot that lookup', 7],
  ])(
    'fetches a range that likely fits one window in the same round trip as the names: %s',
    (_, hoursBeforeRun) => {
      const offline = connected({ latency: { baseMs: 1000, perElementMs: 0 } });
      const query: AdAnalyticsQuery = {
        accountIds: ['500000001'],
        pivot: 'CREATIVE',
        granularity: 'DAILY',
        startDate: '2026-08-21',
        endDate: '2026-11-18',
        metrics: metricsOfferedBy('CREATIVE').slice(0, 20),
      };
      const run = importAnalytics(offline, ANN, query, { hoursBeforeRun });
      // 20 metrics need two requests; the creatives lookup and the accounts search go with them: one round trip in all.
      expect(apiTraffic(offline, run.since).roundTrips).toBe(1);
      const apiCalls = offline.linkedin.calls
        .slice(run.since.calls)
        .filter((call) => call.path.startsWith('/rest/'));
      expect(apiCalls.map((call) => call.path).sort()).toEqual([
        '/rest/adAccounts',
        '/rest/adAccounts/500000001/creatives',
        '/rest/adAnalytics',
        '/rest/adAnalytics',
      ]);
      expect(run.done.requestsPlanned).toBe(2);
      const expected = expectedRows(offline, query);
      expect(expected.length).toBeGreaterThan(100);
      expect(run.rows).toEqual(expected);
    },
  );

  it('loses no row when the range bet to fit one window comes back at the cap, and plans it from the lookup', () => {
    const offline = withManyCreatives();
    const query = dailyByCreative(['500000001'], '2025-10-27');
    const run = importAnalytics(offline, ANN, query, { hoursBeforeRun: 7 });
    const expected = expectedRows(offline, query);
    // 80 creatives over 300 days pass 15,000 rows: the bet's request is wasted, then two windows.
    expect(expected.length).toBeGreaterThan(15_000);
    expect(analyticsCalls(offline)).toHaveLength(3);
    expect(run.done.requestsPlanned).toBe(3);
    expect(run.rows).toEqual(expected);
  });

  it('loses no row when creatives made since saving fill the window planned from its lookup, and plans it from the run’s', () => {
    const offline = withManyCreatives();
    const query = dailyByCreative(['500000001'], '2025-10-27');
    const { creatives } = offline.linkedin.data;
    const ofAccount = [...creatives.values()].filter((creative) => creative.accountId === 500_000_001);
    // Saved while the account had half its creatives: 40 over 300 days fit one window.
    const later = ofAccount.slice(40);
    for (const creative of later) creatives.delete(creative.id);
    const run = importAnalytics(offline, ANN, query, {
      change: () => later.forEach((creative) => creatives.set(creative.id, creative)),
    });
    const expected = expectedRows(offline, query);
    expect(expected.length).toBeGreaterThan(15_000);
    // The window planned from saving's lookup comes back at the cap; the run's lookup plans two.
    expect(analyticsCalls(offline).map((call) => call.query!.get('dateRange'))).toEqual([
      expect.objectContaining({
        start: { year: '2025', month: '1', day: '1' },
        end: { year: '2025', month: '10', day: '27' },
      }),
      expect.objectContaining({ start: { year: '2025', month: '1', day: '1' } }),
      expect.objectContaining({ end: { year: '2025', month: '10', day: '27' } }),
    ]);
    expect(run.done.requestsPlanned).toBe(3);
    expect(run.rows).toEqual(expected);
  });

  it('refetches a window whose response came back at the element cap, in halves, and never keeps the cut-off one', () => {
    const offline = connected();
    const query: AdAnalyticsQuery = {
      accountIds: ['500000001'],
      pivot: 'MEMBER_JOB_TITLE',
      granularity: 'DAILY',
      startDate: '2025-01-01',
      endDate: '2025-06-30',
      metrics: ['impressions', 'clicks'],
    };
    const run = importAnalytics(offline, ANN, query);
    const responses = analyticsCalls(offline);
    // Progress counts the analytics requests and those naming the job titles (300: three requests).
    const namesAsked = offline.linkedin.calls.filter((call) => call.path === '/v2/titles').length;
    expect(namesAsked).toBe(3);
    expect(run.done).toMatchObject({ status: 'done', requestsDone: responses.length + namesAsked });
    expect(run.done.requestsPlanned).toBe(responses.length + namesAsked);
    // A window cut off at the cap is asked again in halves: the first half starts where it did and ends sooner.
    const ranges = responses.map((call) => JSON.stringify(call.query!.get('dateRange')));
    const starts = responses.map((call) =>
      JSON.stringify((call.query!.get('dateRange') as { start: unknown }).start),
    );
    expect(new Set(ranges).size).toBe(ranges.length);
    expect(new Set(starts).size).toBeLessThan(starts.length);
    const truth = computeAnalytics(offline.linkedin.data, {
      pivots: ['MEMBER_JOB_TITLE'],
      granularity: 'DAILY',
      startDay: dayOf({ year: 2025, month: 1, day: 1 }),
      endDay: dayOf({ year: 2025, month: 6, day: 30 }),
      facets: { accounts: [500000001] },
      fields: ['dateRange', 'pivotValues', 'impressions', 'clicks'],
    });
    expect(run.rows).toHaveLength(truth.length);
    // DAILY rows: date, id, name, then the metrics.
    const total = (rows: unknown[][]) => rows.reduce((sum, row) => sum + (row[3] as number), 0);
    expect(total(run.rows)).toBe(truth.reduce((sum, element) => sum + (element.impressions as number), 0));
    expect(run.labels[3]).toBe('Impressions (approx.)');
  });

  it('asks only the field group holding reach in ranges of at most 92 days', () => {
    const offline = connected();
    const metrics = ['approximateMemberReach', ...METRICS_60.slice(0, 29)];
    const run = importAnalytics(offline, ANN, {
      accountIds: ['500000001'],
      pivot: 'CAMPAIGN',
      granularity: 'DAILY',
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      metrics,
    });
    // 30 metrics: 2 field groups; the one with reach in 4 pieces of at most 92 days, the other in one request.
    expect(run.done.requestsPlanned).toBe(5);
    const calls = analyticsCalls(offline);
    expect(calls).toHaveLength(5);
    const withReach = calls.filter((call) =>
      (call.query!.get('fields') as string).includes('approximateMemberReach'),
    );
    expect(withReach).toHaveLength(4);
    for (const call of withReach) {
      const range = call.query!.get('dateRange') as {
        start: Record<string, string>;
        end: Record<string, string>;
      };
      const days =
        (Date.UTC(+range.end.year, +range.end.month - 1, +range.end.day) -
          Date.UTC(+range.start.year, +range.start.month - 1, +range.start.day)) /
          86_400_000 +
        1;
      expect(days).toBeLessThanOrEqual(92);
    }
    const reachColumn = run.labels.indexOf('Reach (approx.)');
    expect(reachColumn).toBeGreaterThan(2);
    expect(
      run.rows.every((row) => typeof row[reachColumn] === 'number' && (row[reachColumn] as number) > 0),
    ).toBe(true);
  });

  it('names a Conversion breakdown’s rows from the accounts’ conversion rules', () => {
    const offline = connected();
    const run = januaryBy(offline, 'CONVERSION', ['500000001', '500000002'], ['externalWebsiteConversions']);
    expect(run.done.status).toBe('done');
    const at = (label: string) => run.labels.indexOf(label);
    const named = run.rows.map((row) => [
      row[at('Account ID')],
      row[at('Conversion ID')],
      row[at('Conversion')],
    ]);
    const expected = [...offline.linkedin.data.conversions.values()]
      .filter((rule) => rule.accountId <= 500_000_002)
      .map((rule) => [String(rule.accountId), String(rule.id), rule.name]);
    expect(named).toEqual(expect.arrayContaining(expected));
    expect(named).toHaveLength(expected.length);
    // Each row's account comes from LinkedIn, not from the lookup: the pivot's URN is unconfirmed.
    const [call] = analyticsCalls(offline);
    expect([call.query!.get('q'), call.query!.get('pivots')]).toEqual([
      'statistics',
      ['ACCOUNT', 'CONVERSION'],
    ]);
  });

  it('imports a Conversion breakdown without names when LinkedIn refuses the conversion rules, and says so', () => {
    const offline = connected();
    const run = importAnalytics(
      offline,
      ANN,
      {
        accountIds: ['500000001'],
        pivot: 'CONVERSION',
        granularity: 'ALL',
        startDate: '2025-01-01',
        endDate: '2025-01-31',
        metrics: ['externalWebsiteConversions'],
      },
      // Saving read the rules; the run's own reading is refused.
      { change: () => offline.linkedin.queueFault('403', /^\/rest\/conversions/) },
    );
    expect(run.done.status).toBe('done');
    expect(run.done.message).toContain('LinkedIn refused the names of this breakdown’s values');
    const rules = [...offline.linkedin.data.conversions.values()].filter(
      (rule) => rule.accountId === 500_000_001,
    );
    expect(run.rows.map((row) => [row[2], row[3]])).toEqual(rules.map((rule) => [String(rule.id), null]));
    expect(
      offline.linkedin.calls
        .slice(run.since.calls)
        .filter((call) => call.path === '/rest/conversions')
        .map((call) => call.status),
    ).toEqual([403]);
  });

  it('stops before writing when the connection cannot list the ad accounts (a token with reporting access only)', () => {
    // LinkedIn answers analytics of an account the member may not read with no rows: without r_ads,
    // nothing tells such an account from a quiet one.
    const offline = createOfflineWorld();
    offline.world.callFromSidebar(ANN, 'saveLinkedInApp', CLIENT_ID, CLIENT_SECRET);
    const { access_token } = offline.linkedin.issueTokens('sim1Person', ['r_ads_reporting']);
    offline.world.callFromSidebar(ANN, 'pasteLinkedInAccessToken', access_token);
    const run = januaryBy(offline, 'MEMBER_SENIORITY', ['500000001'], ['impressions']);
    expect(run.done.status).toBe('failed');
    expect(run.done.message).toContain('LinkedIn refused access');
    expect(run.rows).toEqual([]);
  });

  it('keeps the rows of an account the member may no longer read, whose analytics LinkedIn answers with no rows', () => {
    const offline = connected();
    const report = saveReport(
      offline,
      ANN,
      analyticsReport({ pivot: 'MEMBER_SENIORITY', writeMode: 'replace', sheetName: 'Seniority' }),
    );
    expect(runNow(offline, ANN, report.config.id).at(-1)!.status).toBe('done');
    const before = sheetValues(offline, 'Seniority');
    expect(before.length).toBeGreaterThan(10);
    const member = offline.linkedin.data.member('sim1Person')!;
    member.accountRoles = member.accountRoles.filter((role) => role.accountId !== 500_000_001);
    const since = offline.linkedin.calls.length;
    const again = runNow(offline, ANN, report.config.id).at(-1)!;
    expect(again).toMatchObject({ status: 'failed', rowsWritten: 0 });
    expect(again.message).toBe(
      'Your LinkedIn connection may no longer read the ad account 500000001, and LinkedIn reports such accounts as having no activity, so nothing was imported and the tab is as it was. Ask an admin of the account for a role on it in Campaign Manager, or edit the report to leave it out.',
    );
    expect(sheetValues(offline, 'Seniority')).toEqual(before);
    // The accounts search and the member's roles told: no analytics request was spent.
    expect(offline.linkedin.calls.slice(since).map((call) => call.path)).toEqual([
      '/rest/adAccounts',
      '/rest/adAccountUsers',
    ]);
  });

  it('reads a canceled account the search may leave out, by the member’s role on it', () => {
    const offline = connected();
    offline.linkedin.data.accounts.get(500_000_002)!.status = 'CANCELED';
    const run = januaryBy(offline, 'MEMBER_SENIORITY', ['500000001', '500000002'], ['impressions']);
    expect(run.done.status).toBe('done');
    // Account ID, Account, Currency of both accounts' rows, the canceled one's from its own read.
    expect(new Set(run.rows.map((row) => `${row[2]} ${row[3]} ${row[6]}`))).toEqual(
      new Set(['500000001 Analyst Co. Ads 1 USD', '500000002 Analyst Co. Ads 2 EUR']),
    );
    const paths = offline.linkedin.calls.slice(run.since.calls).map((call) => call.path);
    expect(paths).toEqual(expect.arrayContaining(['/rest/adAccountUsers', '/rest/adAccounts/500000002']));
  });

  it('keeps device types as LinkedIn sends them, plain strings, and names the ones it was seen to send', () => {
    const offline = connected();
    const run = januaryBy(offline, 'IMPRESSION_DEVICE_TYPE', ['500000001'], ['impressions']);
    expect(run.labels).toEqual(['Start date', 'End date', 'Device type ID', 'Device type', 'Impressions']);
    expect(run.rows.map((row) => [row[2], row[3]])).toEqual(
      expect.arrayContaining([
        ['MOBILE_WEB', 'Mobile web'],
        ['UNDETECTED', 'Not detected'],
      ]),
    );
  });

  it('names demographic values LinkedIn standardises', () => {
    const offline = connected();
    const run = januaryBy(offline, 'MEMBER_SENIORITY', ['500000001'], ['impressions']);
    expect(run.rows.map((row) => [row[2], row[3]])).toContainEqual(['urn:li:seniority:6', 'Director']);
    expect(run.labels).toEqual([
      'Start date',
      'End date',
      'Seniority ID',
      'Seniority',
      'Impressions (approx.)',
    ]);
  });

  it('refuses what LinkedIn would refuse, before asking', () => {
    expect(
      validateAnalyticsQuery({
        accountIds: [],
        pivot: 'MEMBER_SENIORITY',
        granularity: 'DAILY',
        startDate: '2025-02-01',
        endDate: '2025-01-01',
        metrics: ['approximateMemberReach', 'impresions'],
      }),
    ).toEqual([
      'Choose at least one ad account.',
      'The start date is after the end date.',
      'Unknown metrics: impresions.',
      'LinkedIn does not offer “Reach (approx.)” by seniority: it is given only by breakdowns that are not about members (not by member company, company size, industry, seniority, job or location). Remove it or pick another breakdown.',
    ]);
    const byDevice = {
      accountIds: ['500000001'],
      pivot: 'IMPRESSION_DEVICE_TYPE',
      granularity: 'DAILY' as const,
      startDate: '2025-01-01',
      endDate: '2025-01-31',
    };
    expect(
      validateAnalyticsQuery({
        ...byDevice,
        metrics: ['impressions', 'externalWebsiteConversions', 'cardClicks'],
      }),
    ).toEqual([
      'LinkedIn does not offer “Conversions” by device type: reach and conversion metrics are not available by device type. Remove it or pick another breakdown.',
    ]);
    expect(
      validateAnalyticsQuery({ ...byDevice, pivot: 'MEMBER_COMPANY_SIZE', metrics: ['cardClicks'] }),
    ).toEqual([
      'LinkedIn does not offer “Card clicks” by company size: it is given only by breakdowns that are not about members (not by member company, company size, industry, seniority, job or location). Remove it or pick another breakdown.',
    ]);
    // Several metrics refused for one reason: one sentence names them all.
    expect(
      validateAnalyticsQuery({
        ...byDevice,
        pivot: 'MEMBER_COMPANY_SIZE',
        metrics: ['cardClicks', 'impressions', 'approximateMemberReach', 'cardImpressions'],
      }),
    ).toEqual([
      'LinkedIn does not offer “Reach (approx.)”, “Card clicks” and “Card impressions” by company size: it is given only by breakdowns that are not about members (not by member company, company size, industry, seniority, job or location). Remove them or pick another breakdown.',
    ]);
    // A computed rate is offered where both metrics it divides are: conversions are not by device.
    expect(
      validateAnalyticsQuery({
        ...byDevice,
        metrics: ['clickThroughRate', 'conversionRate', 'returnOnAdSpend'],
      }),
    ).toEqual([
      'LinkedIn does not offer “Conversion rate” and “Return on ad spend” by device type: reach and conversion metrics are not available by device type. Remove them or pick another breakdown.',
    ]);
    expect(
      validateAnalyticsQuery({ ...byDevice, pivot: 'MEMBER_SENIORITY', metrics: ['returnOnAdSpend'] }),
    ).toEqual([
      'LinkedIn does not offer “Return on ad spend” by seniority: it is given only by breakdowns that are not about members (not by member company, company size, industry, seniority, job or location). Remove it or pick another breakdown.',
    ]);
  });

  it('carries LinkedIn’s pivot rules as catalog data, for the builder to explain', () => {
    const rules = Object.fromEntries(
      AD_METRICS.filter((metric) => metric.notWithPivots).map((metric) => [
        metric.key,
        Object.keys(metric.notWithPivots!),
      ]),
    );
    const demographic = AD_PIVOTS.filter((pivot) => pivot.id.startsWith('MEMBER_')).map((pivot) => pivot.id);
    expect(demographic).toHaveLength(8);
    for (const key of ['cardClicks', 'cardImpressions', 'viralCardClicks', 'viralCardImpressions'])
      expect(rules[key]).toEqual(demographic);
    expect(rules.approximateMemberReach).toEqual([...demographic, 'IMPRESSION_DEVICE_TYPE']);
    expect(rules.conversionValueInLocalCurrency).toEqual([...demographic, 'IMPRESSION_DEVICE_TYPE']);
    // LinkedIn's table: “only supports the CAMPAIGN pivot”; users report account and campaign group too.
    expect(rules.audiencePenetration.sort()).toEqual(
      AD_PIVOTS.map((pivot) => pivot.id)
        .filter((pivot) => !['ACCOUNT', 'CAMPAIGN_GROUP', 'CAMPAIGN'].includes(pivot))
        .sort(),
    );
    for (const key of [
      'externalWebsiteConversions',
      'externalWebsitePostClickConversions',
      'externalWebsitePostViewConversions',
      'viralExternalWebsiteConversions',
    ])
      expect(rules[key]).toEqual(['IMPRESSION_DEVICE_TYPE']);
    expect(Object.keys(rules).sort()).toEqual([
      'approximateMemberReach',
      'audiencePenetration',
      'cardClicks',
      'cardImpressions',
      'conversionValueInLocalCurrency',
      'externalWebsiteConversions',
      'externalWebsitePostClickConversions',
      'externalWebsitePostViewConversions',
      'viralCardClicks',
      'viralCardImpressions',
      'viralExternalWebsiteConversions',
      'viralExternalWebsitePostClickConversions',
      'viralExternalWebsitePostViewConversions',
    ]);
    expect(AD_METRICS.filter((metric) => metric.maxRangeDays === 92).map((metric) => metric.key)).toEqual([
      'approximateMemberReach',
      'audiencePenetration',
    ]);
  });

  it('never asks LinkedIn for a metric it does not offer with the pivot, even from an old saved report', () => {
    const offline = connected();
    // Saving refuses this query; a report saved before the rule existed would still send it.
    const run = importAnalytics(
      offline,
      ANN,
      {
        accountIds: ['500000001'],
        pivot: 'IMPRESSION_DEVICE_TYPE',
        granularity: 'MONTHLY',
        startDate: '2025-01-01',
        endDate: '2025-02-28',
        metrics: ['impressions'],
      },
      { change: (saved) => (saved.fields = ['impressions', 'externalWebsiteConversions']) },
    );
    expect(run.labels).toEqual([
      'Month start',
      'End date',
      'Device type ID',
      'Device type',
      'Impressions',
      'Conversions',
    ]);
    const fields = analyticsCalls(offline).map((call) => call.query!.get('fields'));
    expect(fields).toEqual(['dateRange,pivotValues,impressions']);
    expect(run.rows.length).toBeGreaterThan(0);
    for (const row of run.rows) {
      expect(row[4]).toBeGreaterThan(0);
      expect(row[5]).toBeNull();
    }
  });

  it('leaves reach blank over periods longer than 92 days and says why in the run message', () => {
    const offline = connected();
    const run = importAnalytics(offline, ANN, {
      accountIds: ['500000001'],
      pivot: 'CAMPAIGN',
      granularity: 'ALL',
      startDate: '2025-01-01',
      endDate: '2025-06-30',
      metrics: ['impressions', 'approximateMemberReach'],
    });
    expect(run.rows.length).toBeGreaterThan(3);
    for (const row of run.rows) {
      expect(row[4]).toBeGreaterThan(0);
      expect(row[5]).toBeNull();
    }
    expect(run.done.message).toContain(
      ' “Reach (approx.)” is blank: LinkedIn computes it only for periods of up to 92 days, and these rows cover up to 181.',
    );
    const short = importAnalytics(offline, ANN, {
      accountIds: ['500000001'],
      pivot: 'CAMPAIGN',
      granularity: 'MONTHLY',
      startDate: '2025-01-01',
      endDate: '2025-06-30',
      metrics: ['impressions', 'approximateMemberReach'],
    });
    expect(short.done.message).not.toContain('blank');
    expect(short.rows.every((row) => (row[5] as number) > 0)).toBe(true);
  });
});

describe('reliability and error messages', () => {
  const smallQuery: AdAnalyticsQuery = {
    accountIds: ['500000001'],
    pivot: 'CAMPAIGN',
    granularity: 'MONTHLY',
    startDate: '2025-01-01',
    endDate: '2025-03-31',
    metrics: ['impressions'],
  };
  /** The run's last progress, which must say it failed: the sidebar shows its message. */
  const failure = (offline: ReturnType<typeof createOfflineWorld>, query = smallQuery) => {
    const { done } = importAnalytics(offline, ANN, query);
    expect(done.status).toBe('failed');
    return done;
  };

  it('retries transient failures with backoff, honouring Retry-After', () => {
    const offline = connected();
    offline.linkedin.queueFault('503', /adAnalytics/);
    offline.linkedin.queueFault('timeout', /adAnalytics/);
    offline.linkedin.queueFault('429', /adAnalytics/, 7);
    offline.linkedin.queueFault('truncated', /adAnalytics/);
    const before = offline.clock.now();
    const run = importAnalytics(offline, ANN, smallQuery);
    expect(run.rows.length).toBeGreaterThan(0);
    expect(analyticsCalls(offline).map((call) => call.status)).toEqual([503, 0, 429, 200, 200]);
    expect(offline.clock.now() - before).toBeGreaterThan(60_000 + 7_000);
  });

  it('asks to reconnect when LinkedIn refuses the token', () => {
    const offline = connected();
    // Revoked once the report is saved: the run meets LinkedIn's refusal.
    const { done } = importAnalytics(offline, ANN, smallQuery, {
      change: () => offline.linkedin.revokeAll('sim1Person'),
    });
    expect(done).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('Sign in with LinkedIn again'),
    });
  });

  it('says whom to ask for an account role', () => {
    const offline = connected();
    expect(failure(offline, { ...smallQuery, accountIds: ['500000004'] })).toMatchObject({
      message: expect.stringContaining('Ask an admin of the ad account'),
    });
  });

  it('stops at the daily limit and says when to retry', () => {
    const offline = connected({ limits: { memberDaily: 0 } });
    expect(failure(offline)).toMatchObject({
      message: expect.stringMatching(/resets at midnight UTC, in about \d+ hours/),
    });
  });

  it('gives up on a LinkedIn that keeps failing, with advice', () => {
    const offline = connected();
    offline.linkedin.faultRates = { '503': 1 };
    expect(failure(offline)).toMatchObject({
      message: expect.stringContaining('Try again in a few minutes'),
    });
  });

  it('says the add-on needs an update when LinkedIn serves none of the versions it may use', () => {
    const offline = connected();
    offline.linkedin.liveVersions = ['202501'];
    expect(failure(offline)).toMatchObject({
      message: expect.stringContaining('The add-on needs an update'),
    });
  });

  it('reads the token once per execution and refreshes only when it is about to expire', () => {
    const offline = connected();
    const tokenCalls = () => tokenRequests(offline).length;
    expect(tokenCalls()).toBe(1);
    const wide = { ...smallQuery, metrics: AD_METRICS.slice(0, 40).map((metric) => metric.key) };
    expect(importAnalytics(offline, ANN, wide).done.status).toBe('done');
    expect(tokenCalls()).toBe(1);
    offline.clock.advance(60 * 86_400_000 - 30_000);
    expect(importAnalytics(offline, ANN, wide).done.status).toBe('done');
    expect(tokenCalls()).toBe(2);
  });
});
