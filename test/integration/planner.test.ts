import { computeAnalytics, dayOf } from '../../sandbox/linkedin/ads-analytics';
import { createOfflineWorld } from '../../sandbox/offline-world';
import { AD_ANALYTICS_STREAM, AD_METRICS } from '../../src/server/catalog/ad-analytics';
import {
  type AdAnalyticsQuery,
  analyticsCall,
  type Bucket,
  fieldGroupsOf,
  MAX_ELEMENTS,
  packWindows,
  replanWindows,
  servedShare,
  windowBetween,
  windowCalls,
} from '../../src/server/connectors/ads-analytics';
import { dayNumber } from '../../src/server/dates';
import { connectedWorld } from '../helpers/connect';
import {
  apiTraffic,
  importAnalytics,
  metricsOfferedBy,
  runNow,
  saveReport,
  trafficMark,
} from '../helpers/reports';

const ANN = 'ann@example.com';
const ALL_METRICS = AD_METRICS.map((metric) => metric.key);

const connected = (options: Parameters<typeof createOfflineWorld>[0] = {}) => connectedWorld(ANN, options);

/** The elements LinkedIn (the simulator) holds for a daily import by creative. */
const elementsHeld = (offline: ReturnType<typeof createOfflineWorld>, query: AdAnalyticsQuery) => {
  const parts = (iso: string) => {
    const [year, month, day] = iso.split('-').map(Number);
    return { year, month, day };
  };
  return computeAnalytics(offline.linkedin.data, {
    pivots: [query.pivot],
    granularity: query.granularity,
    startDay: dayOf(parts(query.startDate)),
    endDay: dayOf(parts(query.endDate)),
    facets: { accounts: query.accountIds.map(Number) },
    fields: ['dateRange', 'pivotValues', 'impressions'],
  }).length;
};

const days = (first: string, last: string): Bucket[] =>
  Array.from({ length: dayNumber(last) - dayNumber(first) + 1 }, (_, index) => ({
    startDay: dayNumber(first) + index,
    endDay: dayNumber(first) + index,
  }));

describe('the planner', () => {
  it('packs windows from real row counts up to the cap: as few as the rows need', () => {
    const year = days('2025-01-01', '2025-12-31');
    // 200 rows a day: 74 days stay under 15,000, so 5 windows, the fewest 73,000 rows allow.
    const windows = packWindows(year, () => 200);
    expect(windows).toHaveLength(Math.ceil((365 * 200) / (MAX_ELEMENTS - 1)));
    expect(windows.map((window) => window.buckets.length)).toEqual([74, 74, 74, 74, 69]);
    // Quieter days let a window run longer: 50 rows a day from July on. The third window holds
    // 33 busy days (6,600 rows) and 167 quiet ones (8,350): 14,950.
    const uneven = packWindows(year, (bucket) => (bucket.startDay < dayNumber('2025-07-01') ? 200 : 50));
    expect(uneven.map((window) => window.buckets.length)).toEqual([74, 74, 200, 17]);
  });

  it('packs the windows left from the share of the bound a fetched window really held', () => {
    const query: AdAnalyticsQuery = {
      accountIds: ['1', '2', '3'],
      pivot: 'CREATIVE',
      granularity: 'DAILY',
      startDate: '2025-11-19',
      endDate: '2026-11-18',
      metrics: ['impressions'],
    };
    // 300 creatives, all created before the range: the lookup bounds a day at 300 rows.
    const activity = Array.from({ length: 300 }, () => ({ startDay: 0, endDay: null }));
    const [first, ...rest] = packWindows(days(query.startDate, query.endDate), () => 300);
    expect(first.buckets).toHaveLength(49);
    // That window really held 210 rows a day: 70% of its bound.
    const share = servedShare(query, activity, first, 210 * 49);
    expect(share).toBeCloseTo(0.7);
    // 221 rows a day expected (5% over what was seen): 67 days a window, 5 windows for 316 days,
    // the fewest 316 days of 210 rows allow.
    const left = replanWindows(query, activity, rest, share);
    expect(left.map((window) => window.buckets.length)).toEqual([67, 67, 67, 67, 48]);
    expect(left).toHaveLength(Math.ceil((316 * 210) / (MAX_ELEMENTS - 1)));
  });

  it('never packs across a gap between periods', () => {
    const buckets = [...days('2025-01-01', '2025-01-10'), ...days('2025-02-01', '2025-02-10')];
    const windows = packWindows(buckets, () => 1);
    expect(windows.map((window) => [window.startDay, window.endDay])).toEqual([
      [dayNumber('2025-01-01'), dayNumber('2025-01-10')],
      [dayNumber('2025-02-01'), dayNumber('2025-02-10')],
    ]);
  });

  it('asks any group holding reach in ranges of at most 92 days, wherever it stands', () => {
    const query: AdAnalyticsQuery = {
      accountIds: ['1'],
      pivot: 'CAMPAIGN',
      granularity: 'DAILY',
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      metrics: ALL_METRICS,
    };
    const groups = fieldGroupsOf(query.metrics);
    const window = windowBetween(query, dayNumber(query.startDate), dayNumber(query.endDate));
    // The reach group alone: 4 pieces; the others alone: one request each.
    expect(windowCalls(query, groups.slice(0, 1), window)).toHaveLength(4);
    expect(windowCalls(query, groups.slice(1), window)).toHaveLength(groups.length - 1);
  });
});

describe('requests at the documented minimum', () => {
  it('imports a year by creative with all metrics from the creatives lookup alone, in one round trip', () => {
    const offline = connected();
    const query: AdAnalyticsQuery = {
      accountIds: ['500000001', '500000002', '500000003'],
      pivot: 'CREATIVE',
      granularity: 'DAILY',
      startDate: '2025-11-19',
      endDate: '2026-11-18',
      metrics: metricsOfferedBy('CREATIVE'),
    };
    const run = importAnalytics(offline, ANN, query);
    expect(run.done.status).toBe('done');
    const { paths, roundTrips } = apiTraffic(offline, run.since);
    // One creatives page per account (12 creatives each), no campaign lookup; one search names
    // the three accounts and their currencies, for the columns a report over several accounts has.
    expect(paths.filter((path) => path !== '/rest/adAnalytics').sort()).toEqual([
      '/rest/adAccounts',
      '/rest/adAccounts/500000001/creatives',
      '/rest/adAccounts/500000002/creatives',
      '/rest/adAccounts/500000003/creatives',
    ]);
    // The rows fit one window: 5 groups of 18 metrics once, the reach group in 4 pieces of 92 days.
    expect(elementsHeld(offline, query)).toBeLessThan(MAX_ELEMENTS);
    const groups = fieldGroupsOf(query.metrics).length;
    expect(paths.filter((path) => path === '/rest/adAnalytics')).toHaveLength(groups - 1 + 4);
    expect(run.done).toMatchObject({ requestsPlanned: groups + 3, requestsDone: groups + 3 });
    // Planned from the lookup saving made, every analytics request goes with the run's own lookup.
    expect(roundTrips).toBe(1);
  });

  it('packs the windows after the first batch from the rows it really held, not from the lookup', () => {
    // 200 creatives: the lookup bounds a day at 200 rows (74 days a window); about 140 serve.
    // 23 columns: a batch writes at most 4 windows, and the windows after it are planned from it.
    const offline = connected({
      size: { campaignGroupsPerAccount: 5, campaignsPerGroup: 5, creativesPerCampaign: 4 },
    });
    const query: AdAnalyticsQuery = {
      accountIds: ['500000001', '500000002'],
      pivot: 'CREATIVE',
      granularity: 'DAILY',
      startDate: '2025-06-01',
      endDate: '2026-08-23',
      metrics: ALL_METRICS.filter(
        (key) => key !== 'approximateMemberReach' && key !== 'audiencePenetration',
      ).slice(0, 20),
    };
    const run = importAnalytics(offline, ANN, query);
    expect(run.done.status).toBe('done');
    expect(run.rows).toHaveLength(elementsHeld(offline, query));
    const iso = (parts: Record<string, string>) =>
      `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`;
    const windows = [
      ...new Set(
        offline.linkedin.calls
          .filter((call) => call.path === '/rest/adAnalytics')
          .map((call) => {
            const range = call.query!.get('dateRange') as Record<string, Record<string, string>>;
            return `${iso(range.start)}|${iso(range.end)}`;
          }),
      ),
    ]
      .sort()
      .map((range) => range.split('|'));
    const days = (first: string, last: string) => dayNumber(last) - dayNumber(first) + 1;
    // The first batch: 4 windows cut from the bound.
    expect(windows.slice(0, 4).map(([first, last]) => days(first, last))).toEqual([74, 74, 74, 74]);
    // The rest: as few windows as their rows need (the bound would cut 3).
    const rest = { ...query, startDate: windows[4][0] };
    expect(windows.slice(4)).toHaveLength(Math.ceil(elementsHeld(offline, rest) / (MAX_ELEMENTS - 1)));
    expect(windows.slice(4)).toHaveLength(2);
  });
});

describe('Pages runs fetched a batch of pages at a time', () => {
  it('name every page with the first batch’s requests, and ask no names again', () => {
    const offline = connectedWorld(ANN, {}, ['pages']);
    const { config } = saveReport(offline, ANN, {
      name: 'Gains',
      source: 'pages',
      stream: 'follower_gains',
      accountIds: [],
      organizationIds: ['10000001', '10000002'],
      fields: ['organization_id', 'page_name', 'date', 'organic_follower_gain'],
      dateRange: { preset: 'custom', start: '2026-10-01', end: '2026-10-31' },
      sheetName: 'Gains',
      schedule: { kind: 'none' },
    });
    const before = trafficMark(offline);
    const done = runNow(offline, ANN, config.id).at(-1)!;
    expect(done.status).toBe('done');
    const { paths } = apiTraffic(offline, before);
    const names = paths.filter((path) => path === '/rest/organizations');
    expect(names).toHaveLength(1);
    expect(paths.filter((path) => path === '/rest/organizationalEntityFollowerStatistics')).toHaveLength(2);
  });
});

describe('ad analytics requests follow the catalog entry', () => {
  // Edits this file's copy of the catalog module; undone after each test.
  const entry = AD_ANALYTICS_STREAM.analytics!;
  const saved = structuredClone(entry);
  afterEach(() => Object.assign(entry, structuredClone(saved)));
  const query = (accountIds: string[], pivot: string): AdAnalyticsQuery => ({
    accountIds,
    pivot,
    granularity: 'DAILY',
    startDate: '2026-01-01',
    endDate: '2026-01-31',
    metrics: ['impressions'],
  });
  const window = (q: AdAnalyticsQuery) => windowBetween(q, dayNumber(q.startDate), dayNumber(q.endDate));

  it('takes its path, finders and the parameters naming pivots and accounts from the entry', () => {
    const one = query(['500000001'], 'CAMPAIGN');
    const several = query(['500000001', '500000002'], 'SERVING_LOCATION');
    expect(analyticsCall(one, window(one), ['impressions']).query).toMatchObject({
      q: 'analytics',
      pivot: 'CAMPAIGN',
      accounts: ['urn:li:sponsoredAccount:500000001'],
    });
    Object.assign(entry, {
      path: 'adAnalyticsElsewhere',
      onePivot: { q: 'byOne', param: 'only' },
      severalPivots: { q: 'byMany', param: 'many' },
      accountsParam: 'adAccounts',
    });
    const call = analyticsCall(one, window(one), ['impressions']);
    expect(call.path).toBe('adAnalyticsElsewhere');
    expect(call.query).toMatchObject({
      q: 'byOne',
      only: 'CAMPAIGN',
      adAccounts: ['urn:li:sponsoredAccount:500000001'],
    });
    expect(call.query).not.toHaveProperty('pivot');
    expect(analyticsCall(several, window(several), ['impressions']).query).toMatchObject({
      q: 'byMany',
      many: ['ACCOUNT', 'SERVING_LOCATION'],
    });
  });
});
